package io.ironlb.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Tables for the small value types of the model. */
class ValueTypesTest {

  @ParameterizedTest
  @CsvSource({
    "90s, 90000",
    "1m30s, 90000",
    "1.5h, 5400000",
    "300ms, 300",
    "0, 0",
    "0s, 0",
    "2h45m, 9900000",
    "-5s, -5000"
  })
  void goDurations(String text, long millis) {
    assertThat(GoDuration.parse(text).value()).isEqualTo(Duration.ofMillis(millis));
  }

  @ParameterizedTest
  @CsvSource({"90", "s", "1x", "1m 30s", "''", "1.s5"})
  void badGoDurations(String text) {
    assertThatThrownBy(() -> GoDuration.parse(text)).isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @CsvSource({
    "10.222.1.0/24, 256, 24, true",
    "10.222.1.9/24, 256, 24, true",
    "10.222.1.10-10.222.1.20, 11, 30, true",
    "10.222.1.0 - 10.222.1.255, 256, 24, true",
    "fd00:222::/124, 16, 124, false",
    "fd00:222::1-fd00:222::1, 1, 128, false"
  })
  void addressRanges(String text, long size, int widest, boolean v4) {
    AddressRange r = AddressRange.parse(text);
    assertThat(r.size().longValue()).isEqualTo(size);
    assertThat(r.widestPrefixLength()).isEqualTo(widest);
    assertThat(r.isIpv4()).isEqualTo(v4);
  }

  @ParameterizedTest
  @CsvSource({
    "10.222.1.0/24, 10.222.1.255/32, true",
    "10.222.1.0/24, 10.222.2.0/24, false",
    "10.222.1.0/24, fd00:222::/24, false",
    "10.222.1.250-10.222.2.5, 10.222.2.0/30, true"
  })
  void overlaps(String a, String b, boolean overlap) {
    assertThat(AddressRange.parse(a).overlaps(AddressRange.parse(b))).isEqualTo(overlap);
    assertThat(AddressRange.parse(b).overlaps(AddressRange.parse(a))).isEqualTo(overlap);
  }

  @ParameterizedTest
  @CsvSource({"010.222.1.0/24", "10.222.1/24", "10.222.1.*/24", "10.222.1.0/24/8", "1.2.3.4-9"})
  void nonStandardAddressTextIsRejected(String text) {
    assertThatThrownBy(() -> AddressRange.parse(text)).isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @CsvSource({
    "65000:100, 65000:100",
    "0:0, 0:0",
    "65535:65535, 65535:65535",
    "large:4294967295:0:1, large:4294967295:0:1"
  })
  void communities(String text, String canonical) {
    assertThat(BgpCommunity.parse(text).toString()).isEqualTo(canonical);
  }

  @ParameterizedTest
  @CsvSource({"65536:1", "1:-1", "large:1:2:4294967296", "a:b", "big:1:2:3", "1:+2"})
  void badCommunityValues(String text) {
    assertThatThrownBy(() -> BgpCommunity.parse(text))
        .isInstanceOf(BgpCommunity.InvalidValueException.class);
  }

  @ParameterizedTest
  @CsvSource({"no-export", "1:2:3", "1"})
  void communityFormatErrorsMayBeAliases(String text) {
    assertThatThrownBy(() -> BgpCommunity.parse(text))
        .isInstanceOf(BgpCommunity.InvalidFormatException.class);
  }

  @ParameterizedTest
  @CsvSource({"90s, , 90, 30", ", 30s, 90, 30", "9s, 1s, 9, 1", "0s, , 0, 0", ", , 90, 30"})
  void peerTimersAreDerivedAsMetalLb(
      String hold, String keepalive, long holdSeconds, long keepaliveSeconds) {
    BGPPeer.Spec spec =
        new BGPPeer.Spec(
            64500,
            64501,
            0,
            null,
            "10.222.0.1",
            null,
            null,
            null,
            hold == null ? null : GoDuration.parse(hold),
            keepalive == null ? null : GoDuration.parse(keepalive),
            null,
            null,
            null,
            null,
            null,
            null,
            false,
            false,
            null,
            false,
            false);
    assertThat(spec.effectiveHoldTime()).isEqualTo(Duration.ofSeconds(holdSeconds));
    assertThat(spec.effectiveKeepaliveTime()).isEqualTo(Duration.ofSeconds(keepaliveSeconds));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          {}                                                         | rack=a       | true
          {matchLabels: {rack: a}}                                   | rack=a       | true
          {matchLabels: {rack: a}}                                   | rack=b       | false
          {matchExpressions: [{key: rack, operator: In, values: [a, b]}]}    | rack=b | true
          {matchExpressions: [{key: rack, operator: NotIn, values: [a]}]}    | other=x | true
          {matchExpressions: [{key: rack, operator: Exists}]}        | other=x      | false
          {matchExpressions: [{key: rack, operator: DoesNotExist}]}  | other=x      | true
          {matchLabels: {rack: a}, matchExpressions: [{key: zone, operator: Exists}]} | rack=a | false
          """)
  void labelSelectors(String selector, String label, boolean matches) throws Exception {
    LabelSelector s = ObjectDecoder.STRICT.readValue(toJson(selector), LabelSelector.class);
    String[] kv = label.split("=");
    assertThat(s.matches(Map.of(kv[0], kv[1]))).isEqualTo(matches);
  }

  private static String toJson(String flowYaml) throws Exception {
    return ObjectDecoder.STRICT.writeValueAsString(
        new com.fasterxml.jackson.dataformat.yaml.YAMLMapper().readTree(flowYaml));
  }
}
