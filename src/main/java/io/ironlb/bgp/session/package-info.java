/**
 * The pieces of a BGP session that need no actor: the OPEN negotiation and our OPEN ({@link
 * io.ironlb.bgp.session.OpenNegotiation}, table-tested), and the {@link
 * io.ironlb.bgp.session.Connector} that opens the TCP connection with the session's socket options
 * and hands what it hears to a listener. The session actor ({@code bgp.PeerSession}) drives them.
 */
package io.ironlb.bgp.session;
