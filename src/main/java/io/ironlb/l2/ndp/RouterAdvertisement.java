package io.ironlb.l2.ndp;

import io.ironlb.l2.link.MacAddress;
import java.net.Inet6Address;

/**
 * A Router Advertisement (RFC 4861 §4.2) as far as IronLB reads one: who sent it. An unnumbered BGP
 * peer is the router whose link-local address this is.
 *
 * @param source the router's link-local address
 * @param routerLifetime seconds the router offers itself as a default router (0: not one)
 * @param sourceLinkLayer the Source Link-Layer Address option, or null when absent
 */
public record RouterAdvertisement(
    MacAddress ethernetSource,
    Inet6Address source,
    int routerLifetime,
    MacAddress sourceLinkLayer) {}
