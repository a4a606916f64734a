package io.ironlb.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.UnknownSnapshot;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;

/**
 * The metrics IronLB exposes under MetalLB's exact names, kept in a {@code prometheus-metrics-core}
 * registry (the one Micrometer's registry writes to, so one scrape renders everything with the
 * library's writer). Safe to update from any thread.
 *
 * <p>One exception to the library's own types: MetalLB's counters whose names do not end in {@code
 * _total} ({@code metallb_layer2_requests_received}, {@code metallb_bfd_control_packet_input}, ...)
 * would be renamed {@code ..._total} by the library's counter (the OpenMetrics naming rule, checked
 * by {@code MetricFamiliesTest}), breaking every MetalLB dashboard and alert that names them. They
 * are exposed as untyped samples under the exact name instead: PromQL's {@code rate()} and {@code
 * increase()} work on them as before.
 */
public final class MetricFamilies implements Extension {

  /** One set of families per actor system: a node's, scraped at {@code GET /metrics}. */
  public static final ExtensionId<MetricFamilies> ID =
      new ExtensionId<>() {
        @Override
        public MetricFamilies createExtension(ActorSystem<?> system) {
          return new MetricFamilies();
        }
      };

  public static MetricFamilies get(ActorSystem<?> system) {
    return system.registerExtension(ID);
  }

  private final PrometheusRegistry registry;
  private final Map<String, Family> families = new ConcurrentHashMap<>();

  /** Families in a registry of their own (tests, tools). */
  public MetricFamilies() {
    this(new PrometheusRegistry());
  }

  public MetricFamilies(PrometheusRegistry registry) {
    this.registry = registry;
  }

  /** The registry the families are in. */
  public PrometheusRegistry registry() {
    return registry;
  }

  /** One metric family: a name, its label names, and a value per label set. */
  public final class Family {
    private final String name;
    private final String type;
    private final List<String> labels;
    private final Gauge gauge; // a gauge's values, or an untyped counter's
    private final Counter counter; // a counter named ..._total

    private Family(String name, String help, String type, List<String> labels) {
      this.name = name;
      this.type = type;
      this.labels = List.copyOf(labels);
      String[] labelNames = labels.toArray(String[]::new);
      if ("counter".equals(type) && name.endsWith("_total")) {
        this.gauge = null;
        this.counter =
            Counter.builder()
                .name(name)
                .help(help)
                .labelNames(labelNames)
                .withoutExemplars()
                .register(registry);
      } else {
        this.counter = null;
        Gauge.Builder builder =
            Gauge.builder().name(name).help(help).labelNames(labelNames).withoutExemplars();
        if ("gauge".equals(type)) {
          this.gauge = builder.register(registry);
        } else {
          this.gauge = builder.build();
          registry.register(() -> untyped(name, help, gauge.collect()));
        }
      }
    }

    /** Sets a gauge's series (a counter's only through {@link #add}). */
    public void set(double value, String... labelValues) {
      if (!"gauge".equals(type)) {
        throw new IllegalStateException(name + " is a " + type + ": only add to it");
      }
      gauge.labelValues(check(labelValues)).set(value);
    }

    /** Adds to a series (a counter's increments must not be negative). */
    public void add(double delta, String... labelValues) {
      if ("counter".equals(type) && delta < 0) {
        throw new IllegalArgumentException(name + " is a counter: it cannot go down");
      }
      if (counter != null) {
        counter.labelValues(check(labelValues)).inc(delta);
      } else {
        gauge.labelValues(check(labelValues)).inc(delta);
      }
    }

    /** The current value of a series, or 0 when it has none (reading never creates one). */
    public double value(String... labelValues) {
      Labels wanted = Labels.of(labels.toArray(String[]::new), labelValues);
      if (counter != null) {
        return counter.collect().getDataPoints().stream()
            .filter(p -> p.getLabels().equals(wanted))
            .mapToDouble(p -> p.getValue())
            .findFirst()
            .orElse(0);
      }
      return gauge.collect().getDataPoints().stream()
          .filter(p -> p.getLabels().equals(wanted))
          .mapToDouble(p -> p.getValue())
          .findFirst()
          .orElse(0);
    }

    /** Drops a series (its subject is gone: a deleted peer, a withdrawn address). */
    public void remove(String... labelValues) {
      if (counter != null) {
        counter.remove(labelValues);
      } else {
        gauge.remove(labelValues);
      }
    }

    private String[] check(String... labelValues) {
      if (labelValues.length != labels.size()) {
        throw new IllegalArgumentException(
            name + " has labels " + labels + ", got " + labelValues.length + " values");
      }
      for (String v : labelValues) {
        Objects.requireNonNull(v, () -> name + ": label value must not be null");
      }
      return labelValues;
    }
  }

  private static UnknownSnapshot untyped(String name, String help, GaugeSnapshot values) {
    UnknownSnapshot.Builder out = UnknownSnapshot.builder().name(name).help(help);
    values
        .getDataPoints()
        .forEach(
            p ->
                out.dataPoint(
                    UnknownSnapshot.UnknownDataPointSnapshot.builder()
                        .labels(p.getLabels())
                        .value(p.getValue())
                        .build()));
    return out.build();
  }

  /** The gauge family {@code name}; the same one on every call with the same definition. */
  public Family gauge(String name, String help, String... labels) {
    return family(name, help, "gauge", labels);
  }

  /** The counter family {@code name}, exposed under exactly that name (no suffix added). */
  public Family counter(String name, String help, String... labels) {
    return family(name, help, "counter", labels);
  }

  private Family family(String name, String help, String type, String... labels) {
    if (!name.matches("[a-zA-Z_:][a-zA-Z0-9_:]*")) {
      throw new IllegalArgumentException("not a Prometheus metric name: " + name);
    }
    Family f = families.computeIfAbsent(name, n -> new Family(n, help, type, List.of(labels)));
    if (!f.type.equals(type) || !f.labels.equals(List.of(labels))) {
      throw new IllegalArgumentException(
          name + " is already a " + f.type + " with labels " + f.labels);
    }
    return f;
  }

  /**
   * Every family that has at least one series, in the Prometheus text format (version 0.0.4), by
   * the library's writer.
   */
  public String render() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      PrometheusTextFormatWriter.create().write(out, registry.scrape());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
