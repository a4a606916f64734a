package io.ironlb.l2;

import io.ironlb.l2.link.KernelAddresses;
import java.io.IOException;
import java.net.InetAddress;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code --local-vips}: keeps in this host's kernel ({@link KernelAddresses}) every address this
 * node answers for — the layer-2 addresses it owns (the Announcer's {@link LinkCommand}s, relayed
 * by {@link Links}) and the addresses it advertises over BGP (every eligible node does, for ECMP) —
 * so that traffic to them is accepted here, and removes each once neither protocol has it.
 *
 * <p>The kernel calls block, so they run on a thread of this actor's own, one batch at a time:
 * whatever changes while a batch runs goes into the next one. A take-over of thousands of addresses
 * is then a handful of {@code ip -batch} runs, not two processes per address.
 */
public final class LocalVips extends AbstractBehavior<LocalVips.Command> {

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

  /** The batch in flight is done; the next may go. */
  private record BatchDone() implements Command {}

  private static final Logger LOG = LoggerFactory.getLogger(LocalVips.class);

  private final KernelAddresses kernel;
  private final ExecutorService worker;
  private final Set<String> layer2 = new HashSet<>();
  private final Set<String> routed = new HashSet<>();
  private final Set<String> installed = new HashSet<>();

  /** Address → install (true) or remove (false), for the next batch. */
  private final Map<String, Boolean> pending = new LinkedHashMap<>();

  private boolean inFlight;

  public static Behavior<Command> create(KernelAddresses kernel) {
    return Behaviors.setup(ctx -> new LocalVips(ctx, kernel));
  }

  private LocalVips(ActorContext<Command> ctx, KernelAddresses kernel) {
    super(ctx);
    this.kernel = kernel;
    this.worker =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "ironlb-local-vips");
              t.setDaemon(true);
              return t;
            });
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(
            Layer2.class,
            m -> {
              if (m.command() instanceof LinkCommand.Announce a) {
                layer2.add(a.vip());
                reconcile(List.of(a.vip()));
              } else if (m.command() instanceof LinkCommand.Withdraw w) {
                layer2.remove(w.vip());
                reconcile(List.of(w.vip()));
              }
              return this;
            })
        .onMessage(
            Routed.class,
            m -> {
              Set<String> touched = new HashSet<>(routed);
              touched.addAll(m.addresses());
              routed.clear();
              routed.addAll(m.addresses());
              reconcile(touched);
              return this;
            })
        .onMessage(
            BatchDone.class,
            m -> {
              inFlight = false;
              flush();
              return this;
            })
        .onSignal(
            PostStop.class,
            s -> {
              worker.shutdown();
              return this;
            })
        .build();
  }

  /**
   * Only the addresses a command touches are looked at: 10,000 announcements cost linear time, not
   * quadratic.
   */
  private void reconcile(Collection<String> vips) {
    for (String vip : vips) {
      boolean want = layer2.contains(vip) || routed.contains(vip);
      if (want ? installed.add(vip) : installed.remove(vip)) {
        // A change not yet applied that is undone now never reaches the kernel.
        if (pending.remove(vip) == null) {
          pending.put(vip, want);
        }
      }
    }
    flush();
  }

  private void flush() {
    if (inFlight || pending.isEmpty()) {
      return;
    }
    Set<InetAddress> install = new LinkedHashSet<>();
    Set<InetAddress> remove = new LinkedHashSet<>();
    pending.forEach((vip, add) -> (add ? install : remove).add(Links.address(vip)));
    pending.clear();
    inFlight = true;
    ActorRef<Command> self = getContext().getSelf();
    CompletableFuture.runAsync(
        () -> {
          try {
            kernel.apply(install, remove);
          } catch (IOException | RuntimeException e) {
            // Answering ARP and advertising go on regardless; only local delivery is affected.
            LOG.error(
                "local addresses: installing {} and removing {} failed: {}",
                install.size(),
                remove.size(),
                e.getMessage());
          } finally {
            self.tell(new BatchDone());
          }
        },
        worker);
  }
}
