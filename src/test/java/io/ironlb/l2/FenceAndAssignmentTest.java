package io.ironlb.l2;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FenceAndAssignmentTest {

  private static Set<String> set(String csv) {
    return csv == null || csv.isBlank()
        ? Set.of()
        : Arrays.stream(csv.split(",")).collect(Collectors.toSet());
  }

  @ParameterizedTest(name = "members {0}, unreachable {1} → fence {2}")
  @CsvSource(
      delimiter = '|',
      nullValues = "-",
      textBlock =
          """
          a,b,c   | -     | false
          a,b,c   | c     | false
          a,b,c   | b,c   | true
          a,b     | b     | false
          a,b     | a     | true
          a,b,c,d | c,d   | false
          a,b,c,d | a,b   | true
          a,b,c,d | a     | false
          a       | -     | false
          """)
  void keepMajorityFromOwnView(String members, String unreachable, boolean fence) {
    List<String> all = Arrays.asList(members.split(","));
    assertThat(Fence.shouldFence(all, set(unreachable), Comparator.naturalOrder()))
        .isEqualTo(fence);
  }

  @ParameterizedTest(name = "{0} with {1} unreachable → {2}")
  @CsvSource(
      delimiter = '|',
      nullValues = "-",
      textBlock =
          """
          b,a,c | -   | b
          b,a,c | b   | a
          b,a,c | b,a | c
          b     | b   | -
          """)
  void firstReachableCandidateAnnounces(String candidates, String unreachable, String announcer) {
    Assignment a = new Assignment("10.222.1.1", Arrays.asList(candidates.split(",")), Set.of(), 1);
    assertThat(a.announcer(set(unreachable))).isEqualTo(announcer);
  }
}
