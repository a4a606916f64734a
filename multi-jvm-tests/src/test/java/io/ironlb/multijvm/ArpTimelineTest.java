package io.ironlb.multijvm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The chaos checker's reading of a capture, on lines as tcpdump -n -tt -e arp prints them. */
class ArpTimelineTest {
  private static final String CLIENT = "02:22:00:00:00:64";
  private static final String N1 = "02:22:00:00:00:01";
  private static final String N2 = "02:22:00:00:00:02";
  private static final String VIP = "10.222.70.200";

  private static String request(String at) {
    return at
        + " "
        + CLIENT
        + " > ff:ff:ff:ff:ff:ff, ethertype ARP (0x0806), length 42: Request who-has "
        + VIP
        + " tell 10.222.70.100, length 28";
  }

  private static String reply(String at, String mac) {
    return at
        + " "
        + mac
        + " > "
        + CLIENT
        + ", ethertype ARP (0x0806), length 42: Reply "
        + VIP
        + " is-at "
        + mac
        + ", length 28";
  }

  private static String gratuitous(String at, String mac) {
    return at
        + " "
        + mac
        + " > ff:ff:ff:ff:ff:ff, ethertype ARP (0x0806), length 42: Request who-has "
        + VIP
        + " tell "
        + VIP
        + ", length 28";
  }

  @Test
  void twoAnsweringAndUnansweredTimeAndStraysAreReadFromTheCapture() {
    ArpTimeline t =
        new ArpTimeline(
            CLIENT,
            List.of(
                request("100.000"),
                reply("100.001", N1),
                request("100.050"), // unanswered
                request("100.100"), // unanswered
                request("100.150"),
                reply("100.151", N2),
                gratuitous("100.152", N2),
                request("100.200"),
                reply("100.201", N2),
                reply("100.202", N1), // two answer this one
                request("100.250"),
                reply("100.251", N2),
                "100.260000 something tcpdump printed that is not ARP"));
    ArpTimeline.Verdict v = t.verdict(VIP, 100_000, 100_300);
    assertThat(v.requests()).isEqualTo(6);
    assertThat(v.longestUnansweredMs()).isEqualTo(100);
    assertThat(v.twoAnsweringMs()).isEqualTo(50);
    assertThat(v.owners()).containsExactly(N2);
    assertThat(t.owner(VIP, 100_150, 100_300)).isEqualTo(N2);
    assertThat(t.strays(VIP, N2, 100_150, 100_300))
        .extracting(ArpTimeline.Frame::source)
        .containsExactly(N1);
    assertThat(t.frames())
        .filteredOn(f -> f.kind() == ArpTimeline.Kind.ANNOUNCEMENT)
        .extracting(ArpTimeline.Frame::at)
        .containsExactly(100_152L);
  }

  @Test
  void aRequestIsUnansweredOnlyWhenNoReplyComesWithinTheLimit() {
    ArpTimeline t =
        new ArpTimeline(
            CLIENT,
            List.of(
                request("100.000"),
                reply("100.900", N1), // late, but within a second
                request("101.000"),
                gratuitous("101.500", N2), // an announcement is no reply
                request("102.600"),
                reply("102.601", N2)));
    assertThat(t.unanswered(VIP, 100_000, 103_000, 1000)).containsExactly(101_000L);
    assertThat(t.unanswered(VIP, 100_000, 103_000, 100)).containsExactly(100_000L, 101_000L);
    assertThat(t.unanswered("10.222.70.201", 100_000, 103_000, 1000)).isEmpty();
  }
}
