package io.ironlb.bgp.wire;

/**
 * A path attribute error that RFC 7606 handles below the session: the UPDATE becomes
 * treat-as-withdraw (§2), or only the attribute is dropped ("attribute discard"). Errors that reset
 * the session are {@link BgpProtocolException}s instead.
 */
final class AttributeError extends Exception {
  private static final long serialVersionUID = 1L;

  private final boolean discardOnly;

  private AttributeError(String message, boolean discardOnly) {
    super(message, null, false, false);
    this.discardOnly = discardOnly;
  }

  /** The routes of the UPDATE are withdrawn; the session stays up. */
  static AttributeError treatAsWithdraw(String message) {
    return new AttributeError(message, false);
  }

  /** The attribute is ignored; the routes stand. */
  static AttributeError discard(String message) {
    return new AttributeError(message, true);
  }

  boolean discardOnly() {
    return discardOnly;
  }
}
