package io.ironlb.l2.arp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ironlb.l2.Captures;
import io.ironlb.l2.link.MacAddress;
import io.ironlb.l2.link.MalformedFrameException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Byte-exact against frames captured from iputils arping and the Linux kernel. */
class ArpCodecTest {
  private static final Map<String, byte[]> CAPTURED = Captures.load("linux-arping-ndisc6.txt");
  private static final MacAddress A = MacAddress.parse("02:22:00:00:00:0a");
  private static final MacAddress B = MacAddress.parse("02:22:00:00:00:0b");

  private static Inet4Address ip(String s) throws Exception {
    return (Inet4Address) InetAddress.getByName(s);
  }

  @Test
  void decodesArpingsRequest() throws Exception {
    ArpPacket p = ArpCodec.decode(CAPTURED.get("arping-request"));
    assertThat(p)
        .isEqualTo(
            new ArpPacket(
                MacAddress.BROADCAST,
                B,
                ArpPacket.REQUEST,
                B,
                ip("10.222.250.2"),
                MacAddress.BROADCAST,
                ip("10.222.250.1")));
    assertThat(p.isGratuitous()).isFalse();
  }

  @Test
  void answersExactlyAsTheLinuxKernelDoes() throws Exception {
    ArpPacket request = ArpCodec.decode(CAPTURED.get("arping-request"));
    assertThat(ArpCodec.encode(ArpCodec.reply(request, A)))
        .isEqualTo(CAPTURED.get("kernel-arp-reply"));
  }

  @Test
  void gratuitousFormsMatchArping() throws Exception {
    assertThat(ArpCodec.encode(ArpCodec.gratuitousRequest(B, ip("10.222.250.2"))))
        .isEqualTo(CAPTURED.get("arping-gratuitous-request"));
    assertThat(ArpCodec.encode(ArpCodec.gratuitousReply(B, ip("10.222.250.2"))))
        .isEqualTo(CAPTURED.get("arping-gratuitous-reply"));
    assertThat(ArpCodec.decode(CAPTURED.get("arping-gratuitous-reply")).isGratuitous()).isTrue();
  }

  @Test
  void roundTripsEveryCapturedArpFrame() throws Exception {
    for (var e : CAPTURED.entrySet()) {
      if (e.getKey().contains("arp")) {
        assertThat(ArpCodec.encode(ArpCodec.decode(e.getValue())))
            .as(e.getKey())
            .isEqualTo(e.getValue());
      }
    }
  }

  @Test
  void paddedFramesDecode() throws Exception {
    byte[] padded = Arrays.copyOf(CAPTURED.get("arping-request"), 60); // minimum Ethernet frame
    assertThat(ArpCodec.decode(padded).targetProtocol()).isEqualTo(ip("10.222.250.1"));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "truncated, ffffffffffff02220000000b0806000108000604000102220000000b0adefa02ffffffffffff0adefa",
    "not-arp,   ffffffffffff02220000000b0800000108000604000102220000000b0adefa02ffffffffffff0adefa01",
    "unsupported, ffffffffffff02220000000b0806000608000604000102220000000b0adefa02ffffffffffff0adefa01",
    "unsupported, ffffffffffff02220000000b0806000186dd0604000102220000000b0adefa02ffffffffffff0adefa01",
    "unsupported, ffffffffffff02220000000b0806000108000604000302220000000b0adefa02ffffffffffff0adefa01"
  })
  void malformedFramesAreRejectedWithAReason(String reason, String hex) {
    assertThatThrownBy(() -> ArpCodec.decode(HexFormat.of().parseHex(hex)))
        .isInstanceOf(MalformedFrameException.class)
        .extracting(e -> ((MalformedFrameException) e).reason())
        .isEqualTo(reason);
  }
}
