package io.ironlb.l2.ndp;

import io.ironlb.l2.link.MacAddress;
import java.net.Inet6Address;

/**
 * A Neighbor Advertisement (RFC 4861 §4.4) with the headers it goes out in.
 *
 * @param solicited S: an answer to a solicitation
 * @param override O: replace a cached link-layer address (set for VIPs, which are not anycast)
 * @param targetLinkLayer the Target Link-Layer Address option
 */
public record NeighborAdvertisement(
    MacAddress ethernetDestination,
    MacAddress ethernetSource,
    Inet6Address source,
    Inet6Address destination,
    boolean router,
    boolean solicited,
    boolean override,
    Inet6Address target,
    MacAddress targetLinkLayer) {}
