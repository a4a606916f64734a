package io.ironlb.metrics;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;

/**
 * Gauges and counters with fixed label names, rendered in the Prometheus text exposition format
 * (version 0.0.4) under exactly the names given. Safe to update from any thread (actors update, the
 * HTTP route renders); each family's series are kept sorted so a scrape reads the same way twice.
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

  /** One metric family: a name, its help, its label names, and a value per label set. */
  public final class Family {
    private final String name;
    private final String help;
    private final String type;
    private final List<String> labels;
    private final Map<List<String>, Value> series =
        new ConcurrentSkipListMap<>(MetricFamilies::compare);

    private Family(String name, String help, String type, List<String> labels) {
      this.name = name;
      this.help = help;
      this.type = type;
      this.labels = List.copyOf(labels);
    }

    /** Sets a gauge's series (a counter's only through {@link #add}). */
    public void set(double value, String... labelValues) {
      if (!"gauge".equals(type)) {
        throw new IllegalStateException(name + " is a " + type + ": only add to it");
      }
      series(labelValues).set(value);
    }

    /** Adds to a series (a counter's increments must not be negative). */
    public void add(double delta, String... labelValues) {
      if ("counter".equals(type) && delta < 0) {
        throw new IllegalArgumentException(name + " is a counter: it cannot go down");
      }
      series(labelValues).add(delta);
    }

    /** The current value of a series, or 0 when it has none. */
    public double value(String... labelValues) {
      Value a = series.get(List.of(labelValues));
      return a == null ? 0 : a.get();
    }

    /** Drops a series (its subject is gone: a deleted peer, a withdrawn address). */
    public void remove(String... labelValues) {
      series.remove(List.of(labelValues));
    }

    private Value series(String... labelValues) {
      if (labelValues.length != labels.size()) {
        throw new IllegalArgumentException(
            name + " has labels " + labels + ", got " + labelValues.length + " values");
      }
      for (String v : labelValues) {
        Objects.requireNonNull(v, () -> name + ": label value must not be null");
      }
      return series.computeIfAbsent(List.of(labelValues), k -> new Value());
    }

    private void render(StringBuilder out) {
      out.append("# HELP ").append(name).append(' ').append(escapeHelp(help)).append('\n');
      out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
      series.forEach(
          (values, v) -> {
            out.append(name);
            if (!labels.isEmpty()) {
              out.append('{');
              for (int i = 0; i < labels.size(); i++) {
                out.append(i == 0 ? "" : ",")
                    .append(labels.get(i))
                    .append("=\"")
                    .append(escapeLabel(values.get(i)))
                    .append('"');
              }
              out.append('}');
            }
            out.append(' ').append(format(v.get())).append('\n');
          });
    }
  }

  /**
   * One series' value: a double in one atomic word, so a scrape reads either the old or the new
   * value of a {@code set}, never a half-done reset (a gauge of a session that is up never reads
   * 0).
   */
  private static final class Value {
    private final AtomicLong bits = new AtomicLong(Double.doubleToRawLongBits(0));

    double get() {
      return Double.longBitsToDouble(bits.get());
    }

    void set(double v) {
      bits.set(Double.doubleToRawLongBits(v));
    }

    void add(double delta) {
      bits.getAndUpdate(b -> Double.doubleToRawLongBits(Double.longBitsToDouble(b) + delta));
    }
  }

  private final Map<String, Family> families = new ConcurrentSkipListMap<>();

  /** The gauge family {@code name}; the same one on every call with the same definition. */
  public Family gauge(String name, String help, String... labels) {
    return family(name, help, "gauge", labels);
  }

  /** The counter family {@code name}, rendered under exactly that name (no suffix added). */
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
   * Every family that has at least one series, in the text exposition format (families without
   * series are left out, as a registry without samples for them would).
   */
  public String render() {
    StringBuilder out = new StringBuilder();
    families.values().stream().filter(f -> !f.series.isEmpty()).forEach(f -> f.render(out));
    return out.toString();
  }

  private static int compare(List<String> a, List<String> b) {
    for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
      int c = a.get(i).compareTo(b.get(i));
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(a.size(), b.size());
  }

  private static String format(double v) {
    if (v == Math.rint(v) && !Double.isInfinite(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    return String.format(Locale.ROOT, "%s", v);
  }

  /** Text format 0.0.4: backslash, double quote and line feed escaped in label values. */
  private static String escapeLabel(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }

  /** Text format 0.0.4: backslash and line feed escaped in help text. */
  private static String escapeHelp(String s) {
    return s.replace("\\", "\\\\").replace("\n", "\\n");
  }
}
