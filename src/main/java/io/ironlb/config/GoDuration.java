package io.ironlb.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A duration written the way Kubernetes (metav1.Duration, i.e. Go's time.ParseDuration) writes it:
 * {@code "90s"}, {@code "1m30s"}, {@code "1.5h"}, {@code "300ms"}. The text is kept so that
 * messages quote what the user wrote.
 */
public record GoDuration(String text, Duration value) {

  private static final Pattern PART =
      Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|ms|s|m|h)");
  private static final Map<String, Long> NANOS_PER_UNIT =
      Map.of(
          "ns", 1L,
          "us", 1_000L,
          "µs", 1_000L,
          "ms", 1_000_000L,
          "s", 1_000_000_000L,
          "m", 60_000_000_000L,
          "h", 3_600_000_000_000L);

  @JsonCreator
  public static GoDuration parse(String text) {
    if (text == null || text.isEmpty()) {
      throw new IllegalArgumentException("empty duration");
    }
    String body = text;
    boolean negative = false;
    if (body.startsWith("-") || body.startsWith("+")) {
      negative = body.startsWith("-");
      body = body.substring(1);
    }
    if (body.equals("0")) {
      return new GoDuration(text, Duration.ZERO);
    }
    Matcher m = PART.matcher(body);
    BigDecimal nanos = BigDecimal.ZERO;
    int end = 0;
    while (m.find()) {
      if (m.start() != end) {
        break;
      }
      nanos =
          nanos.add(
              new BigDecimal(m.group(1))
                  .multiply(BigDecimal.valueOf(NANOS_PER_UNIT.get(m.group(2)))));
      end = m.end();
    }
    if (end == 0 || end != body.length()) {
      throw new IllegalArgumentException(
          "invalid duration \"" + text + "\" (write it like 90s, 1m30s or 300ms)");
    }
    Duration value = Duration.ofNanos(nanos.longValue());
    return new GoDuration(text, negative ? value.negated() : value);
  }

  public static GoDuration ofSeconds(long seconds) {
    return new GoDuration(seconds + "s", Duration.ofSeconds(seconds));
  }

  @JsonValue
  @Override
  public String toString() {
    return text;
  }
}
