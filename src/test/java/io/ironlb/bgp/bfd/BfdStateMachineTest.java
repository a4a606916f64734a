package io.ironlb.bgp.bfd;

import static org.assertj.core.api.Assertions.assertThat;

import io.ironlb.bgp.bfd.BfdPacket.Diag;
import io.ironlb.bgp.bfd.BfdPacket.State;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** RFC 5880 §6.8.6's transitions, §6.8.3's timers, §6.8.7's jitter, §6.5's Poll Sequence. */
class BfdStateMachineTest {
  private static final BfdStateMachine.Settings FAST =
      new BfdStateMachine.Settings(100_000, 100_000, 3, false);

  private static BfdPacket from(State state, long yourDiscriminator) {
    return BfdPacket.of(Diag.NONE, state, false, false, 3, 77, yourDiscriminator, 100_000, 100_000);
  }

  /** A machine brought to {@code start} by the packets that lead there. */
  private static BfdStateMachine at(State start) {
    BfdStateMachine m = new BfdStateMachine(FAST, 5);
    if (start == State.INIT || start == State.UP) {
      m.receive(from(State.DOWN, 0));
    }
    if (start == State.UP) {
      m.receive(from(State.UP, 5));
    }
    assertThat(m.state()).isEqualTo(start);
    return m;
  }

  static Stream<Arguments> transitions() {
    return Stream.of(
        Arguments.of(State.DOWN, State.DOWN, State.INIT, Diag.NONE),
        Arguments.of(State.DOWN, State.INIT, State.UP, Diag.NONE),
        Arguments.of(State.DOWN, State.UP, State.DOWN, Diag.NONE),
        Arguments.of(State.DOWN, State.ADMIN_DOWN, State.DOWN, Diag.NONE),
        Arguments.of(State.INIT, State.DOWN, State.INIT, Diag.NONE),
        Arguments.of(State.INIT, State.INIT, State.UP, Diag.NONE),
        Arguments.of(State.INIT, State.UP, State.UP, Diag.NONE),
        Arguments.of(State.INIT, State.ADMIN_DOWN, State.DOWN, Diag.NEIGHBOR_SIGNALED_SESSION_DOWN),
        Arguments.of(State.UP, State.DOWN, State.DOWN, Diag.NEIGHBOR_SIGNALED_SESSION_DOWN),
        Arguments.of(State.UP, State.INIT, State.UP, Diag.NONE),
        Arguments.of(State.UP, State.UP, State.UP, Diag.NONE),
        Arguments.of(State.UP, State.ADMIN_DOWN, State.DOWN, Diag.NEIGHBOR_SIGNALED_SESSION_DOWN));
  }

  @ParameterizedTest(name = "{0} receives {1} -> {2}")
  @MethodSource("transitions")
  void receptionFollowsSection686(State local, State remote, State after, Diag diag) {
    BfdStateMachine m = at(local);
    BfdStateMachine.Reaction r = m.receive(from(remote, 5));
    assertThat(r.after()).isEqualTo(after);
    assertThat(m.state()).isEqualTo(after);
    assertThat(m.diag()).isEqualTo(diag);
    assertThat(m.packet(false).yourDiscriminator()).isEqualTo(77);
  }

  @Test
  void slowBelowUpFastWhenUpAnnouncedWithAPollSequence() {
    BfdStateMachine m = at(State.DOWN);
    assertThat(m.packet(false).desiredMinTxMicros()).isEqualTo(1_000_000);
    assertThat(m.nextTransmitMicros(0.999)).isBetween(990_000L, 1_000_000L);

    m.receive(from(State.DOWN, 0));
    m.receive(from(State.UP, 5));
    BfdPacket up = m.packet(false);
    assertThat(up.state()).isEqualTo(State.UP);
    assertThat(up.desiredMinTxMicros()).isEqualTo(100_000);
    assertThat(up.poll()).isTrue();
    assertThat(m.packet(true).poll()).as("P and F never together").isFalse();

    // The peer's F ends the Poll Sequence.
    m.receive(BfdPacket.of(Diag.NONE, State.UP, false, true, 3, 77, 5, 100_000, 100_000));
    assertThat(m.pollActive()).isFalse();
    assertThat(m.packet(false).poll()).isFalse();
  }

  @Test
  void aPollIsAnsweredWithFinal() {
    BfdStateMachine m = at(State.UP);
    BfdStateMachine.Reaction r =
        m.receive(BfdPacket.of(Diag.NONE, State.UP, true, false, 3, 77, 5, 50_000, 50_000));
    assertThat(r.answerWithFinal()).isTrue();
    assertThat(m.packet(true).fin()).isTrue();
  }

  @Test
  void timersFollowBothEnds() {
    BfdStateMachine m = at(State.UP);
    // The peer wants 300 ms at most: we send no faster, less 0–25 % jitter.
    m.receive(BfdPacket.of(Diag.NONE, State.UP, false, false, 4, 77, 5, 200_000, 300_000));
    assertThat(m.nextTransmitMicros(0.0)).isEqualTo(225_000);
    assertThat(m.nextTransmitMicros(0.9999)).isBetween(299_000L, 300_000L);
    // Detection: the peer's multiplier times the larger of our RX and its TX.
    assertThat(m.detectionTimeMicros()).isEqualTo(4 * 200_000);
  }

  @Test
  void detectMultOneJittersBetween75And90Percent() {
    BfdStateMachine m =
        new BfdStateMachine(new BfdStateMachine.Settings(2_000_000, 100_000, 1, false), 5);
    assertThat(m.nextTransmitMicros(0.0)).isEqualTo(1_500_000);
    assertThat(m.nextTransmitMicros(0.9999)).isBetween(1_799_000L, 1_800_000L);
  }

  @Test
  void detectionTimeExpiryTakesUpDownAndForgetsThePeer() {
    BfdStateMachine m = at(State.UP);
    assertThat(m.detectionTimeExpired()).isTrue();
    assertThat(m.state()).isEqualTo(State.DOWN);
    assertThat(m.diag()).isEqualTo(Diag.CONTROL_DETECTION_TIME_EXPIRED);
    assertThat(m.remoteDiscriminator()).isZero();
    assertThat(m.detectionTimeExpired()).as("nothing to expire when Down").isFalse();
  }

  @Test
  void passiveWaitsForThePeer() {
    BfdStateMachine m =
        new BfdStateMachine(new BfdStateMachine.Settings(100_000, 100_000, 3, true), 5);
    assertThat(m.mayTransmit()).isFalse();
    m.receive(from(State.DOWN, 0));
    assertThat(m.mayTransmit()).isTrue();
  }

  @Test
  void authenticatedPacketsAreDiscarded() {
    BfdStateMachine m = at(State.DOWN);
    BfdStateMachine.Reaction r =
        m.receive(
            new BfdPacket(
                Diag.NONE, State.INIT, false, false, false, true, false, false, 3, 77, 5, 1, 1, 0));
    assertThat(r.changed()).isFalse();
    assertThat(m.remoteDiscriminator()).isZero();
  }
}
