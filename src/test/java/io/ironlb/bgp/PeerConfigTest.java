package io.ironlb.bgp;

import static org.assertj.core.api.Assertions.assertThat;

import io.ironlb.bgp.session.PeerAs;
import io.ironlb.bgp.wire.Capability;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What a BGPPeer's fields make of a session, by table. */
class PeerConfigTest {

  private static PeerConfig config(
      String address, String iface, boolean dualStack, Duration connectTime) throws Exception {
    return new PeerConfig(
        address == null ? null : new InetSocketAddress(InetAddress.getByName(address), 179),
        null,
        64512,
        new PeerAs.Exactly(64500),
        (Inet4Address) InetAddress.getByName("10.222.0.1"),
        90,
        null,
        connectTime,
        null,
        false,
        null,
        false,
        null,
        iface,
        dualStack);
  }

  /**
   * connectTime (ms, "-" for none), failures in a row, the random draw → the wait before the next
   * attempt (ms): with connectTime never more than it (RFC 4271 §10 jitter, 0.75–1.0); without, 1 s
   * doubling to 30 s plus up to a quarter.
   */
  @ParameterizedTest(name = "connectTime {0} ms, {1} failures, random {2} → {3} ms")
  @CsvSource(
      nullValues = "-",
      textBlock =
          """
          5000, 1,  0.0,  5000
          5000, 1,  0.99, 3763
          5000, 9,  0.5,  4375
          200,  3,  0.0,  200
          -,    1,  0.0,  1000
          -,    2,  0.0,  2000
          -,    3,  0.5,  4500
          -,    6,  0.0,  30000
          -,    20, 0.99, 37425
          """)
  void theWaitBeforeTheNextConnect(Long connectTime, int failures, double random, long wait)
      throws Exception {
    PeerConfig c =
        config(
            "10.222.0.2", null, false, connectTime == null ? null : Duration.ofMillis(connectTime));
    assertThat(c.retryDelay(failures, random)).isEqualTo(Duration.ofMillis(wait));
    assertThat(c.connectTimeout())
        .isEqualTo(connectTime == null ? Duration.ofSeconds(3) : Duration.ofMillis(connectTime));
  }

  /**
   * peer address or interface, dualStackAddressFamily → the families the session carries, whether
   * it offers IPv4 over an IPv6 next hop (RFC 8950), its label (/v1/bgp/peers, metrics).
   */
  @ParameterizedTest(name = "{0} {1}, dual-stack {2} → families {3}, extended next hop {4}")
  @CsvSource(
      nullValues = "-",
      textBlock =
          """
          10.222.0.2,  -,    false, 1,   false, 10.222.0.2:179
          10.222.0.2,  -,    true,  1 2, false, 10.222.0.2:179
          fd00:222::2, -,    false, 2,   false, fd00:222:0:0:0:0:0:2:179
          fd00:222::2, -,    true,  1 2, true,  fd00:222:0:0:0:0:0:2:179
          -,           eth1, false, 1 2, true,  eth1
          """)
  void whatASessionCarries(
      String address,
      String iface,
      boolean dualStack,
      String families,
      boolean extendedNextHop,
      String label)
      throws Exception {
    PeerConfig c = config(address, iface, dualStack, null);
    Set<Integer> expected =
        families.contains(" ")
            ? Set.of(Capability.AFI_IPV4, Capability.AFI_IPV6)
            : Set.of(Integer.valueOf(families));
    assertThat(c.families()).isEqualTo(expected);
    assertThat(c.extendedNextHop()).isEqualTo(extendedNextHop);
    assertThat(c.label()).isEqualTo(label);
  }
}
