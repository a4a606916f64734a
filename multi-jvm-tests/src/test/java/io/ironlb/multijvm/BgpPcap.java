package io.ironlb.multijvm;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
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

  /** "SRC>DST" → the whole messages that sender sent on that connection, in order. */
  static Map<String, List<byte[]>> messages(Path pcap, Set<InetAddress> senders) throws Exception {
    Map<String, TreeMap<Long, byte[]>> flows = new LinkedHashMap<>();
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
            .putIfAbsent(tcp.getHeader().getSequenceNumberAsLong(), tcp.getPayload().getRawData());
      }
    }
    Map<String, List<byte[]>> out = new LinkedHashMap<>();
    flows.forEach(
        (flow, segments) -> {
          ByteArrayOutputStream stream = new ByteArrayOutputStream();
          segments.values().forEach(stream::writeBytes);
          byte[] b = stream.toByteArray();
          List<byte[]> messages = new ArrayList<>();
          for (int i = 0; i + 19 <= b.length; ) {
            int len = ((b[i + 16] & 0xFF) << 8) | (b[i + 17] & 0xFF);
            if (len < 19 || i + len > b.length) {
              break;
            }
            messages.add(java.util.Arrays.copyOfRange(b, i, i + len));
            i += len;
          }
          String pair = flow.replaceAll(":\\d+>", ">").replaceAll(":\\d+$", "");
          out.computeIfAbsent(pair, k -> new ArrayList<>()).addAll(messages);
        });
    return out;
  }
}
