package io.ironlb.l2;

import io.ironlb.l2.link.KernelAddresses;
import java.io.IOException;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code --local-vips}: keeps in this host's kernel ({@link KernelAddresses}) every address this
 * node answers for — the layer-2 addresses it owns (the Announcer's {@link LinkCommand}s, relayed
 * by {@link Links}) and the addresses it advertises over BGP (every eligible node does, for ECMP) —
 * so that traffic to them is accepted here, and removes each once neither protocol has it. The
 * calls block (they run {@code ip}), so they run on one thread of this actor's own, in order.
 */
public final class LocalVips {
  private LocalVips() {}

  /** What LocalVips understands. */
  public sealed interface Command {}

  /** A layer-2 announcement or withdrawal of this node's. */
  public record Layer2(LinkCommand command) implements Command {}

  /** Every address this node advertises over BGP now (replaces the previous set). */
  public record Routed(Set<String> addresses) implements Command {
    public Routed {
      addresses = Set.copyOf(addresses);
    }
  }

  public static Behavior<Command> create(KernelAddresses kernel) {
    return Behaviors.setup(
        ctx -> {
          ExecutorService worker =
              Executors.newSingleThreadExecutor(
                  r -> {
                    Thread t = new Thread(r, "ironlb-local-vips");
                    t.setDaemon(true);
                    return t;
                  });
          Set<String> layer2 = new HashSet<>();
          Set<String> routed = new HashSet<>();
          Set<String> installed = new HashSet<>();
          // Only the addresses a command touches are looked at: 10,000 announcements at start cost
          // linear time, not quadratic.
          Consumer<Collection<String>> reconcile =
              vips -> {
                for (String vip : vips) {
                  boolean want = layer2.contains(vip) || routed.contains(vip);
                  if (want && installed.add(vip)) {
                    run(worker, () -> kernel.install(Links.address(vip)), "install " + vip);
                  } else if (!want && installed.remove(vip)) {
                    run(worker, () -> kernel.remove(Links.address(vip)), "remove " + vip);
                  }
                }
              };
          return Behaviors.receive(Command.class)
              .onMessage(
                  Layer2.class,
                  m -> {
                    if (m.command() instanceof LinkCommand.Announce a) {
                      layer2.add(a.vip());
                      reconcile.accept(List.of(a.vip()));
                    } else if (m.command() instanceof LinkCommand.Withdraw w) {
                      layer2.remove(w.vip());
                      reconcile.accept(List.of(w.vip()));
                    }
                    return Behaviors.same();
                  })
              .onMessage(
                  Routed.class,
                  m -> {
                    Set<String> touched = new HashSet<>(routed);
                    touched.addAll(m.addresses());
                    routed.clear();
                    routed.addAll(m.addresses());
                    reconcile.accept(touched);
                    return Behaviors.same();
                  })
              .onSignal(
                  PostStop.class,
                  s -> {
                    worker.shutdown();
                    return Behaviors.same();
                  })
              .build();
        });
  }

  private interface Io {
    void run() throws IOException;
  }

  private static final Logger LOG = LoggerFactory.getLogger(LocalVips.class);

  private static void run(ExecutorService worker, Io io, String what) {
    CompletableFuture.runAsync(
        () -> {
          try {
            io.run();
          } catch (IOException e) {
            // Answering ARP and advertising go on regardless; only local delivery is affected.
            LOG.error("local address: {} failed: {}", what, e.getMessage());
          }
        },
        worker);
  }
}
