/**
 * Bidirectional Forwarding Detection for the BGP sessions: the control packet codec (RFC 5880
 * §4.1), the session state machine and timers (§6.8, pure), the session actor that drives a
 * PeerSession, and the UDP transport (RFC 5881 single hop on port 3784 with TTL 255 both ways, RFC
 * 5883 multi-hop on 4784).
 */
package io.ironlb.bgp.bfd;
