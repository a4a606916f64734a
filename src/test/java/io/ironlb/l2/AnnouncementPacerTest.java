package io.ironlb.l2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The gratuitous-announcement pacer, tick by tick. */
class AnnouncementPacerTest {

  private static InetAddress ip(String text) {
    try {
      return InetAddress.getByName(text);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }

  /** Each tick's announcements as text, for {@code ticks} ticks. */
  private static List<List<String>> run(AnnouncementPacer pacer, int ticks) {
    List<List<String>> out = new ArrayList<>();
    for (int t = 0; t < ticks; t++) {
      out.add(pacer.tick().stream().map(InetAddress::getHostAddress).toList());
    }
    return out;
  }

  @Test
  void everyAddressIsAnnouncedBurstsTimesIntervalApart() {
    AnnouncementPacer pacer = new AnnouncementPacer(3, 2, 8);
    pacer.acquire(ip("10.222.0.1"));
    assertThat(run(pacer, 6))
        .containsExactly(
            List.of("10.222.0.1"),
            List.of(),
            List.of("10.222.0.1"),
            List.of(),
            List.of("10.222.0.1"),
            List.of());
    assertThat(pacer.idle()).isTrue();
  }

  @Test
  void aTickSpendsAtMostItsFramesTwoPerIpv4AddressOnePerIpv6Address() {
    AnnouncementPacer pacer = new AnnouncementPacer(1, 10, 4);
    for (String a : List.of("10.222.0.1", "10.222.0.2", "fd00:222::1", "10.222.0.3")) {
      pacer.acquire(ip(a));
    }
    assertThat(run(pacer, 3))
        .containsExactly(
            List.of("10.222.0.1", "10.222.0.2"),
            List.of("fd00:222:0:0:0:0:0:1", "10.222.0.3") /* 1 + 2 frames */,
            List.of());
  }

  @Test
  void firstAnnouncementsGoBeforeRepeatsThatAreDue() {
    // One IPv4 address per tick; a repeat is due two ticks after each burst. Five addresses are a
    // backlog of five ticks: every first announcement still goes before the first repeat.
    AnnouncementPacer pacer = new AnnouncementPacer(2, 2, 2);
    for (int i = 1; i <= 5; i++) {
      pacer.acquire(ip("10.222.0." + i));
    }
    assertThat(run(pacer, 10).stream().flatMap(List::stream).toList())
        .containsExactly(
            "10.222.0.1",
            "10.222.0.2",
            "10.222.0.3",
            "10.222.0.4",
            "10.222.0.5",
            "10.222.0.1",
            "10.222.0.2",
            "10.222.0.3",
            "10.222.0.4",
            "10.222.0.5");
  }

  @Test
  void anAddressAcquiredLaterOvertakesRepeats() {
    AnnouncementPacer pacer = new AnnouncementPacer(3, 1, 2);
    pacer.acquire(ip("10.222.0.1"));
    assertThat(pacer.tick()).containsExactly(ip("10.222.0.1"));
    pacer.acquire(ip("10.222.0.2"));
    assertThat(pacer.tick()).containsExactly(ip("10.222.0.2")); // .1's repeat waits
    assertThat(pacer.tick()).containsExactly(ip("10.222.0.1"));
  }

  @Test
  void aReleasedAddressIsNoLongerAnnouncedAndAReacquiredOneStartsAgain() {
    AnnouncementPacer pacer = new AnnouncementPacer(3, 1, 8);
    pacer.acquire(ip("10.222.0.1"));
    pacer.acquire(ip("10.222.0.2"));
    assertThat(pacer.tick()).containsExactly(ip("10.222.0.1"), ip("10.222.0.2"));
    pacer.release(ip("10.222.0.1"));
    assertThat(pacer.tick()).containsExactly(ip("10.222.0.2"));
    pacer.acquire(ip("10.222.0.1")); // three bursts again; the old ownership's repeat is skipped
    assertThat(run(pacer, 4))
        .containsExactly(
            List.of("10.222.0.1", "10.222.0.2"),
            List.of("10.222.0.1"),
            List.of("10.222.0.1"),
            List.of());
    assertThat(pacer.idle()).isTrue();
  }

  @Test
  void releasedBeforeItsFirstAnnouncementIsNeverAnnounced() {
    AnnouncementPacer pacer = new AnnouncementPacer(3, 1, 8);
    pacer.acquire(ip("10.222.0.1"));
    pacer.release(ip("10.222.0.1"));
    assertThat(pacer.tick()).isEmpty();
    assertThat(pacer.idle()).isTrue();
  }

  @Test
  void settingsThatCouldNeverSendAreRefused() {
    assertThatThrownBy(() -> new AnnouncementPacer(1, 1, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new AnnouncementPacer(0, 1, 2))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
