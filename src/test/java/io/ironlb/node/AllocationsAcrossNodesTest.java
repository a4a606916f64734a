package io.ironlb.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.ironlb.ipam.AllocatorActor;
import io.ironlb.source.ClusterFixture;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;
import org.junit.jupiter.api.Test;

/**
 * A node's feed asks the allocator singleton, on another node, for every allocation: with 10,000
 * Services the answer (about half a megabyte) is over Artery's ordinary frame limit. The product's
 * configuration must carry it on the large-message stream, else a node that starts after the
 * allocations were last published never serves anything (found by the mass-failover benchmark: the
 * restarted node's log said "Failed to serialize oversized message" every two seconds).
 */
class AllocationsAcrossNodesTest {
  private static final ServiceKey<AllocatorActor.Command> ALLOCATOR =
      ServiceKey.create(AllocatorActor.Command.class, "test-allocator");

  @Test
  void theAllocationsOfTenThousandServicesReachAFeedOnAnotherNode() throws Exception {
    ActorSystem<Void> controller = ClusterFixture.member("controller", List.of("controller"), null);
    ActorTestKit kit = ActorTestKit.create(controller);
    CompletableFuture<Integer> received = new CompletableFuture<>();
    ActorSystem<Void> speaker = null;
    try {
      Map<String, AllocatorActor.Allocation> services = new TreeMap<>();
      for (int i = 0; i < 10_000; i++) {
        services.put(
            "default/service-" + i,
            new AllocatorActor.Allocation(
                List.of("10.222.%d.%d".formatted(128 + i / 256, i % 256)), "lab", null));
      }
      AllocatorActor.Allocations all = new AllocatorActor.Allocations(1, services, List.of());
      kit.spawn(
          Behaviors.<AllocatorActor.Command>setup(
              ctx -> {
                ctx.getSystem()
                    .receptionist()
                    .tell(Receptionist.register(ALLOCATOR, ctx.getSelf()));
                return Behaviors.receive(AllocatorActor.Command.class)
                    .onMessage(
                        AllocatorActor.GetAllocations.class,
                        m -> {
                          m.replyTo().tell(all);
                          return Behaviors.same();
                        })
                    .build();
              }));
      speaker =
          ClusterFixture.member(
              Behaviors.setup(
                  ctx -> {
                    ctx.spawn(feed(received), "feed"); // the node feed's name in NodeGuardian
                    return Behaviors.empty();
                  }),
              List.of("speaker"),
              controller);
      assertThat(received.get(60, TimeUnit.SECONDS)).isEqualTo(10_000);
    } finally {
      if (speaker != null) {
        speaker.terminate();
        speaker.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
      }
      kit.shutdownTestKit();
    }
  }

  /** Asks every allocator it finds, through a message adapter as NodeFeed does. */
  private static Behavior<Object> feed(CompletableFuture<Integer> received) {
    return Behaviors.setup(
        ctx -> {
          ctx.getSystem()
              .receptionist()
              .tell(
                  Receptionist.subscribe(
                      ALLOCATOR, ctx.messageAdapter(Receptionist.Listing.class, l -> l)));
          var adapter = ctx.messageAdapter(AllocatorActor.Allocations.class, a -> a);
          return Behaviors.receive(Object.class)
              .onMessage(
                  Receptionist.Listing.class,
                  l -> {
                    l.getServiceInstances(ALLOCATOR)
                        .forEach(a -> a.tell(new AllocatorActor.GetAllocations(adapter)));
                    return Behaviors.same();
                  })
              .onMessage(
                  AllocatorActor.Allocations.class,
                  a -> {
                    received.complete(a.services().size());
                    return Behaviors.same();
                  })
              .build();
        });
  }
}
