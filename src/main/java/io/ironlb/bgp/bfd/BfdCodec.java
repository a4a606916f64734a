package io.ironlb.bgp.bfd;

/**
 * Encodes and decodes BFD Control packets (RFC 5880 §4.1), applying the reception checks of §6.8.6
 * that need no session: a packet that fails one is dropped (and counted by the caller), never
 * answered.
 */
public final class BfdCodec {
  /** The mandatory section's length; IronLB sends nothing else. */
  public static final int LENGTH = 24;

  public static final int VERSION = 1;

  private BfdCodec() {}

  /** Why a received packet was dropped (RFC 5880 §6.8.6). */
  public static final class Dropped extends Exception {
    private static final long serialVersionUID = 1L;

    Dropped(String reason) {
      super(reason, null, false, false);
    }
  }

  public static byte[] encode(BfdPacket p) {
    byte[] b = new byte[LENGTH];
    b[0] = (byte) (VERSION << 5 | p.diag().ordinal() & 0x1F);
    b[1] =
        (byte)
            (p.state().ordinal() << 6
                | (p.poll() ? 0x20 : 0)
                | (p.fin() ? 0x10 : 0)
                | (p.cpi() ? 0x08 : 0)
                | (p.authenticated() ? 0x04 : 0)
                | (p.demand() ? 0x02 : 0)
                | (p.multipoint() ? 0x01 : 0));
    b[2] = (byte) p.detectMult();
    b[3] = (byte) LENGTH;
    u32(b, 4, p.myDiscriminator());
    u32(b, 8, p.yourDiscriminator());
    u32(b, 12, p.desiredMinTxMicros());
    u32(b, 16, p.requiredMinRxMicros());
    u32(b, 20, p.requiredMinEchoRxMicros());
    return b;
  }

  /**
   * The packet in {@code b[0..length)}.
   *
   * @throws Dropped when §6.8.6 says to discard it: wrong version, a length that is too short or
   *     longer than the datagram, a zero Detect Mult, the Multipoint bit, a zero My Discriminator,
   *     or a zero Your Discriminator from a session that is neither Down nor AdminDown
   */
  public static BfdPacket decode(byte[] b, int length) throws Dropped {
    if (length < LENGTH) {
      throw new Dropped("datagram of " + length + " bytes, shorter than a Control packet");
    }
    int version = (b[0] & 0xFF) >>> 5;
    if (version != VERSION) {
      throw new Dropped("version " + version);
    }
    boolean auth = (b[1] & 0x04) != 0;
    int declared = b[3] & 0xFF;
    if (declared < (auth ? LENGTH + 2 : LENGTH)) {
      throw new Dropped("length field " + declared + " too short");
    }
    if (declared > length) {
      throw new Dropped("length field " + declared + " beyond the " + length + "-byte datagram");
    }
    BfdPacket p =
        new BfdPacket(
            BfdPacket.Diag.of(b[0] & 0x1F),
            BfdPacket.State.of((b[1] & 0xFF) >>> 6),
            (b[1] & 0x20) != 0,
            (b[1] & 0x10) != 0,
            (b[1] & 0x08) != 0,
            auth,
            (b[1] & 0x02) != 0,
            (b[1] & 0x01) != 0,
            b[2] & 0xFF,
            u32(b, 4),
            u32(b, 8),
            u32(b, 12),
            u32(b, 16),
            u32(b, 20));
    if (p.detectMult() == 0) {
      throw new Dropped("Detect Mult is zero");
    }
    if (p.multipoint()) {
      throw new Dropped("Multipoint bit set");
    }
    if (p.myDiscriminator() == 0) {
      throw new Dropped("My Discriminator is zero");
    }
    if (p.yourDiscriminator() == 0
        && p.state() != BfdPacket.State.DOWN
        && p.state() != BfdPacket.State.ADMIN_DOWN) {
      throw new Dropped("Your Discriminator is zero in state " + p.state());
    }
    return p;
  }

  private static void u32(byte[] b, int at, long v) {
    b[at] = (byte) (v >>> 24);
    b[at + 1] = (byte) (v >>> 16);
    b[at + 2] = (byte) (v >>> 8);
    b[at + 3] = (byte) v;
  }

  private static long u32(byte[] b, int at) {
    return (b[at] & 0xFFL) << 24
        | (b[at + 1] & 0xFFL) << 16
        | (b[at + 2] & 0xFFL) << 8
        | b[at + 3] & 0xFFL;
  }
}
