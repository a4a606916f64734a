package io.ironlb.multijvm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Network namespaces and veths a test creates for itself, all named with one random prefix per run
 * ({@code ilbXXXXXX}), and deleted on {@link #close()} — also from a shutdown hook, so a killed
 * test run leaves nothing behind. Addresses come from 10.222.0.0/16 and fd00:222::/48 only.
 */
public final class Netns implements AutoCloseable {

  /** The output and exit status of one command. */
  public record Result(int exit, String output) {}

  private final String prefix;
  private final List<String> namespaces = new ArrayList<>();
  private final List<String> rootLinks = new ArrayList<>();
  private final Thread hook = new Thread(this::cleanup);

  public Netns() {
    prefix = "ilb" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xFFFFFF));
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /** Whether this machine can run namespace tests: root, iproute2 and the given tools. */
  public static boolean available(String... tools) {
    if (!"root".equals(System.getProperty("user.name"))) {
      return false;
    }
    for (String t : tools) {
      if (run(List.of("sh", "-c", "command -v " + t)).exit() != 0) {
        return false;
      }
    }
    return true;
  }

  public String prefix() {
    return prefix;
  }

  /**
   * One layer-2 segment: a bridge in its own namespace (no STP, no multicast snooping, so
   * solicitations always flood), which {@link #host} attaches hosts to.
   */
  public String lan() {
    return lan("lan");
  }

  /** Another segment, in namespace {@code prefix-suffix}. */
  public String lan(String suffix) {
    String lan = namespace(suffix);
    must(
        "ip",
        "-n",
        lan,
        "link",
        "add",
        "br0",
        "type",
        "bridge",
        "stp_state",
        "0",
        "forward_delay",
        "0",
        "mcast_snooping",
        "0");
    must("ip", "-n", lan, "link", "set", "br0", "up");
    return lan;
  }

  /**
   * A host on the segment: namespace {@code prefix-name} with {@code eth0} (MAC 02:22:00:00:00:id)
   * addressed {@code v4Net.id/24} and {@code v6Net::id/64}. The veth is created inside the two
   * namespaces, so nothing touches the test's own namespace.
   */
  public String host(String lan, String name, int id, String v4Net, String v6Net) {
    return host(lan, name, id, v4Net, v6Net, true);
  }

  /**
   * A host on the segment, as {@link #host(String, String, int, String, String)}; {@code
   * learnsFromGratuitousArp} sets {@code arp_accept}: whether its kernel adds a neighbour entry for
   * an address it hears only in a gratuitous ARP (a client that the failover tests watch), or only
   * updates entries it has (Linux's default, as on a Kubernetes node).
   */
  public String host(
      String lan,
      String name,
      int id,
      String v4Net,
      String v6Net,
      boolean learnsFromGratuitousArp) {
    String ns = namespace(name);
    String accept = learnsFromGratuitousArp ? "1" : "0";
    mustIn(
        ns,
        "sysctl",
        "-qw",
        "net.ipv6.conf.all.accept_dad=0",
        "net.ipv6.conf.default.accept_dad=0",
        "net.ipv4.conf.all.arp_accept=" + accept,
        "net.ipv4.conf.default.arp_accept=" + accept,
        "net.ipv6.conf.default.router_solicitations=0");
    must(
        "ip",
        "-n",
        ns,
        "link",
        "add",
        "eth0",
        "address",
        mac(id),
        "type",
        "veth",
        "peer",
        "name",
        "p-" + name,
        "netns",
        lan);
    must("ip", "-n", lan, "link", "set", "p-" + name, "master", "br0", "up");
    must("ip", "-n", ns, "addr", "add", v4Net + "." + id + "/24", "dev", "eth0");
    must(
        "ip",
        "-n",
        ns,
        "addr",
        "add",
        v6Net + "::" + Integer.toHexString(id) + "/64",
        "dev",
        "eth0",
        "nodad");
    must("ip", "-n", ns, "link", "set", "eth0", "up");
    return ns;
  }

  /**
   * Attaches existing host namespace {@code ns} to a second segment as {@code eth1}, addressed
   * {@code v4Net.id/24} (the bridge port is {@code q-name} in {@code lan}).
   */
  public void attach(String lan, String ns, String name, int id, String v4Net) {
    must(
        "ip",
        "-n",
        ns,
        "link",
        "add",
        "eth1",
        "type",
        "veth",
        "peer",
        "name",
        "q-" + name,
        "netns",
        lan);
    must("ip", "-n", lan, "link", "set", "q-" + name, "master", "br0", "up");
    must("ip", "-n", ns, "addr", "add", v4Net + "." + id + "/24", "dev", "eth1");
    must("ip", "-n", ns, "link", "set", "eth1", "up");
  }

  public static String mac(int id) {
    return String.format("02:22:00:00:00:%02x", id);
  }

  /** Creates namespace {@code prefix-suffix} with its loopback up. */
  public String namespace(String suffix) {
    String ns = prefix + "-" + suffix;
    must("ip", "netns", "add", ns);
    namespaces.add(ns);
    must("ip", "-n", ns, "link", "set", "lo", "up");
    return ns;
  }

  /**
   * A veth pair: {@code rootEnd} stays in this (the test's) namespace, {@code nsEnd} moves into
   * {@code ns}; both up.
   */
  public void veth(String rootEnd, String ns, String nsEnd) {
    must("ip", "link", "add", rootEnd, "type", "veth", "peer", "name", nsEnd, "netns", ns);
    rootLinks.add(rootEnd);
    must("ip", "link", "set", rootEnd, "up");
    must("ip", "-n", ns, "link", "set", nsEnd, "up");
  }

  public Result in(String ns, String... command) {
    List<String> c = new ArrayList<>(List.of("ip", "netns", "exec", ns));
    c.addAll(List.of(command));
    return run(c);
  }

  public void mustIn(String ns, String... command) {
    Result r = in(ns, command);
    if (r.exit() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " in " + ns + ": " + r.output());
    }
  }

  public static void must(String... command) {
    Result r = run(List.of(command));
    if (r.exit() != 0) {
      throw new IllegalStateException(String.join(" ", command) + ": " + r.output());
    }
  }

  public static Result run(List<String> command) {
    return run(command, java.time.Duration.ofSeconds(60));
  }

  /** Threads that read commands' output (daemons: never what keeps a JVM alive). */
  private static final java.util.concurrent.ExecutorService READERS =
      java.util.concurrent.Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "netns-output");
            t.setDaemon(true);
            return t;
          });

  /** Runs a command to completion, killing it after {@code limit}. */
  public static Result run(List<String> command, java.time.Duration limit) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      // Read while it runs: output beyond the pipe's 64 KiB would block the command forever (a
      // node's /v1/l2 with 6,000 addresses did).
      java.util.concurrent.CompletableFuture<String> output =
          java.util.concurrent.CompletableFuture.supplyAsync(
              () -> {
                try {
                  return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                } catch (IOException e) {
                  return e.toString();
                }
              },
              READERS);
      if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        return new Result(-1, "timed out: " + command);
      }
      return new Result(p.exitValue(), output.join());
    } catch (IOException e) {
      return new Result(-1, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(-1, "interrupted");
    }
  }

  private synchronized void cleanup() {
    for (String link : rootLinks) {
      run(List.of("ip", "link", "del", link));
    }
    rootLinks.clear();
    for (String ns : namespaces) {
      run(List.of("ip", "netns", "del", ns));
    }
    namespaces.clear();
  }

  @Override
  public void close() {
    cleanup();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // already shutting down: the hook runs anyway
    }
  }
}
