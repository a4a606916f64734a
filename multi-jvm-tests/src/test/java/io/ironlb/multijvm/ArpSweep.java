package io.ironlb.multijvm;

import io.ironlb.l2.arp.ArpCodec;
import io.ironlb.l2.arp.ArpPacket;
import io.ironlb.l2.link.MacAddress;
import io.ironlb.l2.link.MalformedFrameException;
import io.ironlb.l2.link.PcapLinkIo;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Asks for many IPv4 addresses at once on one interface, with IronLB's own ARP codec over libpcap:
 * every round sends a request for each address not yet answered, then waits a little; ends when all
 * have answered or time is up. Replies are timed by the kernel ({@link TimedCapture}), so the time
 * the last address was first answered is not rounded up to the end of a round. Prints the elapsed
 * time and how many addresses each MAC answered for. Run inside the client namespace: {@code
 * ArpSweep IF SOURCE_IP FIRST_IP COUNT TIMEOUT_S}.
 */
public final class ArpSweep {
  private ArpSweep() {}

  /** At most about this many requests per millisecond (2,000 per second). */
  private static final int PER_MILLISECOND = 2;

  public static void main(String[] args) throws Exception {
    String ifName = args[0];
    Inet4Address source = (Inet4Address) InetAddress.getByName(args[1]);
    long first = toLong((Inet4Address) InetAddress.getByName(args[2]));
    int count = Integer.parseInt(args[3]);
    long deadline = System.nanoTime() + Long.parseLong(args[4]) * 1_000_000_000L;
    Map<Long, MacAddress> answered = new ConcurrentHashMap<>();
    java.util.concurrent.atomic.AtomicLong lastFirst = new java.util.concurrent.atomic.AtomicLong();
    // When each address was first heard (kernel time), and whether by a node's own announcement
    // (a gratuitous reply: sender and target address are the same) or an answer to our request.
    Map<Long, Long> firstHeard = new ConcurrentHashMap<>();
    java.util.concurrent.atomic.AtomicInteger byAnnouncement =
        new java.util.concurrent.atomic.AtomicInteger();
    long start = System.nanoTime();
    try (PcapLinkIo link = new PcapLinkIo(ifName, "less 1"); // sends only
        TimedCapture capture =
            new TimedCapture(
                ifName,
                "arp",
                (frame, at) -> {
                  try {
                    ArpPacket p = ArpCodec.decode(frame);
                    long ip = toLong(p.senderProtocol());
                    if (p.operation() == ArpPacket.REPLY
                        && ip >= first
                        && ip < first + count
                        && answered.putIfAbsent(ip, p.senderHardware()) == null) {
                      lastFirst.accumulateAndGet(at, Math::max);
                      firstHeard.put(ip, at);
                      if (p.targetProtocol().equals(p.senderProtocol())) {
                        byAnnouncement.incrementAndGet();
                      }
                    }
                  } catch (MalformedFrameException e) {
                    // not ARP, or not for us
                  }
                })) {
      java.util.Objects.requireNonNull(capture); // runs on its own thread until the block ends
      int round = 0;
      while (answered.size() < count && System.nanoTime() < deadline) {
        round++;
        List<Inet4Address> unanswered = new ArrayList<>();
        for (long ip = first; ip < first + count; ip++) {
          if (!answered.containsKey(ip)) {
            unanswered.add(toAddress(ip));
          }
        }
        ask(link, source, unanswered, PER_MILLISECOND);
        Thread.sleep(1000); // replies arrive on the capture thread; then ask the rest again
      }
      long ms = (System.nanoTime() - start) / 1_000_000;
      Map<String, Integer> byMac = new TreeMap<>();
      answered.values().forEach(m -> byMac.merge(m.toString(), 1, Integer::sum));
      System.out.printf(
          "answered %d of %d after %d ms (%d rounds), the last first answered on the wire %d ms"
              + " after the start (at nanoTime %d); by MAC %s%n",
          answered.size(),
          count,
          ms,
          round,
          (lastFirst.get() - start) / 1_000_000,
          lastFirst.get(),
          byMac);
      long[] heard = firstHeard.values().stream().mapToLong(t -> t - start).sorted().toArray();
      if (heard.length > 0) {
        System.out.printf(
            "first heard (ms after the start): p50 %d, p90 %d, p99 %d, last %d; %d of %d first by"
                + " the node's own announcement, the rest by an answer to a request%n",
            heard[heard.length / 2] / 1_000_000,
            heard[heard.length * 9 / 10] / 1_000_000,
            heard[heard.length * 99 / 100] / 1_000_000,
            heard[heard.length - 1] / 1_000_000,
            byAnnouncement.get(),
            heard.length);
      }
    }
  }

  /**
   * One broadcast ARP request from {@code source} for each target, at most {@code perMillisecond} a
   * millisecond: a population of clients, not a flood. The rate is kept by the clock, not by
   * counting sleeps: on a busy machine a 1 ms sleep lasts 2–3 ms, which made a round of 10,000
   * requests take 13 s where 5 s were meant.
   */
  static void ask(
      PcapLinkIo link, Inet4Address source, List<Inet4Address> targets, int perMillisecond)
      throws InterruptedException {
    long began = System.nanoTime();
    long sent = 0;
    for (Inet4Address target : targets) {
      while (sent >= (System.nanoTime() - began) / 1_000_000 * perMillisecond + perMillisecond) {
        Thread.sleep(1); // pacing, not synchronisation
      }
      sent++;
      link.send(
          ArpCodec.encode(
              new ArpPacket(
                  MacAddress.BROADCAST,
                  link.mac(),
                  ArpPacket.REQUEST,
                  link.mac(),
                  source,
                  MacAddress.ZERO,
                  target)));
    }
  }

  private static long toLong(Inet4Address a) {
    byte[] b = a.getAddress();
    return ((b[0] & 0xFFL) << 24) | ((b[1] & 0xFFL) << 16) | ((b[2] & 0xFFL) << 8) | (b[3] & 0xFFL);
  }

  private static Inet4Address toAddress(long v) throws UnknownHostException {
    return (Inet4Address)
        InetAddress.getByAddress(
            new byte[] {(byte) (v >> 24), (byte) (v >> 16), (byte) (v >> 8), (byte) v});
  }
}
