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
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What one session has told its peer (RFC 4271 §3.2's Adj-RIB-Out), and the UPDATEs that move it to
 * a new wanted state: only differences, with every prefix that shares attributes packed into as few
 * UPDATEs as fit in 4,096 bytes, 65,535 with RFC 8654 Extended Messages (MetalLB's native speaker
 * sends one UPDATE per prefix). IPv4 routes use the classic NLRI and NEXT_HOP, or MP_REACH_NLRI
 * when their next hop is IPv6 (RFC 8950); IPv6 ones MP_REACH_NLRI / MP_UNREACH_NLRI (RFC 4760).
 * IPv4 withdrawals always use the classic field, which serves IPv4 unicast whatever the next hop.
 * Pure: no I/O, no actor.
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
    Map<IpPrefix, Route> changed = new HashMap<>(Math.max(16, wanted.size() * 4 / 3 + 1));
    for (Map.Entry<IpPrefix, Route> e : wanted.entrySet()) {
      Route before = sent.get(e.getKey());
      // Routes are shared between prefixes: identity first spares a deep comparison.
      if (before != e.getValue() && !e.getValue().equals(before)) {
        changed.put(e.getKey(), e.getValue());
      }
    }
    for (IpPrefix p : withdrawn) {
      sent.remove(p);
    }
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

  public BgpCodec.Options options() {
    return options;
  }

  public int size() {
    return sent.size();
  }

  private List<Update> withdrawals(List<IpPrefix> prefixes) {
    List<Update> out = new ArrayList<>();
    List<IpPrefix> v4 = new ArrayList<>();
    List<IpPrefix> v6 = new ArrayList<>();
    split(prefixes, v4, v6);
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
    // Grouped by identity first (thousands of prefixes share a few Route objects, and a record's
    // hash walks all its attributes), then equal Routes merged.
    Map<Route, List<IpPrefix>> byIdentity = new IdentityHashMap<>();
    for (Map.Entry<IpPrefix, Route> e : routes.entrySet()) {
      byIdentity.computeIfAbsent(e.getValue(), x -> new ArrayList<>()).add(e.getKey());
    }
    Map<Route, List<IpPrefix>> byRoute = new LinkedHashMap<>();
    byIdentity.forEach((r, ps) -> byRoute.computeIfAbsent(r, x -> new ArrayList<>()).addAll(ps));
    List<Update> out = new ArrayList<>();
    byRoute.forEach(
        (route, prefixes) -> {
          List<IpPrefix> v4 = new ArrayList<>();
          List<IpPrefix> v6 = new ArrayList<>();
          split(prefixes, v4, v6);
          if (!v4.isEmpty() && route.nextHop() instanceof Inet4Address nh) {
            List<PathAttribute> attrs = new ArrayList<>(route.attributes());
            attrs.add(new PathAttribute.NextHop(nh));
            int room = options.maxLength(BgpMessage.UPDATE) - 23 - attributesSize(attrs);
            for (List<IpPrefix> chunk : chunks(v4, room)) {
              out.add(new Update(List.of(), attrs, chunk));
            }
          } else if (!v4.isEmpty()) {
            // An IPv6 next hop for IPv4 routes (RFC 8950 §3): they go in MP_REACH_NLRI too.
            out.addAll(multiprotocol(Capability.AFI_IPV4, route, v4));
          }
          if (!v6.isEmpty()) {
            out.addAll(multiprotocol(Capability.AFI_IPV6, route, v6));
          }
        });
    return out;
  }

  /** UPDATEs with MP_REACH_NLRI for {@code prefixes} of {@code afi} (RFC 4760 §3). */
  private List<Update> multiprotocol(int afi, Route route, List<IpPrefix> prefixes) {
    int nhLength = route.nextHop().getAddress().length;
    // MP_REACH_NLRI: attribute header 4 + AFI/SAFI 3 + next-hop length 1 + hop + reserved 1
    int room =
        options.maxLength(BgpMessage.UPDATE)
            - 23
            - attributesSize(route.attributes())
            - 9
            - nhLength;
    List<Update> out = new ArrayList<>();
    for (List<IpPrefix> chunk : chunks(prefixes, room)) {
      List<PathAttribute> attrs = new ArrayList<>(route.attributes());
      attrs.add(
          new PathAttribute.MpReach(afi, Capability.SAFI_UNICAST, List.of(route.nextHop()), chunk));
      out.add(new Update(List.of(), attrs, List.of()));
    }
    return out;
  }

  /** The encoded size of these attributes (an empty UPDATE carrying them, less its fixed part). */
  private int attributesSize(List<PathAttribute> attrs) {
    return BgpCodec.encode(new Update(List.of(), attrs, List.of()), options).length - 23;
  }

  /**
   * Splits prefixes by family, each sorted by address then length (the UPDATEs come out the same
   * for the same routes, whatever order a map gave them in). The sort runs on primitive keys: a
   * comparator that read each address's bytes would copy them at every comparison.
   */
  private static void split(List<IpPrefix> prefixes, List<IpPrefix> v4, List<IpPrefix> v6) {
    List<Keyed> four = new ArrayList<>();
    List<Keyed> six = new ArrayList<>();
    for (IpPrefix p : prefixes) {
      byte[] a = p.address().getAddress();
      if (a.length == 4) {
        four.add(new Keyed(((long) word(a, 0) << 32) >>> 24 | p.length(), 0, p));
      } else {
        long hi = (long) word(a, 0) << 32 | word(a, 4) & 0xFFFFFFFFL;
        long lo = (long) word(a, 8) << 32 | word(a, 12) & 0xFFFFFFFFL;
        six.add(new Keyed(hi, lo, p));
      }
    }
    four.sort(null);
    six.sort(null);
    for (Keyed k : four) {
      v4.add(k.prefix());
    }
    for (Keyed k : six) {
      v6.add(k.prefix());
    }
  }

  private static int word(byte[] a, int at) {
    return (a[at] & 0xFF) << 24
        | (a[at + 1] & 0xFF) << 16
        | (a[at + 2] & 0xFF) << 8
        | a[at + 3] & 0xFF;
  }

  /** A prefix with its sort key: IPv4 address and length in one long; IPv6 address in two. */
  private record Keyed(long hi, long lo, IpPrefix prefix) implements Comparable<Keyed> {
    @Override
    public int compareTo(Keyed o) {
      int c = Long.compareUnsigned(hi, o.hi);
      if (c == 0) {
        c = Long.compareUnsigned(lo, o.lo);
      }
      return c != 0 ? c : Integer.compare(prefix.length(), o.prefix.length());
    }
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
