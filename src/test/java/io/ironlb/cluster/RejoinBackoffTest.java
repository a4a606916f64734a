package io.ironlb.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RejoinBackoffTest {

  /**
   * Each row: how long each incarnation lasted before it was downed (seconds), and the waits before
   * the next incarnations.
   */
  @ParameterizedTest(name = "lasted {0} -> waits {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "300 | 0",
        "5 | 0",
        "5 5 | 0 1",
        "5 5 5 5 5 5 | 0 1 2 4 8 15",
        "5 5 5 5 5 5 5 5 5 | 0 1 2 4 8 15 15 15 15",
        // An incarnation that lasted a minute starts the count again.
        "5 5 5 60 5 | 0 1 2 0 1",
        "5 5 59 | 0 1 2",
        "5 5 5 61 | 0 1 2 0"
      })
  void waitsLongerOnlyWhileIncarnationsKeepBeingDownedSoon(String lasted, String waits) {
    RejoinBackoff backoff = new RejoinBackoff();
    List<Long> got = new ArrayList<>();
    for (String s : lasted.trim().split(" ")) {
      got.add(backoff.afterDowned(Duration.ofSeconds(Long.parseLong(s))).toSeconds());
    }
    List<Long> expected = new ArrayList<>();
    for (String s : waits.trim().split(" ")) {
      expected.add(Long.parseLong(s));
    }
    assertThat(got).isEqualTo(expected);
  }

  @ParameterizedTest(name = "after {0} downings in a row")
  @CsvSource({"100", "100000"})
  void neverLongerThanFifteenSeconds(int downings) {
    RejoinBackoff backoff = new RejoinBackoff();
    Duration wait = Duration.ZERO;
    for (int i = 0; i < downings; i++) {
      wait = backoff.afterDowned(Duration.ofSeconds(1));
    }
    assertThat(wait).isEqualTo(Duration.ofSeconds(15));
  }
}
