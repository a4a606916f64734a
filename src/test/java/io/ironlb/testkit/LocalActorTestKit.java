package io.ironlb.testkit;

import com.typesafe.config.ConfigFactory;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;

/**
 * An actor test kit without the cluster: the product's settings ({@code application.conf}) with the
 * local actor provider, for tests of one actor and its collaborators (and their own metrics, since
 * each kit is its own actor system).
 */
public final class LocalActorTestKit {
  private LocalActorTestKit() {}

  public static ActorTestKit create() {
    return create("");
  }

  /** With extra settings (HOCON) over the product's. */
  public static ActorTestKit create(String settings) {
    return ActorTestKit.create(
        ConfigFactory.parseString("pekko.actor.provider = local\n" + settings)
            .withFallback(ConfigFactory.load()));
  }
}
