package io.ironlb.bgp;

import io.ironlb.bgp.bfd.BfdMetrics;
import io.ironlb.metrics.MetricFamilies;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * MetalLB's BGP session metrics, under its names and its {@code peer="address:port"} label: {@code
 * metallb_bgp_session_up}, {@code metallb_bgp_updates_total}, {@code
 * metallb_bgp_announced_prefixes_total} (what the peer holds from us) and {@code
 * metallb_bgp_pending_prefixes_total} (what it should hold but cannot yet: the session is down).
 */
public final class BgpMetrics {
  private final MetricFamilies.Family up;
  private final MetricFamilies.Family updates;
  private final MetricFamilies.Family announced;
  private final MetricFamilies.Family pending;
  private final BfdMetrics bfd;

  /** The session that currently speaks for each peer label: a replaced one must not write. */
  private final Map<String, Peer> current = new ConcurrentHashMap<>();

  public BgpMetrics(MetricFamilies families) {
    bfd = new BfdMetrics(families);
    up = families.gauge("metallb_bgp_session_up", "BGP session state (1 is up, 0 is down)", "peer");
    updates =
        families.counter("metallb_bgp_updates_total", "Number of BGP UPDATE messages sent", "peer");
    announced =
        families.gauge(
            "metallb_bgp_announced_prefixes_total",
            "Number of prefixes currently advertised on the BGP session",
            "peer");
    pending =
        families.gauge(
            "metallb_bgp_pending_prefixes_total",
            "Number of prefixes that should be advertised on the BGP session but are not yet",
            "peer");
  }

  /** The BFD sessions' metrics, in the same families. */
  BfdMetrics bfd() {
    return bfd;
  }

  /** Metrics kept nowhere: for sessions started without a node (tests, tools). */
  static BgpMetrics unregistered() {
    return new BgpMetrics(new MetricFamilies());
  }

  /** The handle one session writes through; it takes the label over from any earlier session. */
  Peer peer(String peer) {
    Peer p = new Peer(peer);
    current.put(peer, p);
    return p;
  }

  /** One session's series. Written by its PeerSession only. */
  final class Peer {
    private final String label;

    private Peer(String label) {
      this.label = label;
    }

    void state(boolean established, int announcedPrefixes, int pendingPrefixes) {
      if (current.get(label) == this) {
        up.set(established ? 1 : 0, label);
        announced.set(announcedPrefixes, label);
        pending.set(pendingPrefixes, label);
      }
    }

    void updatesSent(int count) {
      if (current.get(label) == this) {
        updates.add(count, label);
      }
    }

    /** The session ended for good: its series go, unless a newer session has the label. */
    void remove() {
      if (current.remove(label, this)) {
        up.remove(label);
        updates.remove(label);
        announced.remove(label);
        pending.remove(label);
      }
    }
  }
}
