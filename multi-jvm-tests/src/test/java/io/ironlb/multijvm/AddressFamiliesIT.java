package io.ironlb.multijvm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16: which address families a session carries, against FRR. A {@code dualStackAddressFamily}
 * peer gets the IPv4 and the IPv6 address of a dual-stack Service over its one IPv4 session, the
 * IPv6 one with the node's global IPv6 address as next hop; a peer without it gets only IPv4. An
 * unnumbered peer ({@code interface}) on a link with only link-local addresses comes up to the
 * router found by its Router Advertisements, and both addresses reach FRR's kernel table with the
 * node's link-local address as next hop (IPv4 over IPv6, RFC 8950), with BFD over the same
 * link-local addresses and the session signed with TCP MD5. The same unnumbered peer comes up with
 * BIRD (its RAdv protocol advertising the router, dynamic BGP accepting the link-local session with
 * the extended next hop), a second implementation of RFC 8950.
 */
class AddressFamiliesIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String DUAL = "10.222.70.101";
  private static final String V4_ONLY = "10.222.70.102";

  @TempDir Path config;
  private Layer2Lab lab;
  private BgpRouters routers;

  @RegisterExtension
  final AfterTestExecutionCallback logsOnFailure = Layer2Lab.logsOnFailure(() -> lab);

  /**
   * Pool {@code routed} with addresses of both families, advertised, and dual-stack {@code web}.
   */
  private static final String DUAL_STACK_WEB =
      """
      ---
      apiVersion: metallb.io/v1beta1
      kind: IPAddressPool
      metadata: {name: routed, namespace: metallb-system}
      spec: {addresses: [10.222.75.10-10.222.75.20, "fd00:222:75::10-fd00:222:75::20"]}
      ---
      apiVersion: metallb.io/v1beta1
      kind: BGPAdvertisement
      metadata: {name: routed, namespace: metallb-system}
      spec: {ipAddressPools: [routed]}
      ---
      apiVersion: v1
      kind: Service
      metadata: {name: web, namespace: default, annotations: {metallb.io/address-pool: routed}}
      spec:
        type: LoadBalancer
        ipFamilyPolicy: RequireDualStack
        ipFamilies: [IPv4, IPv6]
        ports: [{port: 80}]
      """;

  @BeforeEach
  void tools() {
    assumeTrue(Netns.available("vtysh", "curl"), "needs root, FRR, curl");
  }

  @AfterEach
  void tearDown() {
    if (routers != null) {
      routers.close();
    }
    if (lab != null) {
      lab.close();
    }
  }

  /** FRR accepting speakers from the lab's IPv4 segment, both families on each session. */
  private static String dualStackFrr(String ns, String id) {
    return """
        hostname %s
        router bgp 64500
         bgp router-id %s
         no bgp ebgp-requires-policy
         no bgp default ipv4-unicast
         neighbor NODES peer-group
         neighbor NODES remote-as 64512
         neighbor NODES timers 1 3
         neighbor NODES timers connect 1
         bgp listen range 10.222.70.0/24 peer-group NODES
         address-family ipv4 unicast
          neighbor NODES activate
         exit-address-family
         address-family ipv6 unicast
          neighbor NODES activate
         exit-address-family
        """
        .formatted(ns, id);
  }

  @Test
  void aDualStackPeerGetsBothFamiliesOverOneSessionAndAPlainOneItsOwn() throws Exception {
    Layer2Lab.writeConfig(
        config,
        List.of("10.222.70.240/32"),
        DUAL_STACK_WEB
            + """
            ---
            apiVersion: metallb.io/v1beta2
            kind: BGPPeer
            metadata: {name: dual, namespace: metallb-system}
            spec: {myASN: 64512, peerASN: 64500, peerAddress: %s, dualStackAddressFamily: true,
                   holdTime: 3s, keepaliveTime: 1s}
            ---
            apiVersion: metallb.io/v1beta2
            kind: BGPPeer
            metadata: {name: plain, namespace: metallb-system}
            spec: {myASN: 64512, peerASN: 64500, peerAddress: %s, holdTime: 3s, keepaliveTime: 1s}
            """
                .formatted(DUAL, V4_ONLY));
    lab = new Layer2Lab(config, 1, IronlbProcess.PATIENT_DETECTOR);
    routers = new BgpRouters();
    String rdual = lab.extraHost("rdual", 101);
    String rplain = lab.extraHost("rplain", 102);
    routers.startFrr(lab.net(), rdual, dualStackFrr(rdual, DUAL), false);
    routers.startFrr(lab.net(), rplain, dualStackFrr(rplain, V4_ONLY), false);
    lab.start(1);
    List<String> ips = ipsOf("web");
    String v4 = ips.stream().filter(a -> !a.contains(":")).findFirst().orElseThrow();
    String v6 = ips.stream().filter(a -> a.contains(":")).findFirst().orElseThrow();
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () -> {
              Map<String, JsonNode> peers = lab.bgpPeers(1);
              assertThat(peers.get(DUAL + ":179").path("state").asText()).isEqualTo("ESTABLISHED");
              assertThat(peers.get(V4_ONLY + ":179").path("state").asText())
                  .isEqualTo("ESTABLISHED");
              assertThat(nextHops(rdual, "ipv4", v4 + "/32")).containsExactly(Layer2Lab.V4 + ".1");
              assertThat(nextHops(rdual, "ipv6", v6 + "/128"))
                  .containsExactly(Layer2Lab.V6 + "::1");
              assertThat(nextHops(rplain, "ipv4", v4 + "/32")).containsExactly(Layer2Lab.V4 + ".1");
            });
    // One session each: the IPv6 route to the dual-stack router came over the IPv4 session.
    assertThat(sessions(rdual)).isEqualTo(1);
    // Without dualStackAddressFamily the session is for IPv4 only (as MetalLB's FRR mode).
    assertThat(nextHops(rplain, "ipv6", v6 + "/128")).isEmpty();
  }

  @Test
  void anUnnumberedPeerFindsItsRouterAndCarriesBothFamiliesOverLinkLocalAddresses()
      throws Exception {
    Layer2Lab.writeConfig(
        config,
        List.of("10.222.70.240/32"),
        DUAL_STACK_WEB
            + """
            ---
            apiVersion: metallb.io/v1beta2
            kind: BGPPeer
            metadata: {name: unnumbered, namespace: metallb-system}
            spec: {myASN: 64512, peerASN: 64500, interface: eth2, holdTime: 3s, keepaliveTime: 1s,
                   bfdProfile: fast, password: s3cret-md5}
            ---
            apiVersion: metallb.io/v1beta1
            kind: BFDProfile
            metadata: {name: fast, namespace: metallb-system}
            spec: {receiveInterval: 100, transmitInterval: 100, detectMultiplier: 3}
            """);
    lab = new Layer2Lab(config, 1, IronlbProcess.PATIENT_DETECTOR);
    routers = new BgpRouters();
    String node = lab.namespace(1);
    String router = unnumberedLink(node);
    routers.startFrr(
        lab.net(),
        router,
        """
        hostname %s
        router bgp 64500
         bgp router-id 10.222.76.1
         no bgp ebgp-requires-policy
         no bgp default ipv4-unicast
         neighbor swp1 interface remote-as 64512
         neighbor swp1 timers 1 3
         neighbor swp1 timers connect 1
         neighbor swp1 bfd profile fast
         neighbor swp1 password s3cret-md5
         address-family ipv4 unicast
          neighbor swp1 activate
         exit-address-family
         address-family ipv6 unicast
          neighbor swp1 activate
         exit-address-family
        """
            .formatted(router),
        true);
    lab.start(1);
    List<String> ips = ipsOf("web");
    String v4 = ips.stream().filter(a -> !a.contains(":")).findFirst().orElseThrow();
    String v6 = ips.stream().filter(a -> a.contains(":")).findFirst().orElseThrow();
    String nodeLinkLocal = linkLocal(node, "eth2");
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () -> {
              assertThat(lab.bgpPeers(1).get("eth2").path("state").asText())
                  .isEqualTo("ESTABLISHED");
              // In the router's kernel: IPv4 via an IPv6 next hop (RFC 8950), IPv6 via link-local.
              assertThat(lab.net().in(router, "ip", "-4", "route", "show", v4).output())
                  .contains("via inet6 " + nodeLinkLocal)
                  .contains("dev swp1");
              assertThat(lab.net().in(router, "ip", "-6", "route", "show", v6).output())
                  .contains("via " + nodeLinkLocal)
                  .contains("dev swp1");
              // The BFDProfile protects the session over the same link-local addresses.
              JsonNode bfd = JSON.readTree(routers.vtysh(lab.net(), router, "show bfd peers json"));
              assertThat(bfd).hasSize(1);
              assertThat(bfd.get(0).path("peer").asText()).isEqualTo(nodeLinkLocal);
              assertThat(bfd.get(0).path("status").asText()).isEqualTo("up");
            });
  }

  /** Namespace {@code runn}, whose swp1 is a veth to the node's eth2; link-local addresses only. */
  private String unnumberedLink(String node) {
    String router = lab.net().namespace("runn");
    lab.net()
        .mustIn(
            router,
            "sysctl",
            "-qw",
            "net.ipv6.conf.all.accept_dad=0",
            "net.ipv6.conf.default.accept_dad=0");
    Netns.must(
        "ip", "-n", node, "link", "add", "eth2", "type", "veth", "peer", "name", "swp1", "netns",
        router);
    Netns.must("ip", "-n", node, "link", "set", "eth2", "up");
    Netns.must("ip", "-n", router, "link", "set", "swp1", "up");
    assertThat(lab.net().in(node, "ip", "-o", "addr", "show", "dev", "eth2").output())
        .as("the link has link-local addresses only")
        .doesNotContain("inet ")
        .doesNotContain("scope global");
    return router;
  }

  private static final String UNNUMBERED_PEER =
      """
      ---
      apiVersion: metallb.io/v1beta2
      kind: BGPPeer
      metadata: {name: unnumbered, namespace: metallb-system}
      spec: {myASN: 64512, peerASN: 64500, interface: eth2, holdTime: 3s, keepaliveTime: 1s}
      """;

  @Test
  void anUnnumberedPeerComesUpWithBird() throws Exception {
    assumeTrue(Netns.available("bird", "birdc"), "needs BIRD");
    Layer2Lab.writeConfig(config, List.of("10.222.70.240/32"), DUAL_STACK_WEB + UNNUMBERED_PEER);
    lab = new Layer2Lab(config, 1, IronlbProcess.PATIENT_DETECTOR);
    routers = new BgpRouters();
    String node = lab.namespace(1);
    String router = unnumberedLink(node);
    routers.startBird(
        lab.net(),
        router,
        """
        log "%s/bird.log" all;
        router id 10.222.76.2;
        protocol device { scan time 1; }
        protocol kernel k4 { ipv4 { export all; }; }
        protocol kernel k6 { ipv6 { export all; }; }
        protocol radv { interface "swp1" { min ra interval 3; max ra interval 4; default lifetime 0; }; }
        protocol bgp node {
          local as 64500;
          neighbor range fe80::/10 as 64512;
          interface "swp1";
          dynamic name "node_";
          hold time 3; keepalive time 1; connect retry time 1; error wait time 1,5;
          ipv4 { import all; export none; extended next hop on; };
          ipv6 { import all; export none; };
        }
        """
            .formatted(routers.birdDir(router)));
    lab.start(1);
    List<String> ips = ipsOf("web");
    String v4 = ips.stream().filter(a -> !a.contains(":")).findFirst().orElseThrow();
    String v6 = ips.stream().filter(a -> a.contains(":")).findFirst().orElseThrow();
    String nodeLinkLocal = linkLocal(node, "eth2");
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () -> {
              assertThat(lab.bgpPeers(1).get("eth2").path("state").asText())
                  .isEqualTo("ESTABLISHED");
              assertThat(routers.birdc(lab.net(), router, "show", "route", "for", v4))
                  .contains("via " + nodeLinkLocal);
              assertThat(routers.birdc(lab.net(), router, "show", "route", "for", v6))
                  .contains("via " + nodeLinkLocal);
              assertThat(lab.net().in(router, "ip", "-4", "route", "show", v4).output())
                  .contains("via inet6 " + nodeLinkLocal)
                  .contains("dev swp1");
            });
  }

  /** The link-local address of {@code dev} in {@code ns}. */
  private String linkLocal(String ns, String dev) {
    String out =
        lab.net().in(ns, "ip", "-6", "-o", "addr", "show", "dev", dev, "scope", "link").output();
    int at = out.indexOf("inet6 ") + "inet6 ".length();
    return out.substring(at, out.indexOf('/', at));
  }

  /** Every address of Service {@code name} on node 1, once it has both families. */
  private List<String> ipsOf(String name) {
    List<String> ips = new ArrayList<>();
    await()
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> {
              ips.clear();
              String body = lab.http(1, "/v1/services");
              if (body != null) {
                for (JsonNode row : JSON.readTree(body)) {
                  if (row.path("name").asText().equals(name)) {
                    row.path("ips").forEach(ip -> ips.add(ip.asText()));
                  }
                }
              }
              return ips.size() == 2;
            });
    return ips;
  }

  /** Established sessions in FRR's summary. */
  private int sessions(String ns) throws Exception {
    JsonNode summary = JSON.readTree(routers.vtysh(lab.net(), ns, "show bgp summary json"));
    java.util.Set<String> established = new java.util.HashSet<>();
    for (JsonNode family : summary) {
      for (Map.Entry<String, JsonNode> p : family.path("peers").properties()) {
        if (p.getValue().path("state").asText().equals("Established")) {
          established.add(p.getKey());
        }
      }
    }
    return established.size();
  }

  /** The next hops of FRR's paths in {@code ns} for {@code prefix} of {@code family}. */
  private List<String> nextHops(String ns, String family, String prefix) throws Exception {
    List<String> hops = new ArrayList<>();
    routers
        .frrPaths(lab.net(), ns, family, prefix)
        .forEach(p -> hops.add(p.path("nexthops").path(0).path("ip").asText()));
    return hops;
  }
}
