package io.ironlb.multijvm;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a client saw of one segment's ARP, from {@code tcpdump -n -tt -e arp} lines: its own
 * requests, the replies it got (and from which MAC), and gratuitous announcements. The chaos
 * checker's only evidence: it judges IronLB by what clients observe, not by what nodes report.
 * Pure: lines in, figures out.
 */
final class ArpTimeline {

  /** One frame: when (epoch ms), from which MAC, what it says about which address. */
  record Frame(long at, String source, Kind kind, String address) {}

  enum Kind {
    /** The client asks who has the address. */
    REQUEST,
    /** A node answers the client. */
    REPLY,
    /** A node announces the address to everyone (gratuitous request or broadcast reply). */
    ANNOUNCEMENT
  }

  /**
   * For one address over a window: how long two or more nodes answered the client at once, the
   * longest time the client's requests went unanswered, and the announcements (replies and
   * gratuitous frames) from nodes other than the one answering at the window's end.
   */
  record Verdict(
      long twoAnsweringMs, long longestUnansweredMs, List<String> owners, int requests) {}

  private static final Pattern LINE =
      Pattern.compile(
          "^(\\d+\\.\\d+) ([0-9a-f:]{17}) > ([0-9a-f:]{17}), .*?"
              + "(Request who-has (\\S+) tell (\\S+?),|Reply (\\S+) is-at ([0-9a-f:]{17}))");

  private static final String BROADCAST = "ff:ff:ff:ff:ff:ff";

  private final String clientMac;
  private final List<Frame> frames = new ArrayList<>();

  /**
   * @param clientMac the probing client's MAC (lower case, as tcpdump prints it)
   */
  ArpTimeline(String clientMac, Collection<String> lines) {
    this.clientMac = clientMac.toLowerCase();
    for (String line : lines) {
      Frame f = parse(line);
      if (f != null) {
        frames.add(f);
      }
    }
    frames.sort(java.util.Comparator.comparingLong(Frame::at));
  }

  Frame parse(String line) {
    Matcher m = LINE.matcher(line);
    if (!m.find()) {
      return null;
    }
    long at = Math.round(Double.parseDouble(m.group(1)) * 1000);
    String source = m.group(2);
    String destination = m.group(3);
    if (m.group(5) != null) {
      String address = m.group(5);
      String sender = m.group(6);
      if (sender.equals(address)) {
        return new Frame(at, source, Kind.ANNOUNCEMENT, address);
      }
      return source.equals(clientMac) ? new Frame(at, source, Kind.REQUEST, address) : null;
    }
    String address = m.group(7);
    return new Frame(
        at,
        source,
        destination.equals(BROADCAST) || !destination.equals(clientMac)
            ? Kind.ANNOUNCEMENT
            : Kind.REPLY,
        address);
  }

  List<Frame> frames() {
    return frames;
  }

  /**
   * The client's view of {@code address} in [from, to): each request is answered by the MACs that
   * reply before the next request; time with two or more of them counts as two answering, runs of
   * unanswered requests as time without an answer (from the first unanswered request to the next
   * answered one, or to {@code to}).
   */
  Verdict verdict(String address, long from, long to) {
    List<Long> requests = new ArrayList<>();
    for (Frame f : frames) {
      if (f.address().equals(address)
          && f.kind() == Kind.REQUEST
          && f.at() >= from
          && f.at() < to) {
        requests.add(f.at());
      }
    }
    long two = 0;
    long longest = 0;
    Long unansweredSince = null;
    Set<String> lastAnswer = Set.of();
    for (int i = 0; i < requests.size(); i++) {
      long start = requests.get(i);
      long end = i + 1 < requests.size() ? requests.get(i + 1) : to;
      Set<String> answered = answerers(address, start, end);
      if (answered.size() >= 2) {
        two += end - start;
      }
      if (answered.isEmpty()) {
        if (unansweredSince == null) {
          unansweredSince = start;
        }
      } else {
        if (unansweredSince != null) {
          longest = Math.max(longest, start - unansweredSince);
          unansweredSince = null;
        }
        lastAnswer = answered;
      }
    }
    if (unansweredSince != null) {
      longest = Math.max(longest, to - unansweredSince);
    }
    return new Verdict(two, longest, List.copyOf(new TreeSet<>(lastAnswer)), requests.size());
  }

  /**
   * The client's requests for {@code address} in [from, to) that got no reply within {@code
   * withinMs} (epoch ms of each). A Linux client sends its next probe a second after the last
   * (neigh retrans_time), so a request answered within a second is one the client saw answered.
   */
  List<Long> unanswered(String address, long from, long to, long withinMs) {
    List<Long> out = new ArrayList<>();
    for (Frame f : frames) {
      if (f.kind() == Kind.REQUEST
          && f.address().equals(address)
          && f.at() >= from
          && f.at() < to
          && answerers(address, f.at(), f.at() + withinMs + 1).isEmpty()) {
        out.add(f.at());
      }
    }
    return out;
  }

  /** The MACs that replied to the client for {@code address} in [from, to). */
  Set<String> answerers(String address, long from, long to) {
    Set<String> macs = new TreeSet<>();
    for (Frame f : frames) {
      if (f.at() >= from && f.at() < to && f.kind() == Kind.REPLY && f.address().equals(address)) {
        macs.add(f.source());
      }
    }
    return macs;
  }

  /**
   * Frames (replies or announcements) for {@code address} in [from, to) from a MAC other than
   * {@code owner}: once a fault has settled, any of them is a node speaking for an address it does
   * not own.
   */
  List<Frame> strays(String address, String owner, long from, long to) {
    List<Frame> out = new ArrayList<>();
    for (Frame f : frames) {
      if (f.at() >= from
          && f.at() < to
          && f.kind() != Kind.REQUEST
          && f.address().equals(address)
          && !f.source().equals(owner)) {
        out.add(f);
      }
    }
    return out;
  }

  /** The MAC that answered most of the client's requests for {@code address} in [from, to). */
  String owner(String address, long from, long to) {
    Map<String, Integer> count = new HashMap<>();
    for (Frame f : frames) {
      if (f.at() >= from && f.at() < to && f.kind() == Kind.REPLY && f.address().equals(address)) {
        count.merge(f.source(), 1, Integer::sum);
      }
    }
    return count.entrySet().stream()
        .max(Map.Entry.comparingByValue())
        .map(Map.Entry::getKey)
        .orElse(null);
  }
}
