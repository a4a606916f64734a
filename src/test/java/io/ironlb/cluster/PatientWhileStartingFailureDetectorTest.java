package io.ironlb.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.remote.FailureDetector;
import org.junit.jupiter.api.Test;

/** Which detector decides, and when. */
class PatientWhileStartingFailureDetectorTest {

  /** A detector whose verdict the test sets, counting the heartbeats it is given. */
  private static final class Verdict implements FailureDetector {
    boolean available = true;
    int heartbeats;

    @Override
    public boolean isAvailable() {
      return available;
    }

    @Override
    public boolean isMonitoring() {
      return heartbeats > 0;
    }

    @Override
    public void heartbeat() {
      heartbeats++;
    }
  }

  @Test
  void thePatientDetectorDecidesDuringTheGraceAndTheFastOneAfterIt() {
    AtomicLong now = new AtomicLong(1_000);
    Verdict patient = new Verdict();
    Verdict fast = new Verdict();
    var detector =
        new PatientWhileStartingFailureDetector(
            patient, fast, Duration.ofSeconds(60).toNanos(), now::get);
    fast.available = false; // a 500 ms pause: the fast detector gives up, the patient one waits
    assertThat(detector.isAvailable()).isTrue();
    patient.available = false; // a pause past the patient limit: unreachable even while young
    assertThat(detector.isAvailable()).isFalse();

    now.addAndGet(Duration.ofSeconds(60).toNanos());
    patient.available = true;
    fast.available = false;
    assertThat(detector.isAvailable()).isFalse();
    fast.available = true;
    assertThat(detector.isAvailable()).isTrue();
  }

  @Test
  void bothDetectorsSeeEveryHeartbeat() {
    Verdict patient = new Verdict();
    Verdict fast = new Verdict();
    var detector = new PatientWhileStartingFailureDetector(patient, fast, 1, () -> 0);
    assertThat(detector.isMonitoring()).isFalse();
    detector.heartbeat();
    detector.heartbeat();
    assertThat(detector.isMonitoring()).isTrue();
    assertThat(patient.heartbeats).isEqualTo(2);
    assertThat(fast.heartbeats).isEqualTo(2);
  }

  @Test
  void aSpeakersSettingsNameItAndBuildIt() {
    Config all = ConfigFactory.load();
    Config speaker =
        all.getConfig("ironlb.cluster.fast-failure-detection.failure-detector")
            .withFallback(all.getConfig("pekko.cluster.failure-detector"));
    assertThat(speaker.getString("implementation-class"))
        .isEqualTo(PatientWhileStartingFailureDetector.class.getName());
    var detector = new PatientWhileStartingFailureDetector(speaker, null);
    assertThat(detector.isAvailable()).isTrue(); // nothing heard yet: not suspected
    assertThat(detector.isMonitoring()).isFalse();
  }
}
