package io.ironlb.config;

/**
 * A BGP community value: standard (RFC 1997, two 16-bit halves, written {@code 65000:100}) or large
 * (RFC 8092, three 32-bit parts, written {@code large:65000:1:2}).
 */
public sealed interface BgpCommunity {

  record Standard(int asn, int value) implements BgpCommunity {
    /** The 32-bit wire value. */
    public int toInt() {
      return (asn << 16) | value;
    }

    @Override
    public String toString() {
      return asn + ":" + value;
    }
  }

  record Large(long globalAdministrator, long localData1, long localData2) implements BgpCommunity {
    @Override
    public String toString() {
      return "large:" + globalAdministrator + ":" + localData1 + ":" + localData2;
    }
  }

  /** Thrown for text that has a community's shape but a part out of range. */
  final class InvalidValueException extends IllegalArgumentException {
    InvalidValueException(String message) {
      super(message);
    }
  }

  /** Thrown for text that is not shaped like a community at all (it may be an alias). */
  final class InvalidFormatException extends IllegalArgumentException {
    InvalidFormatException(String message) {
      super(message);
    }
  }

  /**
   * Parses {@code a:b} or {@code large:a:b:c}, as MetalLB's community.New: a value whose shape is
   * right but whose parts are out of range is an {@link InvalidValueException}; anything else is an
   * {@link InvalidFormatException} (it may be the name of an alias).
   */
  static BgpCommunity parse(String text) {
    String[] parts = text.split(":", -1);
    if (parts.length == 2) {
      return new Standard((int) part(text, parts[0], 0xFFFF), (int) part(text, parts[1], 0xFFFF));
    }
    if (parts.length == 4) {
      if (!parts[0].equals("large")) {
        throw new InvalidValueException(
            "invalid marker \""
                + parts[0]
                + "\" for large community \""
                + text
                + "\" (use large:a:b:c)");
      }
      return new Large(
          part(text, parts[1], 0xFFFF_FFFFL),
          part(text, parts[2], 0xFFFF_FFFFL),
          part(text, parts[3], 0xFFFF_FFFFL));
    }
    throw new InvalidFormatException(
        "invalid community format \"" + text + "\" (use 65000:100 or large:65000:1:2)");
  }

  private static long part(String text, String part, long max) {
    long v;
    try {
      v = Long.parseLong(part);
    } catch (NumberFormatException e) {
      v = -1;
    }
    if (v < 0 || v > max || !part.matches("\\d+")) {
      String bits = max == 0xFFFF ? "16" : "32";
      throw new InvalidValueException(
          "invalid section \""
              + part
              + "\" of community \""
              + text
              + "\": not a "
              + bits
              + "-bit number");
    }
    return v;
  }
}
