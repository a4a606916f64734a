package io.ironlb.source;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.List;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;

/** Cluster members in one JVM, on loopback with free ports, for component tests. */
public final class ClusterFixture {
  private ClusterFixture() {}

  /** A member with the given roles; joins {@code seed}, or itself when {@code seed} is null. */
  public static ActorSystem<Void> member(String name, List<String> roles, ActorSystem<?> seed) {
    return member(Behaviors.empty(), roles, seed);
  }

  /** As {@link #member(String, List, ActorSystem)}, with this user guardian. */
  public static <T> ActorSystem<T> member(
      org.apache.pekko.actor.typed.Behavior<T> guardian, List<String> roles, ActorSystem<?> seed) {
    Config config =
        ConfigFactory.parseString(
                "pekko.remote.artery.canonical.hostname = 127.0.0.1\n"
                    + "pekko.remote.artery.canonical.port = 0\n"
                    + "pekko.cluster.roles = ["
                    + String.join(",", roles.stream().map(r -> "\"" + r + "\"").toList())
                    + "]\n"
                    + "pekko.loglevel = WARNING\n"
                    // A member that leaves while it is the leader may shut down before the other
                    // has seen it Exiting; the other then downs it as unreachable, after
                    // stable-after (20 s by default: longer than the tests wait).
                    + "pekko.cluster.split-brain-resolver.stable-after = 3s\n"
                    // A shard region that holds messages for a shard with no home yet (a test
                    // that ended before this cluster's coordinator allocated it) waits out the
                    // whole phase before it stops: at Pekko's 10 s, as long as the test kit waits
                    // for the system to terminate (KubernetesSpeakerTest failed so in CI).
                    + "pekko.coordinated-shutdown.phases.cluster-sharding-shutdown-region.timeout"
                    + " = 3s\n")
            .withFallback(ConfigFactory.load());
    ActorSystem<T> system = ActorSystem.create(guardian, "ironlb", config);
    Cluster cluster = Cluster.get(system);
    cluster
        .manager()
        .tell(
            Join.create(
                seed == null
                    ? cluster.selfMember().address()
                    : Cluster.get(seed).selfMember().address()));
    return system;
  }
}
