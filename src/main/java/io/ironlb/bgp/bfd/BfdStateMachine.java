package io.ironlb.bgp.bfd;

import io.ironlb.bgp.bfd.BfdPacket.Diag;
import io.ironlb.bgp.bfd.BfdPacket.State;

/**
 * One BFD session's state variables and rules (RFC 5880 §6.8, Asynchronous mode, no Echo, no
 * Demand, no authentication): what a received packet does to the session, what to send and when,
 * and when the peer counts as gone. Pure — no timers, no I/O; the session actor asks it and acts.
 */
public final class BfdStateMachine {

  /**
   * @param desiredMinTxMicros the fastest this end wants to send (the profile's transmitInterval)
   * @param requiredMinRxMicros the fastest this end can receive (receiveInterval)
   * @param detectMult packets missed before the peer is declared down (detectMultiplier)
   * @param passive wait for the peer's first packet before sending any (passiveMode, §6.1)
   */
  public record Settings(
      long desiredMinTxMicros, long requiredMinRxMicros, int detectMult, boolean passive) {}

  /** What a received packet did. */
  public record Reaction(State before, State after, boolean answerWithFinal) {
    public boolean changed() {
      return before != after;
    }
  }

  /** §6.8.3: below Up, a session sends no faster than once a second. */
  static final long SLOW_TX_MICROS = 1_000_000;

  private final Settings settings;
  private final long localDiscriminator;
  private State state = State.DOWN;
  private Diag diag = Diag.NONE;
  private long remoteDiscriminator;
  private State remoteState = State.DOWN;
  private long remoteMinRxMicros = 1; // §6.8.1: initialised to 1
  private long remoteDesiredMinTxMicros;
  private int remoteDetectMult;
  private boolean pollActive;

  public BfdStateMachine(Settings settings, long localDiscriminator) {
    if (localDiscriminator == 0 || localDiscriminator > 0xFFFFFFFFL) {
      throw new IllegalArgumentException("discriminator must be a non-zero 32-bit value");
    }
    this.settings = settings;
    this.localDiscriminator = localDiscriminator;
  }

  public State state() {
    return state;
  }

  public Diag diag() {
    return diag;
  }

  public long localDiscriminator() {
    return localDiscriminator;
  }

  public long remoteDiscriminator() {
    return remoteDiscriminator;
  }

  public boolean pollActive() {
    return pollActive;
  }

  /** §6.8.3: the Desired Min TX this end advertises now. */
  long desiredMinTxMicros() {
    return state == State.UP
        ? settings.desiredMinTxMicros()
        : Math.max(settings.desiredMinTxMicros(), SLOW_TX_MICROS);
  }

  /** §6.8.6: the packet's effect on the session. Call only with packets for this session. */
  public Reaction receive(BfdPacket p) {
    State before = state;
    if (p.authenticated()) {
      return new Reaction(before, state, false); // no authentication configured: discard
    }
    remoteDiscriminator = p.myDiscriminator();
    remoteState = p.state();
    remoteMinRxMicros = p.requiredMinRxMicros();
    remoteDesiredMinTxMicros = p.desiredMinTxMicros();
    remoteDetectMult = p.detectMult();
    if (p.fin() && pollActive) {
      pollActive = false; // §6.5: the Poll Sequence ends
    }
    if (state == State.ADMIN_DOWN) {
      return new Reaction(before, state, false);
    }
    if (remoteState == State.ADMIN_DOWN) {
      if (state != State.DOWN) {
        goDown(Diag.NEIGHBOR_SIGNALED_SESSION_DOWN);
      }
    } else if (state == State.DOWN) {
      if (remoteState == State.DOWN) {
        state = State.INIT;
      } else if (remoteState == State.INIT) {
        goUp();
      }
    } else if (state == State.INIT) {
      if (remoteState == State.INIT || remoteState == State.UP) {
        goUp();
      }
    } else if (remoteState == State.DOWN) { // Up
      goDown(Diag.NEIGHBOR_SIGNALED_SESSION_DOWN);
    }
    return new Reaction(before, state, p.poll());
  }

  /** §6.8.4: no packet within the Detection Time. Returns whether the session went Down. */
  public boolean detectionTimeExpired() {
    if (state == State.INIT || state == State.UP) {
      goDown(Diag.CONTROL_DETECTION_TIME_EXPIRED);
      remoteDiscriminator = 0; // §6.8.1: forget the peer's discriminator
      return true;
    }
    return false;
  }

  private void goUp() {
    state = State.UP;
    diag = Diag.NONE;
    // §6.8.3: Desired Min TX drops from the Down-state second to the configured value; tell the
    // peer with a Poll Sequence so it can shorten its Detection Time.
    pollActive = settings.desiredMinTxMicros() < SLOW_TX_MICROS;
  }

  private void goDown(Diag why) {
    state = State.DOWN;
    diag = why;
    pollActive = false;
  }

  /** §6.8.7: whether to send periodic packets at all. */
  public boolean mayTransmit() {
    if (settings.passive() && remoteDiscriminator == 0) {
      return false;
    }
    return remoteMinRxMicros != 0;
  }

  /** The next Control packet: with F when answering a Poll, with P while a Poll Sequence runs. */
  public BfdPacket packet(boolean fin) {
    return BfdPacket.of(
        diag,
        state,
        pollActive && !fin,
        fin,
        settings.detectMult(),
        localDiscriminator,
        remoteDiscriminator,
        desiredMinTxMicros(),
        settings.requiredMinRxMicros());
  }

  /**
   * §6.8.7: the interval until the next periodic packet, the larger of this end's Desired Min TX
   * and the peer's Required Min RX, less a random 0–25 % (0–10 % off 90 % when Detect Mult is 1, so
   * that no two consecutive intervals can both miss). {@code random} is uniform in [0, 1).
   */
  public long nextTransmitMicros(double random) {
    long interval = Math.max(desiredMinTxMicros(), remoteMinRxMicros);
    double factor = settings.detectMult() == 1 ? 0.75 + 0.15 * random : 0.75 + 0.25 * random;
    return (long) (interval * factor);
  }

  /**
   * §6.8.4: how long the peer may stay silent: its Detect Mult times the larger of this end's
   * Required Min RX and the peer's last Desired Min TX. Zero before the peer has sent anything.
   */
  public long detectionTimeMicros() {
    if (remoteDetectMult == 0) {
      return 0;
    }
    return remoteDetectMult * Math.max(settings.requiredMinRxMicros(), remoteDesiredMinTxMicros);
  }
}
