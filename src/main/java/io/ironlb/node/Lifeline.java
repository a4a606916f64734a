package io.ironlb.node;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * Watches the actors a node cannot work without (the Speaker, the link responders, the BGP
 * supervisor, the allocator's proxy). When one stops outside a planned stop — a failed snapshot
 * stream, a bug that threw — the node must not stay Up and ready with part of it dead: it reports
 * not ready, leaves the cluster (its addresses move through the planned hand-over) and exits with
 * status 70, so the orchestrator starts it again.
 */
public final class Lifeline {

  /** Everything a Lifeline understands. */
  public sealed interface Command {}

  /** Watch {@code actor}, known as {@code what} in the log. */
  public record Watch(ActorRef<?> actor, String what) implements Command {}

  private record Stopped(String what) implements Command {}

  /**
   * The shutdown reason when an essential actor stopped; mapped to exit status 70 (EX_SOFTWARE).
   */
  public static final class EssentialActorStopped implements CoordinatedShutdown.Reason {
    public static final EssentialActorStopped INSTANCE = new EssentialActorStopped();

    private EssentialActorStopped() {}

    @Override
    public String toString() {
      return "EssentialActorStopped";
    }
  }

  /** This node's health as the readiness check reads it. */
  public static final class Health implements Extension {
    private final AtomicReference<String> lost = new AtomicReference<>();

    public static final ExtensionId<Health> ID =
        new ExtensionId<>() {
          @Override
          public Health createExtension(ActorSystem<?> system) {
            return new Health();
          }
        };

    public static Health get(ActorSystem<?> system) {
      return system.registerExtension(ID);
    }

    /** The essential actor this node lost, or null while it has them all. */
    public String lost() {
      return lost.get();
    }
  }

  private Lifeline() {}

  /** In production: a lost actor runs CoordinatedShutdown with {@link EssentialActorStopped}. */
  public static Behavior<Command> create() {
    return Behaviors.setup(
        ctx ->
            create(
                what ->
                    CoordinatedShutdown.get(ctx.getSystem())
                        .runAll(EssentialActorStopped.INSTANCE)));
  }

  /** With the action to take when an essential actor stops (tests observe it). */
  public static Behavior<Command> create(Consumer<String> onLoss) {
    return Behaviors.setup(
        ctx -> {
          Health health = Health.get(ctx.getSystem());
          return Behaviors.receive(Command.class)
              .onMessage(
                  Watch.class,
                  m -> {
                    ctx.watchWith(m.actor(), new Stopped(m.what()));
                    return Behaviors.same();
                  })
              .onMessage(
                  Stopped.class,
                  m -> {
                    boolean planned =
                        CoordinatedShutdown.get(ctx.getSystem()).getShutdownReason().isPresent();
                    if (!planned && health.lost.compareAndSet(null, m.what())) {
                      ctx.getLog()
                          .error(
                              "{} stopped unexpectedly: this node leaves the cluster and exits so"
                                  + " that it is started again",
                              m.what());
                      onLoss.accept(m.what());
                    }
                    return Behaviors.same();
                  })
              .build();
        });
  }
}
