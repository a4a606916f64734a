package io.ironlb.source;

import io.ironlb.config.ClusterResources;
import io.ironlb.config.ConfigValidator;
import io.ironlb.config.ObjectDecoder;
import io.ironlb.config.Problem;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets only valid configurations through: a change that fails validation is logged with the
 * validator's messages and the last good configuration stays in force, while Services and the other
 * core objects still flow. One per source materialization (it holds the last good state).
 */
public final class ConfigGate {
  private static final Logger log = LoggerFactory.getLogger(ConfigGate.class);

  private ClusterResources lastGood = ClusterResources.EMPTY;
  private List<Problem> lastProblems = List.of();
  private long generation;

  /** The snapshot for what was just read. */
  public Snapshot next(ClusterResources read, List<Problem> readProblems) {
    List<Problem> problems = new ArrayList<>(readProblems);
    problems.addAll(ObjectDecoder.besides(readProblems, ConfigValidator.validate(read)));
    boolean valid = ConfigValidator.isValid(problems);
    if (!problems.equals(lastProblems)) {
      if (valid) {
        problems.forEach(p -> log.warn("configuration: {}", p));
        log.info("configuration valid: {} pools", read.pools().size());
      } else {
        log.error(
            "configuration rejected, the last valid one stays in force; {} problem(s):",
            problems.stream().filter(Problem::isError).count());
        problems.forEach(p -> log.error("  {}", p));
      }
      lastProblems = List.copyOf(problems);
    }
    if (valid) {
      lastGood = read;
    }
    return new Snapshot(
        read.withConfigurationOf(lastGood), valid ? List.of() : problems, !valid, ++generation);
  }
}
