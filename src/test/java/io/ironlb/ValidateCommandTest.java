package io.ironlb;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ValidateCommandTest {

  /** Exit code, stdout and stderr of one in-process run. */
  record Run(int exit, String out, String err) {}

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = Main.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int exit = cl.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  @Test
  void bundledExamplesAreValid() {
    Run r = run("validate", "examples/");
    assertThat(r.exit()).isZero();
    assertThat(r.out().lines()).hasSize(1);
    assertThat(r.out())
        .startsWith("valid: 19 objects in 5 files (4 IPAddressPool, 2 L2Advertisement");
  }

  @Test
  void invalidObjectExitsOneWithObjectFieldReason(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("peer.yaml");
    Files.writeString(
        file,
        """
        apiVersion: metallb.io/v1beta2
        kind: BGPPeer
        metadata: {name: core, namespace: metallb-system}
        spec: {myASN: 64500, peerASN: 64501, peerAddress: 10.222.0.1, holdTime: 90s, keepaliveTime: 120s}
        """);
    Run r = run("validate", file.toString());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.out().lines())
        .containsExactly(
            "BGPPeer metallb-system/core: spec.keepaliveTime: 120s is longer than spec.holdTime 90s");
    assertThat(r.err()).isEqualTo("invalid: 1 error, 0 warnings\n");
  }

  @Test
  void syntaxErrorNamesFileAndLineWithoutAStackTrace(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("broken.yaml");
    Files.writeString(file, "apiVersion: v1\nkind: Service\nmetadata:\n  name: [x\n");
    Run r = run("validate", file.toString());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.out()).startsWith(file + ":").contains("YAML syntax error");
    assertThat(r.out() + r.err()).doesNotContain("Exception").doesNotContain("\tat ");
  }

  @Test
  void binaryGarbageIsAProblemNotACrash(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("garbage.yaml");
    Files.write(file, new byte[] {0, 1, 2, (byte) 0xff, '\n', ':', ':', '\t', '{'});
    Run r = run("validate", file.toString());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.out() + r.err()).doesNotContain("\tat ");
  }

  @Test
  void warningsAloneKeepTheConfigurationValid(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("adv.yaml");
    Files.writeString(
        file,
        """
        apiVersion: metallb.io/v1beta1
        kind: L2Advertisement
        metadata: {name: l2, namespace: metallb-system}
        spec: {ipAddressPools: [missing]}
        """);
    Run r = run("validate", file.toString());
    assertThat(r.exit()).isZero();
    assertThat(r.out().lines())
        .containsExactly(
            "warning: L2Advertisement metallb-system/l2: spec.ipAddressPools: IPAddressPool"
                + " \"missing\" does not exist",
            "valid: 1 object in 1 file (1 L2Advertisement)");
  }

  @Test
  void helpDescribesTheCommands() {
    Run top = run("--help");
    assertThat(top.exit()).isZero();
    assertThat(top.out()).contains("Usage: ironlb").contains("validate").contains("LoadBalancer");
    Run validate = run("validate", "--help");
    assertThat(validate.exit()).isZero();
    assertThat(validate.out())
        .contains("Usage: ironlb validate")
        .contains("PATH")
        .contains("Exit status: 0 when valid");
  }

  @Test
  void missingArgumentIsAUsageError() {
    Run r = run("validate");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("Missing required parameter");
  }
}
