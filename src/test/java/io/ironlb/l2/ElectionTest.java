package io.ironlb.l2;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** MetalLB's TestSortL2Candidates table, plus IronLB's stickiness. */
class ElectionTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      nullValues = "-",
      textBlock =
          """
          single candidate                                  | node-a                          | 10.0.0.1   | -                      | -      | node-a
          no scores: stable hash order                      | node-a,node-b,node-c            | 10.0.0.1   | -                      | -      | node-b,node-a,node-c
          no scores: hash order depends on the IP           | node-a,node-b,node-c            | 10.0.0.2   | -                      | -      | node-b,node-c,node-a
          highest score wins regardless of hash             | edge-a,edge-b,worker-a,worker-b | 10.20.30.1 | edge-a=100             | -      | edge-a,edge-b,worker-a,worker-b
          equal non-zero scores fall through to hash        | node-a,node-b                   | 10.20.30.1 | node-a=100,node-b=100  | -      | node-b,node-a
          preferred group sorted by hash, unpreferred trail | edge-a,edge-b,worker-a          | 10.20.30.1 | edge-a=100,edge-b=100  | -      | edge-b,edge-a,worker-a
          sticky: the owner stays first                     | node-a,node-b,node-c            | 10.0.0.1   | -                      | node-c | node-c,node-b,node-a
          sticky: even against a preferred node             | edge-a,edge-b,worker-a          | 10.20.30.1 | edge-a=100,edge-b=100  | worker-a | worker-a,edge-b,edge-a
          sticky: an owner no longer eligible is ignored    | node-a,node-b,node-c            | 10.0.0.1   | -                      | node-x | node-b,node-a,node-c
          """)
  void ranking(
      String desc, String candidates, String ip, String scores, String owner, String want) {
    Map<String, Long> weights = new HashMap<>();
    if (scores != null) {
      for (String kv : scores.split(",")) {
        String[] p = kv.split("=");
        weights.put(p[0], Long.parseLong(p[1]));
      }
    }
    List<String> expected = Arrays.asList(want.split(","));
    List<String> input = new ArrayList<>(Arrays.asList(candidates.split(",")));
    assertThat(Election.rank(input, ip, weights, owner)).containsExactlyElementsOf(expected);
    Collections.reverse(input);
    assertThat(Election.rank(input, ip, weights, owner))
        .as("independent of input order")
        .containsExactlyElementsOf(expected);
  }
}
