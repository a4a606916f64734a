package io.ironlb.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Grafana dashboard in {@code deploy/grafana} asks only for metrics IronLB serves: every name
 * in its queries is one docs/metrics.md lists (and the tests there check on running nodes).
 */
class DashboardTest {

  @Test
  void everyQueryNamesAMetricIronlbServes() throws Exception {
    JsonNode dashboard =
        new ObjectMapper().readTree(Path.of("deploy", "grafana", "ironlb-dashboard.json").toFile());
    String listed = Files.readString(Path.of("docs", "metrics.md"));
    Set<String> served = new TreeSet<>();
    Matcher documented = Pattern.compile("`((?:metallb|ironlb)_[a-z0-9_]+)`").matcher(listed);
    while (documented.find()) {
      served.add(documented.group(1));
    }
    // The table lists "metallb_bfd_control_packet_input / _output": the second is spelled out.
    served.add("metallb_bfd_control_packet_output");
    served.add("metallb_bfd_session_down_events");
    Set<String> asked = new TreeSet<>();
    for (JsonNode panel : dashboard.path("panels")) {
      assertThat(panel.path("targets").size()).as(panel.path("title").asText()).isPositive();
      for (JsonNode target : panel.path("targets")) {
        Matcher m =
            Pattern.compile("(?:metallb|ironlb)_[a-z0-9_]+").matcher(target.path("expr").asText());
        while (m.find()) {
          asked.add(m.group());
        }
      }
    }
    assertThat(asked).isNotEmpty();
    assertThat(served).containsAll(asked);
  }
}
