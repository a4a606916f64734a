package io.ironlb.http;

import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ironlb.l2.Speaker;
import io.ironlb.metrics.NodeMetrics;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.management.javadsl.ManagementRouteProvider;
import org.apache.pekko.management.javadsl.ManagementRouteProviderSettings;

/**
 * IronLB's routes on the Pekko Management port (beside {@code /ready}, {@code /alive} and {@code
 * /cluster/members}): {@code GET /v1/services} (every Service, its addresses and who announces
 * them) and {@code GET /v1/l2} (this node: fenced or not, the addresses it announces).
 */
public final class StatusRoutes extends AllDirectives implements ManagementRouteProvider {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final ActorSystem<?> system;

  public StatusRoutes(ExtendedActorSystem system) {
    this.system = Adapter.toTyped(system);
  }

  @Override
  public Route routes(ManagementRouteProviderSettings settings) {
    Route read = readRoutes();
    if (settings.readOnly()) {
      return read;
    }
    // Write routes, only when the operator turned them on (--write-routes).
    return concat(
        read, path(segment("v1").slash("drain"), () -> post(() -> completeWithFuture(drain()))));
  }

  /**
   * Graceful shutdown of this node's BGP sessions (RFC 8326), for maintenance: answers when every
   * session has drained and closed; the node announces nothing over BGP until it restarts.
   */
  private CompletionStage<HttpResponse> drain() {
    var bgp = NodeRuntime.get(system).bgp();
    if (bgp == null) {
      return CompletableFuture.completedFuture(
          HttpResponse.create().withStatus(StatusCodes.SERVICE_UNAVAILABLE).withEntity("starting"));
    }
    Duration limit =
        system.settings().config().getDuration("ironlb.bgp.drain-time").plusSeconds(10);
    CompletionStage<org.apache.pekko.Done> done =
        AskPattern.ask(bgp, io.ironlb.bgp.BgpSupervisor.Drain::new, limit, system.scheduler());
    return done.thenApply(
        d -> HttpResponse.create().withEntity(ContentTypes.APPLICATION_JSON, "{\"drained\":true}"));
  }

  private Route readRoutes() {
    return concat(
        path(
            segment("v1").slash("services"),
            () -> get(() -> completeWithFuture(askSpeaker(Speaker.GetServices::new)))),
        path(
            segment("v1").slash("l2"),
            () -> get(() -> completeWithFuture(askSpeaker(Speaker.GetLayer2::new)))),
        path(
            segment("v1").slash("bgp").slash("peers"),
            () -> get(() -> completeWithFuture(peers()))),
        path(
            "metrics",
            () ->
                get(
                    () ->
                        complete(
                            HttpResponse.create()
                                .withEntity(
                                    ContentTypes.TEXT_PLAIN_UTF8,
                                    NodeMetrics.get(system).scrape())))));
  }

  private CompletionStage<HttpResponse> peers() {
    var bgp = NodeRuntime.get(system).bgp();
    if (bgp == null) {
      return CompletableFuture.completedFuture(
          HttpResponse.create().withStatus(StatusCodes.SERVICE_UNAVAILABLE).withEntity("starting"));
    }
    CompletionStage<java.util.List<io.ironlb.bgp.PeerSession.Status>> reply =
        AskPattern.ask(
            bgp,
            io.ironlb.bgp.BgpSupervisor.GetPeers::new,
            Duration.ofSeconds(5),
            system.scheduler());
    return reply.thenApply(this::json);
  }

  private HttpResponse json(Object value) {
    try {
      return HttpResponse.create()
          .withEntity(ContentTypes.APPLICATION_JSON, JSON.writeValueAsString(value));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Asks this node's Speaker and answers with the reply as JSON (503 while starting). */
  private <T> CompletionStage<HttpResponse> askSpeaker(
      java.util.function.Function<ActorRef<T>, Speaker.Command> question) {
    var speaker = NodeRuntime.get(system).speaker();
    if (speaker == null) {
      return CompletableFuture.completedFuture(
          HttpResponse.create().withStatus(StatusCodes.SERVICE_UNAVAILABLE).withEntity("starting"));
    }
    CompletionStage<T> reply =
        AskPattern.ask(speaker, question::apply, Duration.ofSeconds(5), system.scheduler());
    return reply.thenApply(this::json);
  }
}
