package io.ironlb.cluster;

import java.util.Map;
import java.util.Set;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.cluster.sharding.ShardCoordinator;
import org.apache.pekko.dispatch.Futures;
import scala.collection.immutable.IndexedSeq;
import scala.concurrent.Future;

/**
 * A shard allocation strategy that never rebalances: a shard starts on the node whose message first
 * needed it and stays there until that node leaves or dies.
 *
 * <p>Why: a VIP entity keeps its state in memory only (the speakers' reports, which the speakers
 * re-send), so every move restarts it with nothing, and it must wait for reports before it can rank
 * again. Pekko's default strategy moves shards to a node that joins, so every join would restart
 * entities and delay their decisions for nothing. Balance matters little here: an entity handles a
 * few messages per membership change.
 *
 * <p>The requester is the region that asked, so it is alive and reachable from the coordinator;
 * allocating there never parks a shard on an unreachable node.
 */
public final class StayPutAllocation extends ShardCoordinator.AbstractShardAllocationStrategy {

  @Override
  public Future<ActorRef> allocateShard(
      ActorRef requester, String shardId, Map<ActorRef, IndexedSeq<String>> current) {
    if (current.containsKey(requester)) {
      return Futures.successful(requester);
    }
    // A requester without a region of its own (a proxy-only node): the least loaded region.
    ActorRef least = requester;
    int fewest = Integer.MAX_VALUE;
    for (Map.Entry<ActorRef, IndexedSeq<String>> e : current.entrySet()) {
      if (e.getValue().size() < fewest) {
        fewest = e.getValue().size();
        least = e.getKey();
      }
    }
    return Futures.successful(least);
  }

  @Override
  public Future<Set<String>> rebalance(
      Map<ActorRef, IndexedSeq<String>> current, Set<String> inProgress) {
    return Futures.successful(Set.of());
  }
}
