package io.ironlb.http;

import io.ironlb.bgp.BgpSupervisor;
import io.ironlb.l2.Speaker;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;

/**
 * Where the HTTP routes (instantiated by Pekko Management by reflection) find this node's actors,
 * set once by the command that starts the node. Metrics are in {@link
 * io.ironlb.metrics.NodeMetrics}.
 */
public final class NodeRuntime implements Extension {

  private final AtomicReference<ActorRef<Speaker.Command>> speaker = new AtomicReference<>();
  private final AtomicReference<ActorRef<BgpSupervisor.Command>> bgp = new AtomicReference<>();

  public static final ExtensionId<NodeRuntime> ID =
      new ExtensionId<>() {
        @Override
        public NodeRuntime createExtension(ActorSystem<?> system) {
          return new NodeRuntime();
        }
      };

  private NodeRuntime() {}

  public static NodeRuntime get(ActorSystem<?> system) {
    return system.registerExtension(ID);
  }

  public void speaker(ActorRef<Speaker.Command> ref) {
    speaker.set(ref);
  }

  public ActorRef<Speaker.Command> speaker() {
    return speaker.get();
  }

  public void bgp(ActorRef<BgpSupervisor.Command> ref) {
    bgp.set(ref);
  }

  public ActorRef<BgpSupervisor.Command> bgp() {
    return bgp.get();
  }
}
