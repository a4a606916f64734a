package io.ironlb.bgp.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * The decoder under fuzzing ({@link BgpFuzz}): for any seed, thousands of mutated captures and
 * random inputs each decode or get the NOTIFICATION that fits them, and nothing else escapes. The
 * benchmark profile runs a million ({@code scripts/bench-fuzz.sh}).
 */
class BgpDecoderProperties {

  @Property(tries = 20)
  void mutatedMessagesNeverEscapeTheRfcVerdicts(@ForAll long seed) throws IOException {
    BgpFuzz.Stats s = BgpFuzz.run(seed, 2_500);
    // Both outcomes are exercised: the mutations are neither all fatal nor all harmless.
    assertThat(s.decoded()).isPositive();
    assertThat(s.refused()).isPositive();
  }
}
