package io.ironlb.node;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.javadsl.Adapter;

/**
 * Pekko Management readiness check ({@code /ready}): not ready once the node has lost an essential
 * actor ({@link Lifeline}) or has begun to shut down, whatever its cluster membership says.
 */
public final class NodeReadiness implements Supplier<CompletionStage<Boolean>> {
  private final org.apache.pekko.actor.ActorSystem system;

  /** Instantiated by Pekko Management by reflection. */
  public NodeReadiness(org.apache.pekko.actor.ActorSystem system) {
    this.system = system;
  }

  @Override
  public CompletionStage<Boolean> get() {
    boolean whole = Lifeline.Health.get(Adapter.toTyped(system)).lost() == null;
    boolean stopping = CoordinatedShutdown.get(system).getShutdownReason().isPresent();
    return CompletableFuture.completedFuture(whole && !stopping);
  }
}
