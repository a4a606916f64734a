/**
 * The BGP-4 wire format (RFC 4271) with the extensions IronLB speaks: multiprotocol NLRI for IPv6
 * (RFC 4760), 4-octet AS numbers (RFC 6793), route refresh (RFC 2918), graceful restart capability
 * (RFC 4724), extended messages (RFC 8654), communities (RFC 1997) and large communities (RFC
 * 8092). Pure codecs over Netty's {@code ByteBuf}: {@link io.ironlb.bgp.wire.BgpCodec} owns the
 * common header and hands each body to its message's codec; each path attribute has one codec whose
 * parse and serialize stand side by side, found by type code in {@code PathAttributes}. Netty
 * framing sits around them. Malformed input becomes the NOTIFICATION the RFCs call for, an UPDATE
 * marked treat-as-withdraw, or a discarded attribute (RFC 7606) — never an exception that escapes.
 */
package io.ironlb.bgp.wire;
