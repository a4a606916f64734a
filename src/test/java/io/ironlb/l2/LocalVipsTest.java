package io.ironlb.l2;

import static org.assertj.core.api.Assertions.assertThat;

import io.ironlb.l2.link.KernelAddresses;
import io.ironlb.testkit.LocalActorTestKit;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code --local-vips} keeps an address on the host while either protocol wants it: layer 2 (this
 * node owns it) or BGP (this node advertises it), and removes it once neither does.
 */
class LocalVipsTest {
  private static ActorTestKit kit;

  @BeforeAll
  static void start() {
    kit = LocalActorTestKit.create();
  }

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  /** The kernel calls, in order, as "install ADDRESS" / "remove ADDRESS". */
  private final BlockingQueue<String> calls = new LinkedBlockingQueue<>();

  /** How many addresses each kernel call carried. */
  private final BlockingQueue<Integer> batches = new LinkedBlockingQueue<>();

  /** A kernel that answers at once. */
  private final KernelAddresses kernel = kernel(new CountDownLatch(0));

  /** A kernel whose calls each return once {@code mayEnd} is released. */
  private KernelAddresses kernel(CountDownLatch mayEnd) {
    return (install, remove) -> {
      install.forEach(vip -> calls.add("install " + vip.getHostAddress()));
      remove.forEach(vip -> calls.add("remove " + vip.getHostAddress()));
      batches.add(install.size() + remove.size());
      try {
        mayEnd.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    };
  }

  private List<String> next(int n) throws InterruptedException {
    List<String> out = new java.util.ArrayList<>();
    for (int i = 0; i < n; i++) {
      String call = calls.poll(5, TimeUnit.SECONDS);
      assertThat(call).as("kernel call %d of %d after %s", i + 1, n, out).isNotNull();
      out.add(call);
    }
    return out;
  }

  @Test
  void anAddressStaysWhileEitherProtocolWantsIt() throws InterruptedException {
    ActorRef<LocalVips.Command> local = kit.spawn(LocalVips.create(kernel));
    local.tell(new LocalVips.Layer2(new LinkCommand.Announce("10.222.1.1", Set.of())));
    assertThat(next(1)).containsExactly("install 10.222.1.1");

    // BGP advertises the same address and another: only the other is new to the kernel.
    local.tell(new LocalVips.Routed(Set.of("10.222.1.1", "10.222.2.1")));
    assertThat(next(1)).containsExactly("install 10.222.2.1");

    // Layer 2 lets go of 10.222.1.1, BGP still advertises it: it stays.
    local.tell(new LocalVips.Layer2(new LinkCommand.Withdraw("10.222.1.1")));
    // A re-announcement with other interfaces is no new address either.
    local.tell(new LocalVips.Layer2(new LinkCommand.Announce("10.222.3.1", Set.of("eth0"))));
    local.tell(new LocalVips.Layer2(new LinkCommand.Announce("10.222.3.1", Set.of("eth1"))));
    assertThat(next(1)).containsExactly("install 10.222.3.1");

    // BGP stops advertising both: each goes, except the one layer 2 still owns.
    local.tell(new LocalVips.Routed(Set.of()));
    assertThat(next(2)).containsExactlyInAnyOrder("remove 10.222.1.1", "remove 10.222.2.1");
    assertThat(calls.poll(300, TimeUnit.MILLISECONDS)).isNull();
    local.tell(new LocalVips.Layer2(new LinkCommand.Withdraw("10.222.3.1")));
    assertThat(next(1)).containsExactly("remove 10.222.3.1");
  }

  /**
   * A take-over of many addresses is a few kernel calls, not one per address: while one call runs,
   * everything that changes waits for the next, which takes it all at once.
   */
  @Test
  void changesWhileTheKernelIsBusyGoInOneBatch() throws InterruptedException {
    CountDownLatch release = new CountDownLatch(1);
    ActorRef<LocalVips.Command> local = kit.spawn(LocalVips.create(kernel(release)));
    local.tell(new LocalVips.Layer2(new LinkCommand.Announce("10.222.4.0", Set.of())));
    assertThat(batches.poll(5, TimeUnit.SECONDS)).isEqualTo(1);
    for (int i = 1; i <= 999; i++) {
      local.tell(
          new LocalVips.Layer2(
              new LinkCommand.Announce("10.222." + (4 + i / 256) + "." + (i % 256), Set.of())));
    }
    // An address announced and withdrawn while the first call runs never reaches the kernel.
    local.tell(new LocalVips.Layer2(new LinkCommand.Announce("10.222.9.9", Set.of())));
    local.tell(new LocalVips.Layer2(new LinkCommand.Withdraw("10.222.9.9")));
    release.countDown();
    assertThat(batches.poll(5, TimeUnit.SECONDS)).isEqualTo(999);
    assertThat(batches.poll(300, TimeUnit.MILLISECONDS)).isNull();
    assertThat(calls).hasSize(1000).doesNotContain("install 10.222.9.9", "remove 10.222.9.9");
  }
}
