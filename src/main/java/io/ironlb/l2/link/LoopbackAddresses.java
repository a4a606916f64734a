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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
      List<String> left = new ArrayList<>();
      for (String cidr : Files.readAllLines(state, StandardCharsets.UTF_8)) {
        if (!cidr.isBlank()) {
          left.add("address del " + cidr.strip() + " dev lo");
        }
      }
      batch(left, 0);
    }
    Files.createDirectories(state.toAbsolutePath().getParent());
    save();
  }

  /**
   * One {@code ip -batch} for the whole change: {@code address replace} installs (idempotent, so a
   * restart or a repeated install is no error), {@code address del} removes (an address already
   * gone is no error either).
   */
  @Override
  public synchronized void apply(Set<InetAddress> install, Set<InetAddress> remove)
      throws IOException {
    List<String> lines = new ArrayList<>();
    for (InetAddress vip : install) {
      // IPv6: no duplicate address detection, the address is usable at once.
      lines.add(
          "address replace "
              + cidr(vip)
              + " dev lo"
              + (vip instanceof Inet4Address ? "" : " nodad"));
    }
    for (InetAddress vip : remove) {
      lines.add("address del " + cidr(vip) + " dev lo");
    }
    try {
      batch(lines, install.size());
    } finally {
      install.forEach(vip -> installed.add(cidr(vip)));
      remove.forEach(vip -> installed.remove(cidr(vip)));
      save();
    }
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

  /**
   * Runs {@code ip -force -batch -} over {@code lines}: one process, every line tried even when an
   * earlier one fails. A failure of one of the first {@code mustSucceed} lines is an error; the
   * others (removals of addresses that are already gone) are not.
   */
  private static void batch(List<String> lines, int mustSucceed) throws IOException {
    if (lines.isEmpty()) {
      return;
    }
    Process p = new ProcessBuilder("ip", "-force", "-batch", "-").redirectErrorStream(true).start();
    try (var in = p.getOutputStream()) {
      in.write((String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException("ip -batch of " + lines.size() + " lines: timed out");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("ip -batch: interrupted", e);
    }
    // ip names each failed line: "Command failed -:N" (1-based).
    List<String> failed = new ArrayList<>();
    boolean anyNamed = false;
    Matcher m = FAILED.matcher(out);
    while (m.find()) {
      anyNamed = true;
      int line = Integer.parseInt(m.group(1));
      if (line <= mustSucceed) {
        failed.add(lines.get(line - 1));
      }
    }
    if (p.exitValue() != 0 && !anyNamed) {
      // Not a kernel refusal of a line but ip itself giving up (a line it could not parse).
      throw new IOException("ip -batch of " + lines.size() + " lines: " + out.strip());
    }
    if (!failed.isEmpty()) {
      throw new IOException(
          failed.size()
              + " of "
              + lines.size()
              + " ip commands failed, first "
              + failed.get(0)
              + ": "
              + out.strip());
    }
  }

  private static final Pattern FAILED = Pattern.compile("Command failed -:(\\d+)");
}
