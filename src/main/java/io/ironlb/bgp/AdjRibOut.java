package io.ironlb.bgp;

import io.ironlb.bgp.wire.BgpCodec;
import io.ironlb.bgp.wire.BgpMessage;
import io.ironlb.bgp.wire.BgpMessage.Update;
import io.ironlb.bgp.wire.Capability;
import io.ironlb.bgp.wire.IpPrefix;
import io.ironlb.bgp.wire.PathAttribute;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What one session has told its peer (RFC 4271 §3.2's Adj-RIB-Out), and the UPDATEs that move it to
 * a new wanted state: only differences, with every prefix that shares attributes packed into as few
 * UPDATEs as fit in 4,096 bytes, 65,535 with RFC 8654 Extended Messages (MetalLB's native speaker
 * sends one UPDATE per prefix). IPv4 routes use the classic NLRI and NEXT_HOP; IPv6 ones
 * MP_REACH_NLRI / MP_UNREACH_NLRI (RFC 4760). Pure: no I/O, no actor.
 */
public final class AdjRibOut {

  /**
   * The attributes of a route apart from its next hop and NLRI placement (ORIGIN, AS_PATH,
   * LOCAL_PREF, communities...), and its next hop.
   */
  public record Route(List<PathAttribute> attributes, InetAddress nextHop) {
    public Route {
      attributes = List.copyOf(attributes);
      Objects.requireNonNull(nextHop, "nextHop");
    }
  }

  private final BgpCodec.Options options;
  private final Map<IpPrefix, Route> sent = new HashMap<>();

  public AdjRibOut(BgpCodec.Options options) {
    this.options = options;
  }

  /** The UPDATEs that take the peer from what it was told to {@code wanted}; records them sent. */
  public List<Update> advance(Map<IpPrefix, Route> wanted) {
    List<IpPrefix> withdrawn = new ArrayList<>();
    for (IpPrefix p : sent.keySet()) {
      if (!wanted.containsKey(p)) {
        withdrawn.add(p);
      }
    }
    Map<IpPrefix, Route> changed = new HashMap<>();
    wanted.forEach(
        (p, r) -> {
          if (!r.equals(sent.get(p))) {
            changed.put(p, r);
          }
        });
    withdrawn.forEach(sent::remove);
    sent.putAll(changed);
    List<Update> out = new ArrayList<>(withdrawals(withdrawn));
    out.addAll(announcements(changed));
    return out;
  }

  /** Everything told so far, again: for a new session or a ROUTE-REFRESH (RFC 2918 §4). */
  public List<Update> all() {
    return announcements(sent);
  }

  /** Forgets what was sent (the session went down: the peer dropped it all). */
  public void clear() {
    sent.clear();
  }

  public int size() {
    return sent.size();
  }

  private List<Update> withdrawals(List<IpPrefix> prefixes) {
    List<Update> out = new ArrayList<>();
    List<IpPrefix> v4 = sorted(prefixes.stream().filter(IpPrefix::isIpv4).toList());
    List<IpPrefix> v6 = sorted(prefixes.stream().filter(p -> !p.isIpv4()).toList());
    // Header 19 + two length fields 4: the rest is for withdrawn prefixes.
    int max = options.maxLength(BgpMessage.UPDATE);
    for (List<IpPrefix> chunk : chunks(v4, max - 23)) {
      out.add(new Update(chunk, List.of(), List.of()));
    }
    // MP_UNREACH_NLRI: attribute header 4 (extended length) + AFI/SAFI 3.
    for (List<IpPrefix> chunk : chunks(v6, max - 23 - 7)) {
      out.add(
          new Update(
              List.of(),
              List.of(
                  new PathAttribute.MpUnreach(Capability.AFI_IPV6, Capability.SAFI_UNICAST, chunk)),
              List.of()));
    }
    return out;
  }

  private List<Update> announcements(Map<IpPrefix, Route> routes) {
    Map<Route, List<IpPrefix>> byRoute = new LinkedHashMap<>();
    routes.forEach((p, r) -> byRoute.computeIfAbsent(r, x -> new ArrayList<>()).add(p));
    byRoute.replaceAll((r, prefixes) -> sorted(prefixes));
    List<Update> out = new ArrayList<>();
    byRoute.forEach(
        (route, prefixes) -> {
          List<IpPrefix> v4 = prefixes.stream().filter(IpPrefix::isIpv4).toList();
          List<IpPrefix> v6 = prefixes.stream().filter(p -> !p.isIpv4()).toList();
          if (!v4.isEmpty() && route.nextHop() instanceof Inet4Address nh) {
            List<PathAttribute> attrs = new ArrayList<>(route.attributes());
            attrs.add(new PathAttribute.NextHop(nh));
            int room = options.maxLength(BgpMessage.UPDATE) - 23 - attributesSize(attrs);
            for (List<IpPrefix> chunk : chunks(v4, room)) {
              out.add(new Update(List.of(), attrs, chunk));
            }
          }
          if (!v6.isEmpty()) {
            int nhLength = route.nextHop().getAddress().length;
            // MP_REACH_NLRI: attribute header 4 + AFI/SAFI 3 + next-hop length 1 + hop + reserved 1
            int room =
                options.maxLength(BgpMessage.UPDATE)
                    - 23
                    - attributesSize(route.attributes())
                    - 9
                    - nhLength;
            for (List<IpPrefix> chunk : chunks(v6, room)) {
              List<PathAttribute> attrs = new ArrayList<>(route.attributes());
              attrs.add(
                  new PathAttribute.MpReach(
                      Capability.AFI_IPV6,
                      Capability.SAFI_UNICAST,
                      List.of(route.nextHop()),
                      chunk));
              out.add(new Update(List.of(), attrs, List.of()));
            }
          }
        });
    return out;
  }

  /** The encoded size of these attributes (an empty UPDATE carrying them, less its fixed part). */
  private int attributesSize(List<PathAttribute> attrs) {
    return BgpCodec.encode(new Update(List.of(), attrs, List.of()), options).length - 23;
  }

  /** Sorted by address then length, each address's bytes copied once (not per comparison). */
  private static List<IpPrefix> sorted(List<IpPrefix> prefixes) {
    Map<IpPrefix, byte[]> keys = new HashMap<>();
    prefixes.forEach(p -> keys.put(p, p.address().getAddress()));
    List<IpPrefix> out = new ArrayList<>(prefixes);
    out.sort(
        Comparator.comparing((IpPrefix p) -> keys.get(p), java.util.Arrays::compareUnsigned)
            .thenComparingInt(IpPrefix::length));
    return out;
  }

  /** Splits prefixes into runs whose encoded size fits in {@code room} bytes. */
  private static List<List<IpPrefix>> chunks(List<IpPrefix> prefixes, int room) {
    List<List<IpPrefix>> out = new ArrayList<>();
    List<IpPrefix> current = new ArrayList<>();
    int used = 0;
    for (IpPrefix p : prefixes) {
      int size = BgpCodec.prefixSize(p);
      if (used + size > room && !current.isEmpty()) {
        out.add(current);
        current = new ArrayList<>();
        used = 0;
      }
      current.add(p);
      used += size;
    }
    if (!current.isEmpty()) {
      out.add(current);
    }
    return out;
  }
}
