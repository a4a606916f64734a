package io.ironlb.l2.link;

import java.util.HexFormat;

/** A 48-bit Ethernet address. */
public record MacAddress(long value) {

  public static final MacAddress BROADCAST = new MacAddress(0xFFFF_FFFF_FFFFL);
  public static final MacAddress ZERO = new MacAddress(0);

  public MacAddress {
    if ((value & ~0xFFFF_FFFF_FFFFL) != 0) {
      throw new IllegalArgumentException("not a 48-bit address: " + Long.toHexString(value));
    }
  }

  public static MacAddress of(byte[] b, int offset) {
    long v = 0;
    for (int i = 0; i < 6; i++) {
      v = (v << 8) | (b[offset + i] & 0xFF);
    }
    return new MacAddress(v);
  }

  public static MacAddress of(byte[] six) {
    if (six.length != 6) {
      throw new IllegalArgumentException("a MAC address has 6 bytes, not " + six.length);
    }
    return of(six, 0);
  }

  /** Parses {@code 02:22:00:00:00:0a} (or with dashes). */
  public static MacAddress parse(String text) {
    String hex = text.replace(":", "").replace("-", "");
    if (hex.length() != 12) {
      throw new IllegalArgumentException("not a MAC address: " + text);
    }
    return of(HexFormat.of().parseHex(hex));
  }

  public void write(byte[] b, int offset) {
    for (int i = 5; i >= 0; i--) {
      b[offset + i] = (byte) (value >>> (8 * (5 - i)));
    }
  }

  public byte[] bytes() {
    byte[] b = new byte[6];
    write(b, 0);
    return b;
  }

  public boolean isMulticast() {
    return (value & 0x0100_0000_0000L) != 0;
  }

  @Override
  public String toString() {
    return HexFormat.ofDelimiter(":").formatHex(bytes());
  }
}
