package io.ironlb.multijvm;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.Pcaps;
import org.pcap4j.packet.IpPacket;
import org.pcap4j.packet.Packet;
import org.pcap4j.packet.TcpPacket;

/**
 * The BGP messages in a tcpdump file: each TCP connection's payload from the given senders
 * reassembled in sequence order (a capture on a veth loses nothing) and cut at the BGP header's
 * length.
 */
final class BgpPcap {
  private BgpPcap() {}

  /** A BGP message and when the segment that completed it was captured. */
  record Timed(Instant at, byte[] message) {}

  /** "SRC>DST" → the whole messages that sender sent on that connection, in order. */
  static Map<String, List<byte[]>> messages(Path pcap, Set<InetAddress> senders) throws Exception {
    Map<String, List<byte[]>> out = new LinkedHashMap<>();
    connections(pcap, senders)
        .forEach(
            (flow, messages) -> {
              String pair = flow.replaceAll(":\\d+>", ">").replaceAll(":\\d+$", "");
              List<byte[]> all = out.computeIfAbsent(pair, k -> new ArrayList<>());
              messages.forEach(m -> all.add(m.message()));
            });
    return out;
  }

  /** "SRC:PORT>DST:PORT" (one TCP connection) → its sender's messages, in order, timed. */
  static Map<String, List<Timed>> connections(Path pcap, Set<InetAddress> senders)
      throws Exception {
    Map<String, TreeMap<Long, Timed>> flows = new LinkedHashMap<>();
    try (PcapHandle h = Pcaps.openOffline(pcap.toString())) {
      for (Packet p; (p = h.getNextPacket()) != null; ) {
        IpPacket ip = p.get(IpPacket.class);
        TcpPacket tcp = p.get(TcpPacket.class);
        if (ip == null || tcp == null || tcp.getPayload() == null) {
          continue;
        }
        InetAddress src = ip.getHeader().getSrcAddr();
        if (!senders.contains(src)) {
          continue;
        }
        String flow =
            src.getHostAddress()
                + ":"
                + tcp.getHeader().getSrcPort().valueAsInt()
                + ">"
                + ip.getHeader().getDstAddr().getHostAddress()
                + ":"
                + tcp.getHeader().getDstPort().valueAsInt();
        flows
            .computeIfAbsent(flow, k -> new TreeMap<>())
            .putIfAbsent(
                tcp.getHeader().getSequenceNumberAsLong(),
                new Timed(h.getTimestamp().toInstant(), tcp.getPayload().getRawData()));
      }
    }
    Map<String, List<Timed>> out = new LinkedHashMap<>();
    flows.forEach(
        (flow, segments) -> {
          ByteArrayOutputStream stream = new ByteArrayOutputStream();
          List<Integer> ends = new ArrayList<>();
          List<Instant> times = new ArrayList<>();
          for (Timed segment : segments.values()) {
            stream.writeBytes(segment.message());
            ends.add(stream.size());
            times.add(segment.at());
          }
          byte[] b = stream.toByteArray();
          List<Timed> messages = new ArrayList<>();
          int segment = 0;
          for (int i = 0; i + 19 <= b.length; ) {
            int len = ((b[i + 16] & 0xFF) << 8) | (b[i + 17] & 0xFF);
            if (len < 19 || i + len > b.length) {
              break;
            }
            while (ends.get(segment) < i + len) {
              segment++;
            }
            messages.add(new Timed(times.get(segment), Arrays.copyOfRange(b, i, i + len)));
            i += len;
          }
          out.put(flow, messages);
        });
    return out;
  }
}
