package io.ironlb;

import static io.ironlb.ValidateCommandTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlanCommandTest {

  @Test
  void tableGivesEachServiceItsAddressOrTheReason() {
    ValidateCommandTest.Run r = run("plan", "examples/");
    assertThat(r.exit()).isZero();
    assertThat(r.out().lines())
        .containsExactly(
            "SERVICE           IPS          POOL        ERROR",
            "default/echo      10.222.10.7  first-pool",
            "default/first     10.222.40.1  tiny",
            "default/second    -            -           no available IPs in pool \"tiny\"",
            "default/squatter  -            -           10.222.10.7 is in use by default/echo,"
                + " which does not allow sharing",
            "default/typo      -            -           unknown pool \"expensiv\"",
            "default/v6-only   -            -           no IPv6 addresses in pool \"expensive\"",
            "web/nginx         10.222.20.1  expensive");
  }

  @Test
  void jsonHasTheDocumentedShape() throws IOException {
    ValidateCommandTest.Run r = run("plan", "examples/", "--output", "json");
    assertThat(r.exit()).isZero();
    JsonNode rows = new ObjectMapper().readTree(r.out());
    assertThat(rows).hasSize(7);
    JsonNode echo = rows.get(0);
    assertThat(echo.fieldNames())
        .toIterable()
        .containsExactly("namespace", "name", "ips", "pool", "error");
    assertThat(echo.get("ips").get(0).asText()).isEqualTo("10.222.10.7");
    assertThat(echo.get("error").isNull()).isTrue();
    assertThat(rows.get(2).get("ips")).isEmpty();
    assertThat(rows.get(2).get("pool").isNull()).isTrue();
    assertThat(rows.get(2).get("error").asText()).isEqualTo("no available IPs in pool \"tiny\"");
  }

  @Test
  void existingStatusIsHonoured(@TempDir Path dir) throws IOException {
    Files.writeString(
        dir.resolve("all.yaml"),
        """
        apiVersion: metallb.io/v1beta1
        kind: IPAddressPool
        metadata: {name: p, namespace: metallb-system}
        spec: {addresses: [10.222.1.0/30]}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: a-new, namespace: default}
        spec: {type: LoadBalancer, ports: [{port: 80}]}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: b-old, namespace: default}
        spec: {type: LoadBalancer, ports: [{port: 80}]}
        status: {loadBalancer: {ingress: [{ip: 10.222.1.0}]}}
        """);
    ValidateCommandTest.Run r = run("plan", dir.toString());
    assertThat(r.out().lines())
        .containsExactly(
            "SERVICE        IPS         POOL  ERROR",
            "default/a-new  10.222.1.1  p",
            "default/b-old  10.222.1.0  p");
  }

  @Test
  void invalidConfigurationExitsOneWithValidateMessages(@TempDir Path dir) throws IOException {
    Files.writeString(
        dir.resolve("bad.yaml"),
        """
        apiVersion: metallb.io/v1beta1
        kind: IPAddressPool
        metadata: {name: p, namespace: metallb-system}
        spec: {addresses: [10.222.1.0/33]}
        """);
    ValidateCommandTest.Run r = run("plan", dir.toString());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
    assertThat(r.err().lines())
        .containsExactly(
            "IPAddressPool metallb-system/p: spec.addresses[0]: invalid CIDR \"10.222.1.0/33\": not"
                + " a CIDR; write a CIDR or a range a-b");
  }
}
