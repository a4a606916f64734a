package io.ironlb.l2.link;

/** Big-endian field access for the link-layer codecs. */
public final class Frames {
  private Frames() {}

  public static int u16(byte[] b, int offset) {
    return ((b[offset] & 0xFF) << 8) | (b[offset + 1] & 0xFF);
  }

  public static void put16(byte[] b, int offset, int v) {
    b[offset] = (byte) (v >>> 8);
    b[offset + 1] = (byte) v;
  }
}
