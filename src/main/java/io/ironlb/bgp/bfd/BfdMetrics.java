package io.ironlb.bgp.bfd;

import io.ironlb.metrics.MetricFamilies;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The BFD metrics MetalLB's FRR exporter shows, under its names, per {@code peer} address: {@code
 * metallb_bfd_session_up}, {@code metallb_bfd_control_packet_input}, {@code
 * metallb_bfd_control_packet_output}, {@code metallb_bfd_session_up_events}, {@code
 * metallb_bfd_session_down_events}.
 */
public final class BfdMetrics {
  final MetricFamilies.Family up;
  final MetricFamilies.Family input;
  final MetricFamilies.Family output;
  final MetricFamilies.Family upEvents;
  final MetricFamilies.Family downEvents;

  public BfdMetrics(MetricFamilies families) {
    up = families.gauge("metallb_bfd_session_up", "BFD session state (1 is up, 0 is down)", "peer");
    input =
        families.counter(
            "metallb_bfd_control_packet_input", "Number of received BFD control packets", "peer");
    output =
        families.counter(
            "metallb_bfd_control_packet_output", "Number of sent BFD control packets", "peer");
    upEvents =
        families.counter(
            "metallb_bfd_session_up_events", "Number of times the BFD session went up", "peer");
    downEvents =
        families.counter(
            "metallb_bfd_session_down_events", "Number of times the BFD session went down", "peer");
  }

  /** Metrics kept nowhere: for sessions started without a node (tests, tools). */
  public static BfdMetrics unregistered() {
    return new BfdMetrics(new MetricFamilies());
  }

  /** The session that currently has each peer label: a stopped one must not remove a newer's. */
  private final Map<String, Object> owners = new ConcurrentHashMap<>();

  void claim(String peer, Object session) {
    owners.put(peer, session);
  }

  /** The session ended: its series go, unless a newer session has claimed the label since. */
  void release(String peer, Object session) {
    if (owners.remove(peer, session)) {
      remove(peer);
    }
  }

  private void remove(String peer) {
    up.remove(peer);
    input.remove(peer);
    output.remove(peer);
    upEvents.remove(peer);
    downEvents.remove(peer);
  }
}
