package io.ironlb.l2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The layer-2 settings a node reads at start: defaults, values, and errors that name them. */
class Layer2SettingsTest {

  @Test
  void theShippedDefaultsAreTheBalancedSpreadAndTenMovesPerSecond() {
    var shipped = ConfigFactory.load();
    assertThat(VipEntity.spread(shipped)).isEqualTo(VipState.Spread.BALANCED);
    assertThat(Speaker.plannedMoveInterval(shipped)).isEqualTo(Duration.ofMillis(100));
  }

  @Test
  void valuesAreReadAndBadOnesNamed() {
    var sticky = ConfigFactory.parseString("ironlb.layer2.spread = sticky");
    assertThat(VipEntity.spread(sticky)).isEqualTo(VipState.Spread.STICKY);
    var two = ConfigFactory.parseString("ironlb.layer2.planned-moves-per-second = 2");
    assertThat(Speaker.plannedMoveInterval(two)).isEqualTo(Duration.ofMillis(500));
    assertThatThrownBy(
            () -> VipEntity.spread(ConfigFactory.parseString("ironlb.layer2.spread = even")))
        .hasMessageContaining("ironlb.layer2.spread")
        .hasMessageContaining("\"even\"");
    assertThatThrownBy(
            () ->
                Speaker.plannedMoveInterval(
                    ConfigFactory.parseString("ironlb.layer2.planned-moves-per-second = 0")))
        .hasMessage(
            "ironlb.layer2.planned-moves-per-second: 0.0 is not a rate; use a number above 0");
  }
}
