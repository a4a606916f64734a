package io.ironlb.l2.ndp;

import io.ironlb.l2.link.MacAddress;
import java.net.Inet6Address;

/**
 * A Neighbor Solicitation (RFC 4861 §4.3) and the headers it arrived with.
 *
 * @param sourceLinkLayer the Source Link-Layer Address option, or null when absent
 */
public record NeighborSolicitation(
    MacAddress ethernetSource,
    Inet6Address source,
    Inet6Address destination,
    Inet6Address target,
    MacAddress sourceLinkLayer) {

  /** Duplicate Address Detection probes come from the unspecified address (RFC 4862 §5.4.2). */
  public boolean isDuplicateAddressDetection() {
    return source.isAnyLocalAddress();
  }
}
