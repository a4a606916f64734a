package io.ironlb.l2.link;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which interfaces get an ARP and/or NDP responder, as MetalLB's announcer chooses: up, not
 * enslaved to a bond or bridge, not NOARP; ARP where the interface can broadcast, NDP where it has
 * an IPv6 link-local address; never an interface matching the exclude pattern. An L2Advertisement's
 * {@code interfaces} then narrows where each address is announced.
 */
public final class InterfaceSelection {
  private InterfaceSelection() {}

  /** The facts about one interface the choice depends on. */
  public record InterfaceInfo(
      String name,
      boolean up,
      boolean broadcast,
      boolean noArp,
      boolean enslaved,
      boolean ipv6LinkLocal) {}

  /** Which responders an interface gets. */
  public record Responders(boolean arp, boolean ndp) {}

  /** The interfaces that get at least one responder, in the order given. */
  public static Map<String, Responders> select(List<InterfaceInfo> interfaces, Pattern exclude) {
    Map<String, Responders> out = new LinkedHashMap<>();
    for (InterfaceInfo i : interfaces) {
      if (exclude != null && exclude.matcher(i.name()).find()) {
        continue;
      }
      if (!i.up() || i.enslaved() || i.noArp()) {
        continue;
      }
      Responders r = new Responders(i.broadcast(), i.ipv6LinkLocal());
      if (r.arp() || r.ndp()) {
        out.put(i.name(), r);
      }
    }
    return out;
  }

  /**
   * Whether an address advertised on {@code interfaces} (empty: all) is announced on {@code name}.
   */
  public static boolean announcesOn(String name, Set<String> interfaces) {
    return interfaces.isEmpty() || interfaces.contains(name);
  }

  /** Reads the host's interfaces (java.net plus /sys/class/net for flags and masters). */
  public static List<InterfaceInfo> scan() throws SocketException {
    List<InterfaceInfo> out = new ArrayList<>();
    for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      Path sys = Path.of("/sys/class/net", nic.getName());
      boolean enslaved = Files.exists(sys.resolve("master"));
      boolean noArp = (flags(sys) & 0x80) != 0; // IFF_NOARP
      boolean broadcast =
          nic.getInterfaceAddresses().stream().anyMatch(a -> a.getBroadcast() != null)
              || (flags(sys) & 0x2) != 0; // IFF_BROADCAST
      boolean linkLocal =
          Collections.list(nic.getInetAddresses()).stream()
              .anyMatch(a -> a instanceof Inet6Address v6 && v6.isLinkLocalAddress());
      out.add(
          new InterfaceInfo(
              nic.getName(),
              nic.isUp(),
              broadcast && !nic.isLoopback(),
              noArp,
              enslaved,
              linkLocal));
    }
    return out;
  }

  private static long flags(Path sys) {
    try {
      return Long.decode(Files.readString(sys.resolve("flags")).trim());
    } catch (IOException | NumberFormatException e) {
      return 0;
    }
  }
}
