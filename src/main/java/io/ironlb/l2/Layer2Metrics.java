package io.ironlb.l2;

import io.ironlb.config.IpAddresses;
import io.ironlb.metrics.MetricFamilies;
import java.net.Inet4Address;
import java.net.InetAddress;

/**
 * MetalLB's layer-2 counters, per address ({@code ip}): {@code metallb_layer2_requests_received},
 * {@code metallb_layer2_responses_sent}, {@code metallb_layer2_gratuitous_sent}. Shared by the
 * node's LinkResponders (one per interface), which add to the same series.
 */
final class Layer2Metrics {
  private final MetricFamilies.Family requests;
  private final MetricFamilies.Family responses;
  private final MetricFamilies.Family gratuitous;

  Layer2Metrics(MetricFamilies families) {
    requests =
        families.counter(
            "metallb_layer2_requests_received",
            "Number of layer2 requests received for owned IPs",
            "ip");
    responses =
        families.counter(
            "metallb_layer2_responses_sent", "Number of layer2 responses sent for owned IPs", "ip");
    gratuitous =
        families.counter(
            "metallb_layer2_gratuitous_sent",
            "Number of gratuitous layer2 packets sent for owned IPs",
            "ip");
  }

  void request(InetAddress ip) {
    requests.add(1, label(ip));
  }

  void response(InetAddress ip) {
    responses.add(1, label(ip));
  }

  void gratuitous(InetAddress ip, int frames) {
    gratuitous.add(frames, label(ip));
  }

  /**
   * Drops the address's series once it is no longer announced (MetalLB deletes them too), so a node
   * that announced thousands of short-lived addresses does not export them forever.
   */
  void forget(InetAddress ip) {
    String label = label(ip);
    requests.remove(label);
    responses.remove(label);
    gratuitous.remove(label);
  }

  /**
   * The address as the allocator and the status API write it (IPv6 compressed). Called for every
   * frame: an IPv4 address's text is already canonical, so only IPv6 goes through the parser.
   */
  static String label(InetAddress ip) {
    return ip instanceof Inet4Address
        ? ip.getHostAddress()
        : IpAddresses.parseAddress(ip.getHostAddress()).toCanonicalString();
  }
}
