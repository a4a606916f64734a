/**
 * NDP (RFC 4861) over Ethernet: the Neighbor Solicitations IronLB answers for its IPv6 addresses
 * and the Neighbor Advertisements it sends.
 */
package io.ironlb.l2.ndp;
