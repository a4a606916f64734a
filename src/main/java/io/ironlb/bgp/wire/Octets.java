package io.ironlb.bgp.wire;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * Opaque bytes a message carries without IronLB interpreting them — a NOTIFICATION's data, an
 * unknown capability's or path attribute's value — immutable and compared by value, so the records
 * that hold them stay plain records.
 */
public final class Octets {
  public static final Octets EMPTY = new Octets(new byte[0]);

  private final byte[] bytes;

  private Octets(byte[] bytes) {
    this.bytes = bytes;
  }

  /** A copy of {@code bytes}: later changes to the array do not show. */
  public static Octets copyOf(byte[] bytes) {
    return bytes.length == 0 ? EMPTY : new Octets(bytes.clone());
  }

  /** A copy of the bytes. */
  public byte[] toByteArray() {
    return bytes.clone();
  }

  public int length() {
    return bytes.length;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Octets other && Arrays.equals(other.bytes, bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  /** Hex, as captures and logs show them. */
  @Override
  public String toString() {
    return HexFormat.of().formatHex(bytes);
  }
}
