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
    // One line that says what is wrong (it used to be the decoder's "Input length = 1").
    assertThat(r.out().lines()).containsExactly(file + ": not a UTF-8 text file (byte 3 is 0xff)");
  }

  /**
   * The line where the parser found the problem, SnakeYAML's own sentence for it, and where the
   * broken construct began (the error used to point at the context line with its context text).
   */
  @Test
  void aSyntaxErrorNamesTheProblemLineAndSentence(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("colon.yaml");
    Files.writeString(
        file,
        """
        apiVersion: metallb.io/v1beta1
        kind: IPAddressPool
        metadata:
          name: a
          namespace metallb-system
        spec:
          addresses: [10.222.0.0/24]
        """);
    Run r = run("validate", file.toString());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.out().lines())
        .containsExactly(
            file
                + ":6:1: YAML syntax error: could not find expected ':' (while scanning a simple"
                + " key at line 5, column 3)");
  }

  /** A field of the wrong type no longer hides the object's other problems. */
  @Test
  void aTypeErrorAndTheObjectsOtherProblemsAreAllReported(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("bfd.yaml");
    Files.writeString(
        file,
        """
        apiVersion: metallb.io/v1beta1
        kind: BFDProfile
        metadata: {name: a, namespace: metallb-system}
        spec: {receiveInterval: abc, transmitInterval: 5, detectMultiplier: 1000, echo: true}
        """);
    Run r = run("validate", file.toString());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.out().lines())
        .containsExactlyInAnyOrder(
            "BFDProfile metallb-system/a: spec.receiveInterval: expected an integer",
            "BFDProfile metallb-system/a: spec.echo: unknown field",
            "BFDProfile metallb-system/a: spec.transmitInterval: invalid value 5, must be in"
                + " 10-60000 range",
            "BFDProfile metallb-system/a: spec.detectMultiplier: invalid value 1000, must be in"
                + " 2-255 range");
  }

  /** A field the decoder already reported is not reported again as missing by the rules. */
  @Test
  void aBrokenRequiredFieldIsReportedOnce(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("peer.yaml");
    Files.writeString(
        file,
        """
        apiVersion: metallb.io/v1beta2
        kind: BGPPeer
        metadata: {name: p, namespace: metallb-system}
        spec: {myASN: sixty-four, peerASN: 64501, peerAddress: 10.222.0.1}
        """);
    Run r = run("validate", file.toString());
    assertThat(r.out().lines())
        .containsExactly("BGPPeer metallb-system/p: spec.myASN: expected an integer");
  }

  @Test
  void aliasesToListsAndMappingsAndMergeKeysAreAccepted(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("anchors.yaml");
    Files.writeString(
        file,
        """
        apiVersion: metallb.io/v1beta1
        kind: IPAddressPool
        metadata: &meta {name: a, namespace: metallb-system, labels: &labels {zone: one}}
        spec:
          addresses: &ranges [10.222.0.0/24, 10.222.1.0/24]
          serviceAllocation:
            namespaceSelectors: [{matchLabels: *labels}]
        ---
        apiVersion: metallb.io/v1beta1
        kind: L2Advertisement
        metadata:
          <<: {namespace: metallb-system}
          name: l2
        spec: {ipAddressPools: [a]}
        """);
    Run r = run("validate", file.toString());
    assertThat(r.exit()).as(r.out()).isZero();
    assertThat(r.out()).startsWith("valid: 2 objects in 1 file");
  }

  /**
   * A node that is not there (port 0: no connection can ever succeed) gets one line saying so (it
   * used to print "ironlb: null"); one that takes the connection and never answers, another.
   */
  @Test
  void drainingANodeThatDoesNotAnswerSaysSo() throws IOException {
    Run refused = run("drain", "--http", "127.0.0.1:0");
    assertThat(refused.exit()).isEqualTo(1);
    assertThat(refused.err().lines())
        .containsExactly("drain of 127.0.0.1:0 failed: nothing answers there (connection refused)");
    try (java.net.ServerSocket silent =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      String at = "127.0.0.1:" + silent.getLocalPort();
      Run r = run("drain", "--http", at, "--timeout", "1s");
      assertThat(r.exit()).isEqualTo(1);
      assertThat(r.err().lines())
          .containsExactly("drain of " + at + " failed: no answer within 1s");
    }
  }
}
