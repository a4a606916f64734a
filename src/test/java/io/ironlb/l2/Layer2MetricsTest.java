package io.ironlb.l2;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The {@code ip} label of MetalLB's layer-2 counters is the address as the status API writes it.
 */
class Layer2MetricsTest {

  @ParameterizedTest
  @CsvSource({
    "10.222.0.1, 10.222.0.1",
    "10.222.128.255, 10.222.128.255",
    "fd00:222:0:0:0:0:0:1, fd00:222::1",
    "FD00:0222::00AB, fd00:222::ab",
    "fd00:222:1:0:0:2:0:0, fd00:222:1::2:0:0" // RFC 5952 4.2.3: the first of two equal runs
  })
  void theLabelIsTheCanonicalText(String address, String label) throws Exception {
    assertThat(Layer2Metrics.label(InetAddress.getByName(address))).isEqualTo(label);
  }
}
