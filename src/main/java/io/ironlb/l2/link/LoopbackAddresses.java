package io.ironlb.l2.link;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * Installs addresses on {@code lo} (/32, /128), the way LVS direct routing and kube-proxy's IPVS
 * mode do: the kernel then accepts traffic for them on any interface. So that the kernel does not
 * also answer ARP for them on the LAN — only the owner's responder may — it sets {@code
 * net.ipv4.conf.all.arp_ignore=1} (answer only for addresses on the receiving interface) and {@code
 * arp_announce=2} (never use such an address as an ARP source). IPv6 needs nothing: Linux answers a
 * Neighbor Solicitation only for addresses on the interface it arrived on.
 *
 * <p>What it installed is listed in a state file, so that a restart after a crash removes what the
 * previous run left behind (an address on {@code lo} of a node that no longer owns it would capture
 * that node's own traffic to the address).
 */
public final class LoopbackAddresses implements KernelAddresses {
  private final Path state;
  private final Set<String> installed = new TreeSet<>();

  /** Sets the ARP sysctls and removes the addresses a previous run left. */
  public LoopbackAddresses(Path state) throws IOException {
    this.state = state;
    sysctl("net/ipv4/conf/all/arp_ignore", "1");
    sysctl("net/ipv4/conf/all/arp_announce", "2");
    if (Files.exists(state)) {
      for (String left : Files.readAllLines(state, StandardCharsets.UTF_8)) {
        if (!left.isBlank()) {
          ip(false, "addr", "del", left.strip(), "dev", "lo");
        }
      }
    }
    Files.createDirectories(state.toAbsolutePath().getParent());
    save();
  }

  @Override
  public synchronized void install(InetAddress vip) throws IOException {
    String cidr = cidr(vip);
    ip(false, "addr", "del", cidr, "dev", "lo"); // idempotent: "add" fails on a duplicate
    if (vip instanceof Inet4Address) {
      ip(true, "addr", "add", cidr, "dev", "lo");
    } else {
      ip(true, "-6", "addr", "add", cidr, "dev", "lo", "nodad");
    }
    installed.add(cidr);
    save();
  }

  @Override
  public synchronized void remove(InetAddress vip) throws IOException {
    String cidr = cidr(vip);
    ip(false, "addr", "del", cidr, "dev", "lo");
    installed.remove(cidr);
    save();
  }

  private static String cidr(InetAddress vip) {
    return vip.getHostAddress() + (vip instanceof Inet4Address ? "/32" : "/128");
  }

  private void save() throws IOException {
    Files.write(state, installed, StandardCharsets.UTF_8);
  }

  private static void sysctl(String key, String value) throws IOException {
    Files.writeString(Path.of("/proc/sys", key), value);
  }

  private static void ip(boolean mustSucceed, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of("ip"));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    try {
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(String.join(" ", command) + ": timed out");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(String.join(" ", command) + ": interrupted", e);
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    if (mustSucceed && p.exitValue() != 0) {
      throw new IOException(String.join(" ", command) + ": " + out);
    }
  }
}
