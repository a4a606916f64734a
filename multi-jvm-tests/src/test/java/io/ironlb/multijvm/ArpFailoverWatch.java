package io.ironlb.multijvm;

import io.ironlb.l2.arp.ArpCodec;
import io.ironlb.l2.arp.ArpPacket;
import io.ironlb.l2.link.MacAddress;
import io.ironlb.l2.link.MalformedFrameException;
import io.ironlb.l2.link.PcapLinkIo;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The client side of {@link MassFailoverBenchmark}, run inside the client namespace: {@code
 * ArpFailoverWatch IF SOURCE_IP ADDRESS_FILE DEAD_MAC TIMEOUT_S}. Captures every ARP frame on the
 * interface and notes, per address, when a node other than {@code DEAD_MAC} first spoke for it (a
 * reply, or a gratuitous announcement: either updates a client's cache), by the kernel's receive
 * time ({@link TimedCapture}). Prints {@code ready} once capturing; reads the kill's {@link
 * System#nanoTime} (the same monotonic clock in every process on the host) from stdin; then asks,
 * like a population of clients whose cache went stale, for every address not yet answered
 * (broadcast requests, at most RATE per millisecond, a new round every 100 ms) until all are
 * answered or time is up. Prints one line: {@code kill->answer} in ms for every address, sorted,
 * and which MAC answered how many.
 */
public final class ArpFailoverWatch {
  private ArpFailoverWatch() {}

  private static final int PER_MILLISECOND = 4;

  /** Asks for every address not yet answered. */
  private static void ask(
      PcapLinkIo link,
      Inet4Address source,
      List<Inet4Address> addresses,
      Map<Inet4Address, Long> answered)
      throws InterruptedException {
    ArpSweep.ask(
        link,
        source,
        addresses.stream().filter(a -> !answered.containsKey(a)).toList(),
        PER_MILLISECOND);
  }

  public static void main(String[] args) throws Exception {
    String ifName = args[0];
    Inet4Address source = (Inet4Address) InetAddress.getByName(args[1]);
    List<Inet4Address> addresses = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of(args[2]))) {
      if (!line.isBlank()) {
        addresses.add((Inet4Address) InetAddress.getByName(line.strip()));
      }
    }
    MacAddress dead = MacAddress.parse(args[3]);
    long timeout = Long.parseLong(args[4]) * 1_000_000_000L;
    java.util.Set<Inet4Address> wanted = java.util.Set.copyOf(addresses);
    Map<Inet4Address, Long> firstAt = new ConcurrentHashMap<>();
    Map<Inet4Address, MacAddress> by = new ConcurrentHashMap<>();
    Map<Inet4Address, Boolean> byReply = new ConcurrentHashMap<>();
    try (PcapLinkIo link = new PcapLinkIo(ifName, "less 1"); // sends only
        TimedCapture capture =
            new TimedCapture(
                ifName,
                "arp",
                (frame, now) -> {
                  try {
                    ArpPacket p = ArpCodec.decode(frame);
                    Inet4Address ip = p.senderProtocol();
                    if (wanted.contains(ip)
                        && !p.senderHardware().equals(dead)
                        && !p.senderHardware().equals(link.mac())
                        && firstAt.putIfAbsent(ip, now) == null) {
                      by.put(ip, p.senderHardware());
                      byReply.put(
                          ip, p.operation() == ArpPacket.REPLY && !p.targetProtocol().equals(ip));
                    }
                  } catch (MalformedFrameException e) {
                    // not ARP
                  }
                })) {
      // The capture runs on its own thread until the end of this block.
      java.util.Objects.requireNonNull(capture);
      // Warm up first (three rounds of asking, answered by the node about to die): a cold JVM's
      // capture thread falls behind a burst of thousands of frames and would time them late.
      for (int round = 0; round < 3; round++) {
        ask(link, source, addresses, firstAt);
        Thread.sleep(200); // let the answers arrive; they are not timed
      }
      System.out.println("ready");
      System.out.flush();
      BufferedReader in =
          new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      String go = in.readLine();
      long killedAt = Long.parseLong(go.strip());
      long deadline = killedAt + timeout;
      while (firstAt.size() < addresses.size() && System.nanoTime() < deadline) {
        long roundStart = System.nanoTime();
        ask(link, source, addresses, firstAt);
        long left = 100 - (System.nanoTime() - roundStart) / 1_000_000;
        if (left > 0) {
          Thread.sleep(left); // the replies arrive on the capture thread
        }
      }
      List<Long> ms = new ArrayList<>();
      int replies = 0;
      int early = 0;
      long earliest = 0;
      for (var e : firstAt.entrySet()) {
        long since = (e.getValue() - killedAt) / 1_000_000;
        if (since < 0) {
          // A live node spoke for the address before the kill: two nodes answering.
          early++;
          earliest = Math.min(earliest, since);
        }
        ms.add(Math.max(0, since));
        if (byReply.getOrDefault(e.getKey(), false)) {
          replies++;
        }
      }
      Collections.sort(ms);
      if (early > 0) {
        System.err.printf(
            "ArpFailoverWatch: %d addresses had a frame from a live node before the kill (the"
                + " earliest %d ms before)%n",
            early, -earliest);
      }
      Map<String, Integer> byMac = new TreeMap<>();
      by.values().forEach(m -> byMac.merge(m.toString(), 1, Integer::sum));
      System.out.printf(
          "answered %d of %d (%d first by a reply to a request, the rest by a gratuitous"
              + " announcement); by MAC %s; ms %s%n",
          firstAt.size(), addresses.size(), replies, byMac, ms);
    }
  }
}
