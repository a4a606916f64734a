package io.ironlb.bgp.bfd;

/**
 * A BFD Control packet (RFC 5880 §4.1) without authentication. Intervals are in microseconds, as on
 * the wire; discriminators are unsigned 32-bit values held in longs.
 *
 * @param diag why the sender's session last changed state (RFC 5880 §4.1, Diag)
 * @param poll P: the sender asks for a packet with F set (a Poll Sequence, §6.5)
 * @param fin F: the answer to a Poll
 * @param cpi C: the sender's BFD is independent of its control plane
 * @param authenticated A: an authentication section follows (not supported: such packets are
 *     dropped, §6.8.6)
 * @param demand D: the sender wants Demand mode (never set by IronLB)
 * @param multipoint M: reserved, must be zero
 */
public record BfdPacket(
    Diag diag,
    State state,
    boolean poll,
    boolean fin,
    boolean cpi,
    boolean authenticated,
    boolean demand,
    boolean multipoint,
    int detectMult,
    long myDiscriminator,
    long yourDiscriminator,
    long desiredMinTxMicros,
    long requiredMinRxMicros,
    long requiredMinEchoRxMicros) {

  /** Session states as carried in the Sta field (RFC 5880 §4.1). */
  public enum State {
    ADMIN_DOWN,
    DOWN,
    INIT,
    UP;

    static State of(int code) {
      return values()[code & 3];
    }
  }

  /** Diagnostic codes (RFC 5880 §4.1); values past 8 are kept as UNKNOWN. */
  public enum Diag {
    NONE,
    CONTROL_DETECTION_TIME_EXPIRED,
    ECHO_FUNCTION_FAILED,
    NEIGHBOR_SIGNALED_SESSION_DOWN,
    FORWARDING_PLANE_RESET,
    PATH_DOWN,
    CONCATENATED_PATH_DOWN,
    ADMINISTRATIVELY_DOWN,
    REVERSE_CONCATENATED_PATH_DOWN,
    UNKNOWN;

    static Diag of(int code) {
      return code < UNKNOWN.ordinal() ? values()[code] : UNKNOWN;
    }
  }

  /** A packet as IronLB sends them: no C, A, D or M bit. */
  public static BfdPacket of(
      Diag diag,
      State state,
      boolean poll,
      boolean fin,
      int detectMult,
      long myDiscriminator,
      long yourDiscriminator,
      long desiredMinTxMicros,
      long requiredMinRxMicros) {
    return new BfdPacket(
        diag,
        state,
        poll,
        fin,
        false,
        false,
        false,
        false,
        detectMult,
        myDiscriminator,
        yourDiscriminator,
        desiredMinTxMicros,
        requiredMinRxMicros,
        0);
  }
}
