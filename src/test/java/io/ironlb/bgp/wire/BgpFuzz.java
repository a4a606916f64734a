package io.ironlb.bgp.wire;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

/**
 * Mutation fuzzing of the decoder: real messages (the routers' captures) with bytes flipped,
 * inserted, removed or truncated, the length field sometimes patched to match, plus random bytes.
 * Each result must be a message or a {@link BgpProtocolException} whose NOTIFICATION fits what was
 * wrong ({@link #check}); anything else — another exception, a code from the wrong family — is a
 * finding. {@code main} is the benchmark profile (scripts/bench-fuzz.sh, a million by default).
 */
public final class BgpFuzz {
  private BgpFuzz() {}

  /** How many inputs decoded, and how many were refused with which error class. */
  public record Stats(long decoded, long refused, long treatAsWithdraw) {}

  static List<byte[]> seeds() throws IOException {
    List<byte[]> out = new ArrayList<>();
    try (InputStream in = BgpFuzz.class.getResourceAsStream("/captures/bgp-peers.txt")) {
      new String(in.readAllBytes(), StandardCharsets.UTF_8)
          .lines()
          .filter(l -> !l.isBlank() && !l.startsWith("#"))
          .forEach(l -> out.add(HexFormat.of().parseHex(l.split(" ")[3])));
    }
    return out;
  }

  /** One mutated or random input. */
  static byte[] mutate(List<byte[]> seeds, Random r) {
    if (r.nextInt(10) == 0) {
      byte[] b = new byte[r.nextInt(64)];
      r.nextBytes(b);
      if (r.nextBoolean() && b.length >= 19) {
        java.util.Arrays.fill(b, 0, 16, (byte) 0xFF);
      }
      return b;
    }
    byte[] seed = seeds.get(r.nextInt(seeds.size()));
    List<Byte> b = new ArrayList<>();
    for (byte x : seed) {
      b.add(x);
    }
    int edits = 1 + r.nextInt(4);
    for (int e = 0; e < edits && !b.isEmpty(); e++) {
      int at = r.nextInt(b.size());
      switch (r.nextInt(5)) {
        case 0 -> b.set(at, (byte) r.nextInt(256));
        case 1 -> b.set(at, (byte) (b.get(at) ^ (1 << r.nextInt(8))));
        case 2 -> b.add(at, (byte) r.nextInt(256));
        case 3 -> b.remove(at);
        default -> {
          while (b.size() > at) {
            b.remove(b.size() - 1);
          }
        }
      }
    }
    byte[] out = new byte[b.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = b.get(i);
    }
    if (out.length >= 19 && r.nextInt(3) > 0) {
      // Most of the time keep the header honest, so the fuzzing reaches the bodies.
      out[16] = (byte) (out.length >>> 8);
      out[17] = (byte) out.length;
    }
    return out;
  }

  /**
   * Decodes one input and checks the verdict against what is wrong with it (RFC 4271 §6.1 for the
   * header; then the error family of the message type). Returns 1 decoded, 0 refused, 2
   * treat-as-withdraw; throws AssertionError on a finding.
   */
  static int check(byte[] in) {
    try {
      BgpMessage m = BgpCodec.decode(in, new BgpCodec.Options(true));
      if (m instanceof BgpMessage.Update u && u.treatAsWithdraw() != null) {
        return 2; // its bad attribute is gone from the model: no round trip to compare
      }
      // Whatever decodes well-formed must also encode, and come back the same.
      BgpMessage again =
          BgpCodec.decode(
              BgpCodec.encode(m, new BgpCodec.Options(true)), new BgpCodec.Options(true));
      if (!again.equals(m)) {
        throw new AssertionError("round trip changed " + m + " into " + again);
      }
      return 1;
    } catch (BgpProtocolException e) {
      int code = e.notification().code();
      int subcode = e.notification().subcode();
      String where = code + "/" + subcode + " for " + HexFormat.of().formatHex(in);
      boolean marker = in.length >= 16;
      for (int i = 0; i < 16 && marker; i++) {
        marker = in[i] == (byte) 0xFF;
      }
      if (in.length < 19) {
        expect(code == 1 && subcode == 2, "short input: want 1/2, got " + where);
      } else if (!marker) {
        expect(code == 1 && subcode == 1, "bad marker: want 1/1, got " + where);
      } else {
        int type = in[18] & 0xFF;
        if (type < 1 || type > 5) {
          expect(code == 1 && subcode == 3, "bad type: want 1/3, got " + where);
        } else {
          int family =
              switch (type) {
                case BgpMessage.OPEN -> 2;
                case BgpMessage.UPDATE -> 3;
                case BgpMessage.ROUTE_REFRESH -> 7;
                default -> 1;
              };
          expect(code == 1 && subcode == 2 || code == family, "type " + type + ": got " + where);
        }
      }
      return 0;
    } catch (RuntimeException e) {
      throw new AssertionError("exception escaped for " + HexFormat.of().formatHex(in), e);
    }
  }

  private static void expect(boolean ok, String what) {
    if (!ok) {
      throw new AssertionError(what);
    }
  }

  public static Stats run(long seed, long count) throws IOException {
    List<byte[]> seeds = seeds();
    Random r = new Random(seed);
    long[] n = new long[3];
    for (long i = 0; i < count; i++) {
      n[check(mutate(seeds, r))]++;
    }
    return new Stats(n[1], n[0], n[2]);
  }

  public static void main(String[] args) throws IOException {
    long count = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000;
    long seed = args.length > 1 ? Long.parseLong(args[1]) : System.nanoTime();
    long t0 = System.nanoTime();
    Stats s = run(seed, count);
    long ms = (System.nanoTime() - t0) / 1_000_000;
    System.out.printf(
        "%,d inputs (seed %d) in %,d ms: %,d decoded, %,d refused with the right NOTIFICATION,"
            + " %,d treat-as-withdraw; no exception escaped%n",
        count, seed, ms, s.decoded(), s.refused(), s.treatAsWithdraw());
  }
}
