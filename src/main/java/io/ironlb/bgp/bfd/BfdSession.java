package io.ironlb.bgp.bfd;

import io.ironlb.bgp.bfd.BfdPacket.State;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * One BFD session to one peer (RFC 5880 Asynchronous mode over RFC 5881 single hop or RFC 5883
 * multi-hop): sends Control packets on a jittered timer, feeds received ones to its {@link
 * BfdStateMachine}, declares the peer down when the Detection Time passes in silence, and tells its
 * owner every change between Up and not Up — for a PeerSession, the signal to drop the BGP session
 * at once (RFC 5882 §4.3).
 */
public final class BfdSession extends AbstractBehavior<BfdSession.Command> {

  /**
   * A BFDProfile as a session uses it.
   *
   * @param minimumTtl multi-hop sessions only: the lowest TTL a received packet may carry (RFC 5883
   *     §5; single-hop sessions accept 255 alone, RFC 5881 §5)
   */
  public record Profile(BfdStateMachine.Settings timers, int minimumTtl) {}

  /**
   * @param peer the neighbour's address (the BGP peer's)
   * @param source the address to send from, or null for the kernel's choice
   * @param peerPort 3784 (RFC 5881), 4784 multi-hop (RFC 5883); tests on one host move them
   * @param multihop an RFC 5883 session: to and from port 4784, TTL down to {@code minimumTtl}
   * @param device the Linux device (a VRF) the session's sockets are bound to, or null
   */
  public record Config(
      InetAddress peer,
      InetAddress source,
      int peerPort,
      BfdStateMachine.Settings settings,
      boolean multihop,
      int minimumTtl,
      String device) {

    /** A single-hop session (RFC 5881) in the default VRF. */
    public Config(
        InetAddress peer, InetAddress source, int peerPort, BfdStateMachine.Settings settings) {
      this(peer, source, peerPort, settings, false, 255, null);
    }
  }

  /** Everything a BfdSession understands. */
  public sealed interface Command {}

  /** A Control packet for this session, from the transport. */
  public record Received(InetAddress from, BfdPacket packet) implements Command {}

  /** Replies with the session's state. */
  public record GetState(ActorRef<State> replyTo) implements Command {}

  /** What the owner is told: the session went Up, or left Up. */
  public record Changed(State state, BfdPacket.Diag diag) {}

  private record Bound(Channel channel) implements Command {}

  private record BindFailed(String reason) implements Command {}

  private record RetryBind() implements Command {}

  private record Transmit() implements Command {}

  private record DetectionTimeExpired() implements Command {}

  private final Config config;
  private final ActorRef<Changed> owner;
  private final TimerScheduler<Command> timers;
  private final BfdTransport transport;
  private final BfdMetrics metrics;
  private final String label;
  private final long discriminator;
  private final BfdStateMachine machine;
  private Channel channel;

  public static Behavior<Command> create(Config config, ActorRef<Changed> owner, BfdMetrics m) {
    return Behaviors.setup(
        ctx -> Behaviors.withTimers(timers -> new BfdSession(ctx, config, owner, timers, m)));
  }

  private BfdSession(
      ActorContext<Command> ctx,
      Config config,
      ActorRef<Changed> owner,
      TimerScheduler<Command> timers,
      BfdMetrics metrics) {
    super(ctx);
    this.config = config;
    this.owner = owner;
    this.timers = timers;
    this.metrics = metrics;
    this.label = config.peer().getHostAddress();
    this.transport = BfdTransport.get(ctx.getSystem());
    this.discriminator =
        transport.register(
            config.peer(),
            ctx.getSelf(),
            config.multihop() ? config.minimumTtl() : BfdTransport.SINGLE_HOP_TTL,
            config.device());
    this.machine = new BfdStateMachine(config.settings(), discriminator);
    metrics.claim(label, this);
    metrics.up.set(0, label);
    bind();
  }

  private void bind() {
    var future = transport.sender(config.source(), config.peer(), config.device());
    ActorRef<Command> self = getContext().getSelf();
    future.addListener(
        f ->
            self.tell(
                f.isSuccess()
                    ? new Bound(future.channel())
                    : new BindFailed(f.cause().toString())));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Bound.class, this::onBound)
        .onMessage(
            BindFailed.class,
            m -> {
              // Most likely the random source port was taken: another one, soon (at once could
              // spin when the cause is lasting, a VRF device that is not there yet).
              getContext().getLog().debug("BFD {}: bind failed ({}), retrying", label, m.reason());
              timers.startSingleTimer(new RetryBind(), Duration.ofMillis(100));
              return this;
            })
        .onMessage(
            RetryBind.class,
            m -> {
              bind();
              return this;
            })
        .onMessage(Received.class, this::onReceived)
        .onMessage(Transmit.class, m -> transmit())
        .onMessage(DetectionTimeExpired.class, m -> onDetectionTimeExpired())
        .onMessage(
            GetState.class,
            m -> {
              m.replyTo().tell(machine.state());
              return this;
            })
        .onSignal(
            PostStop.class,
            s -> {
              transport.unregister(discriminator, config.peer(), getContext().getSelf());
              if (channel != null) {
                channel.close();
              }
              metrics.release(label, this);
              return this;
            })
        .build();
  }

  private Behavior<Command> onBound(Bound m) {
    channel = m.channel();
    return transmit();
  }

  private Behavior<Command> onReceived(Received m) {
    metrics.input.add(1, label);
    BfdStateMachine.Reaction r = machine.receive(m.packet());
    if (r.answerWithFinal()) {
      send(machine.packet(true)); // §6.8.6: at once, not on the periodic timer
    }
    long detection = machine.detectionTimeMicros();
    if (detection > 0 && machine.state() != State.DOWN) {
      timers.startSingleTimer(
          DetectionTimeExpired.class,
          new DetectionTimeExpired(),
          Duration.ofNanos(detection * 1000));
    }
    if (r.changed()) {
      changed(r.before());
      // The peer learns the new state now, and the periodic timer restarts at the new state's
      // rate: going Up this end advertises its fast interval, and the peer's Detection Time
      // shrinks to match at once (§6.8.4), so the next packet cannot wait out the slow one.
      return transmit();
    }
    return this;
  }

  private Behavior<Command> onDetectionTimeExpired() {
    State before = machine.state();
    if (machine.detectionTimeExpired()) {
      getContext().getLog().warn("BFD {}: no packet within the detection time: Down", label);
      changed(before);
      return transmit();
    }
    return this;
  }

  private void changed(State before) {
    State now = machine.state();
    getContext().getLog().info("BFD {}: {} -> {} ({})", label, before, now, machine.diag());
    if (now == State.UP) {
      metrics.up.set(1, label);
      metrics.upEvents.add(1, label);
      owner.tell(new Changed(now, machine.diag()));
    } else if (before == State.UP) {
      metrics.up.set(0, label);
      metrics.downEvents.add(1, label);
      owner.tell(new Changed(now, machine.diag()));
    }
  }

  /** §6.8.7: the periodic packet, then the next one a jittered interval later. */
  private Behavior<Command> transmit() {
    if (machine.mayTransmit()) {
      send(machine.packet(false));
    }
    long micros = machine.nextTransmitMicros(ThreadLocalRandom.current().nextDouble());
    timers.startSingleTimer(Transmit.class, new Transmit(), Duration.ofNanos(micros * 1000));
    return this;
  }

  private void send(BfdPacket p) {
    if (channel == null) {
      return;
    }
    channel.writeAndFlush(
        new DatagramPacket(
            Unpooled.wrappedBuffer(BfdCodec.encode(p)),
            new InetSocketAddress(config.peer(), config.peerPort())));
    metrics.output.add(1, label);
  }
}
