package io.ironlb.l2;

import io.ironlb.l2.link.KernelAddresses;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code --local-vips}: follows the Announcer's {@link LinkCommand}s and installs each announced
 * address in this host's kernel ({@link KernelAddresses}), removing it on withdrawal, so traffic to
 * the address is accepted by the owner only. The calls block (they run {@code ip}), so they run on
 * one thread of this actor's own, in the order the commands came.
 */
public final class LocalVips {
  private LocalVips() {}

  public static Behavior<LinkCommand> create(KernelAddresses kernel) {
    return Behaviors.setup(
        ctx -> {
          ExecutorService worker =
              Executors.newSingleThreadExecutor(
                  r -> {
                    Thread t = new Thread(r, "ironlb-local-vips");
                    t.setDaemon(true);
                    return t;
                  });
          return Behaviors.receive(LinkCommand.class)
              .onMessage(
                  LinkCommand.Announce.class,
                  m -> {
                    run(worker, () -> kernel.install(Links.address(m.vip())), "install " + m.vip());
                    return Behaviors.same();
                  })
              .onMessage(
                  LinkCommand.Withdraw.class,
                  m -> {
                    run(worker, () -> kernel.remove(Links.address(m.vip())), "remove " + m.vip());
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
            // Answering ARP goes on regardless; only local delivery is affected.
            LOG.error("local address: {} failed: {}", what, e.getMessage());
          }
        },
        worker);
  }
}
