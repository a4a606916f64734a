package io.ironlb.l2.link;

/**
 * A frame that is not a valid ARP or NDP message. The reason is a short, stable label (it becomes a
 * metric label), e.g. {@code truncated} or {@code bad-checksum}.
 */
public final class MalformedFrameException extends Exception {
  private static final long serialVersionUID = 1L;
  private final String reason;

  public MalformedFrameException(String reason, String detail) {
    super(reason + ": " + detail, null, false, false);
    this.reason = reason;
  }

  public String reason() {
    return reason;
  }
}
