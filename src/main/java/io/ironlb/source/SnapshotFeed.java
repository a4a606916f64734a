package io.ironlb.source;

import io.ironlb.metrics.MetricFamilies;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.japi.function.Function;
import org.apache.pekko.japi.function.Function2;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.typed.javadsl.ActorSink;

/**
 * Runs a snapshot source into an actor with backpressure: the actor acknowledges each snapshot
 * ({@link Ack}) before the next is sent, so snapshots never queue up in its mailbox. The stream is
 * bound to the actor's life: it is cancelled when the actor stops. Every snapshot is counted in
 * MetalLB's k8s client metrics ({@link SourceMetrics}).
 */
public final class SnapshotFeed {
  private SnapshotFeed() {}

  /** The acknowledgement an actor sends back for each snapshot (and for the start). */
  public enum Ack {
    INSTANCE
  }

  public static <C> void run(
      ActorContext<C> ctx,
      Source<Snapshot, ?> source,
      Function<ActorRef<Ack>, C> onStart,
      Function2<ActorRef<Ack>, Snapshot, C> onSnapshot,
      C onEnd,
      Function<Throwable, C> onFailure) {
    SourceMetrics metrics = new SourceMetrics(MetricFamilies.get(ctx.getSystem()));
    source
        .map(
            s -> {
              metrics.observe(s);
              return s;
            })
        .runWith(
            ActorSink.<Snapshot, C, Ack>actorRefWithBackpressure(
                ctx.getSelf(), onSnapshot, onStart, Ack.INSTANCE, onEnd, onFailure),
            Materializer.createMaterializer(ctx));
  }
}
