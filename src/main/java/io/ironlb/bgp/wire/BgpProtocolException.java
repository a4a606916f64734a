package io.ironlb.bgp.wire;

/**
 * Input that RFC 4271 (as amended by RFC 7606) answers with a NOTIFICATION and the end of the
 * session: {@link #notification()} is what to send. Carries no stack trace; it is a verdict on the
 * peer's bytes, not a fault of ours.
 */
public final class BgpProtocolException extends Exception {
  private static final long serialVersionUID = 1L;
  private final NotificationCode code;
  private final byte[] data;

  public BgpProtocolException(NotificationCode code, byte[] data, String detail) {
    super(code + ": " + detail, null, false, false);
    this.code = code;
    this.data = data.clone();
  }

  public BgpProtocolException(NotificationCode code, String detail) {
    this(code, new byte[0], detail);
  }

  public NotificationCode code() {
    return code;
  }

  public BgpMessage.Notification notification() {
    return new BgpMessage.Notification(code, data);
  }
}
