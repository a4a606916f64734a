package io.ironlb.source.kubernetes;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * The API server writes of one component: one write per object at a time, in the order they were
 * made (a later status never lands before an earlier one), on an executor because fabric8's client
 * blocks; a write the server could not take is tried again with backoff until it is accepted.
 */
final class WriteQueue {

  /** Read-modify-write attempts on 409 Conflict before the write counts as failed (and retried). */
  private static final int ATTEMPTS = 5;

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(WriteQueue.class);

  private final Executor executor;
  private final Map<Object, CompletableFuture<Void>> tails = new ConcurrentHashMap<>();

  WriteQueue(Executor executor) {
    this.executor = executor;
  }

  static void retryOnConflict(Runnable write) {
    for (int attempt = 1; ; attempt++) {
      try {
        write.run();
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt == ATTEMPTS) {
          throw e;
        }
      }
    }
  }

  /**
   * Runs {@code write} after every earlier write for the same key, on the executor. A write the API
   * server could not take (no answer, 5xx, 429 Too Many Requests) is tried again with backoff until
   * it is accepted; one it refuses for good (another 4xx) fails the returned stage.
   */
  CompletionStage<Void> chain(Object key, Runnable write) {
    Supplier<CompletableFuture<Void>> next = () -> attempt(key, write, 0);
    CompletableFuture<Void> result =
        tails.compute(
            key,
            (k, tail) ->
                tail == null
                    ? next.get()
                    : tail.handle((ok, e) -> null).thenCompose(x -> next.get()));
    result.whenComplete((ok, e) -> tails.remove(key, result));
    return result;
  }

  /** Backoff between attempts: 250 ms doubling to 30 s. */
  static long backoffMillis(int failures) {
    return Math.min(30_000L, 250L << Math.min(failures - 1, 7));
  }

  private CompletableFuture<Void> attempt(Object key, Runnable write, int failures) {
    Executor when =
        failures == 0
            ? executor
            : CompletableFuture.delayedExecutor(
                backoffMillis(failures), java.util.concurrent.TimeUnit.MILLISECONDS, executor);
    return CompletableFuture.runAsync(write, when)
        .handle(
            (ok, e) -> {
              if (e == null) {
                if (failures > 0) {
                  LOG.info("write for {} accepted after {} failed attempts", key, failures);
                }
                return CompletableFuture.<Void>completedFuture(null);
              }
              Throwable cause =
                  e instanceof java.util.concurrent.CompletionException && e.getCause() != null
                      ? e.getCause()
                      : e;
              if (!retryable(cause)) {
                LOG.warn("write for {} refused: {}", key, cause.toString());
                return CompletableFuture.<Void>failedFuture(cause);
              }
              if (failures == 0 || (failures + 1) % 10 == 0) {
                LOG.warn(
                    "write for {} failed ({} attempts so far), retrying: {}",
                    key,
                    failures + 1,
                    cause.toString());
              }
              return attempt(key, write, failures + 1);
            })
        .thenCompose(f -> f);
  }

  /**
   * Worth trying again: the server did not answer, failed, asked us to slow down, or refused us for
   * a reason that passes (credentials being rotated, RBAC not yet propagated: 401, 403). fabric8
   * already retries 5xx a few times itself; this outlasts it. Not: 400, 404, 422 — the write itself
   * is wrong or its object gone, and sending it again changes nothing.
   */
  static boolean retryable(Throwable e) {
    if (e instanceof KubernetesClientException k) {
      int code = k.getCode();
      return code == 0
          || code == 401
          || code == 403
          || code == 408
          || code == 409
          || code == 429
          || code >= 500;
    }
    return e instanceof java.io.IOException || e instanceof java.io.UncheckedIOException;
  }
}
