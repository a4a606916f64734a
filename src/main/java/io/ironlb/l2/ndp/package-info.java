/**
 * NDP (RFC 4861) over Ethernet: the Neighbor Solicitations IronLB answers for its IPv6 addresses
 * and the Neighbor Advertisements it sends; and Router Discovery (RFC 4861 §6) as BGP unnumbered
 * peering uses it: Router Solicitations and Advertisements.
 */
package io.ironlb.l2.ndp;
