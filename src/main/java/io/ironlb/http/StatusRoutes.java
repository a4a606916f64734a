package io.ironlb.http;

import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ironlb.bgp.BgpSupervisor;
import io.ironlb.l2.Speaker;
import io.ironlb.metrics.NodeMetrics;
import io.ironlb.node.NodeFeed;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;
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
    Duration limit =
        system.settings().config().getDuration("ironlb.bgp.drain-time").plusSeconds(10);
    return askLocal(
        BgpSupervisor.KEY,
        BgpSupervisor.Drain::new,
        limit,
        done ->
            HttpResponse.create().withEntity(ContentTypes.APPLICATION_JSON, "{\"drained\":true}"));
  }

  private Route readRoutes() {
    return concat(
        path(
            segment("v1").slash("services"),
            () -> get(() -> completeWithFuture(askLocal(NodeFeed.KEY, NodeFeed.GetServices::new)))),
        path(
            segment("v1").slash("l2"),
            () -> get(() -> completeWithFuture(askLocal(Speaker.KEY, Speaker.GetLayer2::new)))),
        path(
            segment("v1").slash("bgp").slash("peers"),
            () ->
                get(
                    () ->
                        completeWithFuture(
                            askLocal(BgpSupervisor.KEY, BgpSupervisor.GetPeers::new)))),
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

  private HttpResponse json(Object value) {
    try {
      return HttpResponse.create()
          .withEntity(ContentTypes.APPLICATION_JSON, JSON.writeValueAsString(value));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private <C, T> CompletionStage<HttpResponse> askLocal(
      ServiceKey<C> key, Function<ActorRef<T>, C> question) {
    return askLocal(key, question, Duration.ofSeconds(5), this::json);
  }

  /**
   * Finds this node's actor registered under {@code key} (the Receptionist lists every node's; only
   * the local one answers for this node), asks it and renders the reply; 503 while it is not yet
   * registered.
   */
  private <C, T> CompletionStage<HttpResponse> askLocal(
      ServiceKey<C> key,
      Function<ActorRef<T>, C> question,
      Duration timeout,
      Function<T, HttpResponse> render) {
    CompletionStage<Receptionist.Listing> listing =
        AskPattern.ask(
            system.receptionist(),
            replyTo -> Receptionist.find(key, replyTo),
            Duration.ofSeconds(3),
            system.scheduler());
    return listing.thenCompose(
        l -> {
          Optional<ActorRef<C>> local =
              l.getServiceInstances(key).stream()
                  .filter(ref -> ref.path().address().hasLocalScope())
                  .findFirst();
          if (local.isEmpty()) {
            return CompletableFuture.completedFuture(
                HttpResponse.create()
                    .withStatus(StatusCodes.SERVICE_UNAVAILABLE)
                    .withEntity("starting"));
          }
          CompletionStage<T> reply =
              AskPattern.ask(local.get(), question::apply, timeout, system.scheduler());
          return reply.thenApply(render);
        });
  }
}
