package io.ironlb.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MetricFamiliesTest {

  @Test
  void rendersExactNamesSortedSeriesAndEscapedLabels() {
    MetricFamilies f = new MetricFamilies();
    MetricFamilies.Family prefixes =
        f.gauge("metallb_bgp_announced_prefixes_total", "Prefixes\\advertised\nnow", "peer");
    MetricFamilies.Family updates =
        f.counter("metallb_layer2_requests_received", "Requests received", "ip");
    prefixes.set(3, "10.222.0.9:179");
    prefixes.set(2, "10.222.0.10:179");
    prefixes.set(7, "10.222.0.10:179");
    updates.add(1, "a\"b\\c\nd");
    updates.add(2.5, "a\"b\\c\nd");

    assertThat(f.render())
        .isEqualTo(
            """
            # HELP metallb_bgp_announced_prefixes_total Prefixes\\\\advertised\\nnow
            # TYPE metallb_bgp_announced_prefixes_total gauge
            metallb_bgp_announced_prefixes_total{peer="10.222.0.10:179"} 7.0
            metallb_bgp_announced_prefixes_total{peer="10.222.0.9:179"} 3.0
            # HELP metallb_layer2_requests_received Requests received
            # TYPE metallb_layer2_requests_received untyped
            metallb_layer2_requests_received{ip="a\\"b\\\\c\\nd"} 3.5
            """);
  }

  @Test
  void removedSeriesAndEmptyFamiliesAreNotRendered() {
    MetricFamilies f = new MetricFamilies();
    MetricFamilies.Family up = f.gauge("metallb_bgp_session_up", "up", "peer");
    f.gauge("metallb_bgp_pending_prefixes_total", "pending", "peer");
    up.set(1, "p1");
    up.set(0, "p2");
    up.remove("p1");

    assertThat(f.render())
        .isEqualTo(
            """
            # HELP metallb_bgp_session_up up
            # TYPE metallb_bgp_session_up gauge
            metallb_bgp_session_up{peer="p2"} 0.0
            """);
    assertThat(up.value("p1")).isZero();
  }

  /** A counter MetalLB names {@code ..._total} stays a counter under that name. */
  @Test
  void aCounterNamedTotalIsACounter() {
    MetricFamilies f = new MetricFamilies();
    f.counter("metallb_bgp_updates_total", "Updates", "peer").add(2, "p");
    assertThat(f.render())
        .isEqualTo(
            """
            # HELP metallb_bgp_updates_total Updates
            # TYPE metallb_bgp_updates_total counter
            metallb_bgp_updates_total{peer="p"} 2.0
            """);
  }

  /**
   * Why MetalLB's other counters are untyped: the library's own counter renames them (the
   * OpenMetrics rule that a counter's samples end in {@code _total}), and MetalLB's dashboards name
   * them without. If a later version keeps the name, this fails and they can be counters again.
   */
  @Test
  void theLibrarysCounterWouldRenameMetalLbsCounters() throws Exception {
    io.prometheus.metrics.model.registry.PrometheusRegistry registry =
        new io.prometheus.metrics.model.registry.PrometheusRegistry();
    io.prometheus.metrics.core.metrics.Counter.builder()
        .name("metallb_layer2_requests_received")
        .help("Requests received")
        .withoutExemplars()
        .register(registry)
        .inc();
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter.create()
        .write(out, registry.scrape());
    assertThat(out.toString(java.nio.charset.StandardCharsets.UTF_8))
        .contains("metallb_layer2_requests_received_total 1.0")
        .doesNotContain("metallb_layer2_requests_received 1");
  }

  @Test
  void misuseIsRefusedWithTheFamilyNamed() {
    MetricFamilies f = new MetricFamilies();
    MetricFamilies.Family c = f.counter("x_total", "x", "peer");
    assertThatThrownBy(() -> c.add(-1, "p"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("x_total");
    assertThatThrownBy(() -> c.set(1, "p")).hasMessageContaining("x_total is a counter");
    assertThatThrownBy(() -> c.add(1)).hasMessageContaining("x_total has labels [peer]");
    assertThatThrownBy(() -> f.gauge("x_total", "x", "peer"))
        .hasMessageContaining("already a counter");
    assertThatThrownBy(() -> f.gauge("bad-name", "x")).hasMessageContaining("bad-name");
  }

  /**
   * Issue 13, finding 9: a gauge set again and again to the same value is never scraped as anything
   * else, however the scrape and the updates interleave.
   */
  @Test
  void aScrapeNeverSeesAGaugeHalfwayThroughASet() throws Exception {
    MetricFamilies f = new MetricFamilies();
    MetricFamilies.Family up = f.gauge("metallb_bgp_session_up", "up", "peer");
    up.set(1, "10.222.0.1:179");
    java.util.concurrent.atomic.AtomicBoolean stop =
        new java.util.concurrent.atomic.AtomicBoolean();
    Thread setter =
        new Thread(
            () -> {
              while (!stop.get()) {
                up.set(1, "10.222.0.1:179");
              }
            });
    setter.start();
    try {
      for (int i = 0; i < 200_000; i++) {
        assertThat(up.value("10.222.0.1:179")).isEqualTo(1);
        if (i % 1000 == 0) {
          assertThat(f.render()).contains("metallb_bgp_session_up{peer=\"10.222.0.1:179\"} 1.0\n");
        }
      }
    } finally {
      stop.set(true);
      setter.join();
    }
  }
}
