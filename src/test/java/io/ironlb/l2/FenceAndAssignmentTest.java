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

  /**
   * What Pekko's split-brain resolver (keep-majority) will down, from one node's copy of the
   * reachability table ("x>y": x cannot reach y); members in address order.
   */
  @ParameterizedTest(name = "members {0}, table {1}, seen from {2} → downed {3}")
  @CsvSource(
      delimiter = '|',
      nullValues = "-",
      textBlock =
          """
          a,b,c   | -                       | a | -
          a,b,c   | a>c,b>c                 | a | c
          a,b,c   | a>b,a>c                 | a | a
          a,b,c   | a>c,c>a                 | b | a,c
          a,b,c   | a>c,c>a,b>c             | b | a,c
          a,b,c,d | a>c,c>a,a>d,b>d,c>d     | b | a,c,d
          a,b,c,d | a>c,a>d,b>c,b>d         | a | c,d
          a,b,c,d | c>a,c>b,d>a,d>b         | c | c,d
          a,b     | b>a                     | b | b
          a,b     | a>b                     | a | b
          a,b,c   | a>x,x>a                 | a | -
          a,b,c   | b>a                     | a | -
          a,b,c   | b>a,c>a                 | a | -
          a,b,c   | b>a,c>a                 | b | a
          """)
  void theResolversDecisionFromOneNodesTable(
      String members, String table, String self, String downed) {
    List<Fence.Unreachable<String>> records =
        table == null
            ? List.of()
            : Arrays.stream(table.split(","))
                .map(r -> new Fence.Unreachable<>(r.split(">")[0], r.split(">")[1]))
                .toList();
    assertThat(Fence.toBeDowned(Arrays.asList(members.split(",")), records, self))
        .containsExactlyInAnyOrderElementsOf(set(downed));
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
