package io.ironlb.cluster;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueFactory;
import java.util.function.LongSupplier;
import org.apache.pekko.event.EventStream;
import org.apache.pekko.remote.FailureDetector;
import org.apache.pekko.remote.PhiAccrualFailureDetector;

/**
 * Pekko's phi accrual failure detector, patient for a while after it starts watching a node. A node
 * watches each peer with a new detector when either of them joins: exactly when JVMs are busiest
 * (class loading, the JIT compiler, thousands of addresses set up), and when a 400 ms pause is most
 * often not a failure. Twelve speakers started together on two cores marked each other unreachable
 * hundreds of times while forming, until the split-brain resolver downed them all. For {@code
 * startup-grace} this detector decides with {@code startup-acceptable-heartbeat-pause}; after it,
 * with the configured pause (the fast one layer-2 failover needs). Both detectors see every
 * heartbeat, so the switch needs no history.
 *
 * <p>Set as {@code pekko.cluster.failure-detector.implementation-class}; reads the phi accrual
 * settings there, plus {@code startup-grace} and {@code startup-acceptable-heartbeat-pause}.
 */
public final class PatientWhileStartingFailureDetector implements FailureDetector {
  private final FailureDetector patient;
  private final FailureDetector fast;
  private final LongSupplier nanos;
  private final long startedAt;
  private final long graceNanos;

  /** The constructor Pekko's FailureDetectorLoader calls. */
  public PatientWhileStartingFailureDetector(Config config, EventStream events) {
    this(
        new PhiAccrualFailureDetector(
            config.withValue(
                "acceptable-heartbeat-pause",
                ConfigValueFactory.fromAnyRef(
                    config.getString("startup-acceptable-heartbeat-pause"))),
            events),
        new PhiAccrualFailureDetector(config, events),
        config.getDuration("startup-grace").toNanos(),
        System::nanoTime);
  }

  PatientWhileStartingFailureDetector(
      FailureDetector patient, FailureDetector fast, long graceNanos, LongSupplier nanos) {
    this.patient = patient;
    this.fast = fast;
    this.graceNanos = graceNanos;
    this.nanos = nanos;
    this.startedAt = nanos.getAsLong();
  }

  private boolean young() {
    return nanos.getAsLong() - startedAt < graceNanos;
  }

  @Override
  public boolean isAvailable() {
    return young() ? patient.isAvailable() : fast.isAvailable();
  }

  @Override
  public boolean isMonitoring() {
    return fast.isMonitoring();
  }

  @Override
  public void heartbeat() {
    patient.heartbeat();
    fast.heartbeat();
  }
}
