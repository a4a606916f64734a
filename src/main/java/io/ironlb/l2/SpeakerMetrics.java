package io.ironlb.l2;

import io.ironlb.config.ServiceKey;
import io.ironlb.serving.Allocated;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A speaker's layer-2 gauges: MetalLB's {@code metallb_speaker_announced} (1 per Service and
 * address this node announces, labels {@code ip}, {@code node}, {@code protocol}, {@code service}),
 * and IronLB's {@code ironlb_layer2_fenced}, {@code ironlb_layer2_announced_addresses}, {@code
 * ironlb_layer2_failovers_total} (addresses this node took over from an unreachable owner) and
 * {@code ironlb_layer2_last_failover_seconds} (for the latest of them: from this node's failure
 * detector marking the owner unreachable to this node's announcement). Updated from the Speaker
 * actor only.
 */
final class SpeakerMetrics {
  private final MeterRegistry registry;
  private final String node;
  private final AtomicInteger fenced = new AtomicInteger();
  private final AtomicInteger addresses = new AtomicInteger();
  private final Map<Tags, Gauge> announced = new HashMap<>();
  private final Counter failovers;
  private final AtomicLong lastFailoverNanos = new AtomicLong();

  SpeakerMetrics(MeterRegistry registry, String node) {
    this.registry = registry;
    this.node = node;
    Gauge.builder("ironlb_layer2_fenced", fenced, AtomicInteger::get)
        .description("1 while this node cannot reach a majority and announces nothing")
        .register(registry);
    Gauge.builder("ironlb_layer2_announced_addresses", addresses, AtomicInteger::get)
        .description("Addresses this node answers ARP/NDP for")
        .register(registry);
    failovers =
        Counter.builder("ironlb_layer2_failovers")
            .description("Addresses this node took over because their owner became unreachable")
            .register(registry);
    Gauge.builder("ironlb_layer2_last_failover_seconds", lastFailoverNanos, n -> n.get() / 1e9)
        .description(
            "Latest take-over: from the owner marked unreachable to this node's announcement")
        .register(registry);
  }

  /** Addresses taken over from an unreachable owner, with their detection-to-announcement time. */
  void tookOver(int addresses, Duration longest) {
    failovers.increment(addresses);
    lastFailoverNanos.set(longest.toNanos());
  }

  void state(boolean isFenced, int announcedAddresses) {
    fenced.set(isFenced ? 1 : 0);
    addresses.set(announcedAddresses);
  }

  /** The Services this node announces now; gauges of Services it stopped announcing go away. */
  void announced(Map<ServiceKey, List<String>> services, Map<ServiceKey, Allocated> allocated) {
    Map<Tags, Gauge> now = new HashMap<>();
    services
        .keySet()
        .forEach(
            key -> {
              Allocated a = allocated.get(key);
              if (a == null) {
                return;
              }
              for (String ip : a.ips()) {
                Tags tags =
                    Tags.of(
                        "ip", ip, "node", node, "protocol", "layer2", "service", key.toString());
                Gauge g = announced.remove(tags);
                now.put(
                    tags,
                    g != null
                        ? g
                        : Gauge.builder("metallb_speaker_announced", () -> 1)
                            .description("Services being announced from this node")
                            .tags(tags)
                            .register(registry));
              }
            });
    announced.values().forEach(registry::remove);
    announced.clear();
    announced.putAll(now);
  }
}
