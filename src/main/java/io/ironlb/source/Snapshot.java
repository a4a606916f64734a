package io.ironlb.source;

import io.ironlb.config.ClusterResources;
import io.ironlb.config.Problem;
import java.util.List;

/**
 * Everything IronLB watches at one moment: the last valid {@code metallb.io} configuration and the
 * current Services, EndpointSlices, Nodes, Namespaces and Secrets.
 *
 * @param resources the objects, with the configuration last found valid
 * @param problems what is wrong with the configuration as it stands now (empty when valid)
 * @param configStale true when the configuration as it stands is invalid, so an older one is in
 *     force (MetalLB's {@code config_stale_bool})
 * @param generation increases with each snapshot of one source
 */
public record Snapshot(
    ClusterResources resources, List<Problem> problems, boolean configStale, long generation) {

  public Snapshot {
    problems = List.copyOf(problems);
  }

  /** A valid configuration has been seen at least once. */
  public boolean configLoaded() {
    return !resources.pools().isEmpty() || !configStale;
  }
}
