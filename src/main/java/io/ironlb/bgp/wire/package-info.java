/**
 * The BGP-4 wire format (RFC 4271) with the extensions IronLB speaks: multiprotocol NLRI for IPv6
 * (RFC 4760), 4-octet AS numbers (RFC 6793), route refresh (RFC 2918), graceful restart capability
 * (RFC 4724), communities (RFC 1997) and large communities (RFC 8092). Pure codecs ({@link
 * BgpCodec}) with Netty framing around them; malformed input becomes the NOTIFICATION the RFCs call
 * for, or an UPDATE marked treat-as-withdraw (RFC 7606) — never an exception that escapes.
 */
package io.ironlb.bgp.wire;
