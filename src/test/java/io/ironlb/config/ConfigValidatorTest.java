package io.ironlb.config;

import static io.ironlb.config.Yaml.bfd;
import static io.ironlb.config.Yaml.bgpAdv;
import static io.ironlb.config.Yaml.community;
import static io.ironlb.config.Yaml.docs;
import static io.ironlb.config.Yaml.ebgpPeer;
import static io.ironlb.config.Yaml.l2Adv;
import static io.ironlb.config.Yaml.node;
import static io.ironlb.config.Yaml.peer;
import static io.ironlb.config.Yaml.pool;
import static io.ironlb.config.Yaml.poolWith;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One row per rule, each with a valid and an invalid case; the descriptions follow MetalLB's own
 * config_test.go cases where there is one. An invalid row names the exact line {@code ironlb
 * validate} prints.
 */
class ConfigValidatorTest {

  private static final String P = "IPAddressPool metallb-system/";
  private static final String PEER = "BGPPeer metallb-system/";
  private static final String ADV = "BGPAdvertisement metallb-system/";
  private static final String L2 = "L2Advertisement metallb-system/";
  private static final String BFD = "BFDProfile metallb-system/";
  private static final String ECHO =
      BFD
          + "echo: spec.echoMode: BFD Echo is not implemented by IronLB's native speaker"
          + " (Asynchronous mode only); set echoMode: false";
  private static final String COM = "Community metallb-system/";

  static Stream<Arguments> rules() {
    List<Arguments> rows = new ArrayList<>();
    // --- pools: parsing, overlap, names (MetalLB: "invalid pool CIDR", "overlapping CIDRs") ---
    valid(
        rows,
        "pool with a /24, a range and an IPv6 /124",
        pool("a", "10.222.1.0/24", "10.222.2.10-10.222.2.20", "fd00:222::/124"));
    valid(
        rows, "CIDR with host bits is its network, as Go's ParseCIDR", pool("a", "10.222.1.7/24"));
    invalid(
        rows,
        "invalid pool CIDR [MetalLB config_test.go TestParse]",
        pool("a", "10.222.1.0/33"),
        P
            + "a: spec.addresses[0]: invalid CIDR \"10.222.1.0/33\": not a CIDR; write a CIDR or a range a-b");
    invalid(
        rows,
        "address without prefix length",
        pool("a", "10.222.1.1"),
        P
            + "a: spec.addresses[0]: invalid CIDR \"10.222.1.1\": no prefix length (write 10.222.1.1/32); write a CIDR or a range a-b");
    invalid(
        rows,
        "first address of the range is after the second",
        pool("a", "10.222.1.9-10.222.1.1"),
        P
            + "a: spec.addresses[0]: invalid IP range \"10.222.1.9-10.222.1.1\": start IP \"10.222.1.9\" is after the end IP \"10.222.1.1\"");
    invalid(
        rows,
        "range with a bad start",
        pool("a", "10.222.1-10.222.1.1"),
        P
            + "a: spec.addresses[0]: invalid IP range \"10.222.1-10.222.1.1\": invalid start IP \"10.222.1\"");
    invalid(
        rows,
        "range across families",
        pool("a", "10.222.1.1-fd00:222::1"),
        P
            + "a: spec.addresses[0]: invalid IP range \"10.222.1.1-fd00:222::1\": start and end are of different families");
    invalid(
        rows,
        "address pool with no address [MetalLB config_test.go TestParse]",
        poolWith("a", "", new String[0]),
        P + "a: spec.addresses: required");
    valid(
        rows,
        "adjacent pools do not overlap",
        docs(pool("a", "10.222.1.0/25"), pool("b", "10.222.1.128/25")));
    invalid(
        rows,
        "overlapping CIDRs [MetalLB config_test.go TestParse]",
        docs(pool("a", "10.222.1.0/24"), pool("b", "10.222.1.128/25")),
        P
            + "b: spec.addresses[0]: CIDR \"10.222.1.128/25\" overlaps with \"10.222.1.0/24\" in IPAddressPool metallb-system/a");
    invalid(
        rows,
        "duplicate CIDRs within a pool",
        pool("a", "10.222.1.0/24", "10.222.1.0/24"),
        P
            + "a: spec.addresses[1]: CIDR \"10.222.1.0/24\" overlaps with \"10.222.1.0/24\" in the same pool");
    invalid(
        rows,
        "range overlapping a CIDR",
        docs(pool("a", "10.222.1.0/24"), pool("b", "10.222.0.250-10.222.1.3")),
        P
            + "b: spec.addresses[0]: CIDR \"10.222.0.250-10.222.1.3\" overlaps with \"10.222.1.0/24\" in IPAddressPool metallb-system/a");
    invalid(
        rows,
        "duplicate pool definition [MetalLB config_test.go TestParse]",
        docs(pool("a", "10.222.1.0/24"), pool("a", "10.222.2.0/24")),
        P + "a: metadata.name: duplicate definition of IPAddressPool metallb-system/a");
    valid(
        rows,
        "ip address pool with namespace selection [MetalLB config_test.go TestParse]",
        poolWith("a", "serviceAllocation: {priority: 10, namespaces: [web, db]}", "10.222.1.0/24"));
    invalid(
        rows,
        "ip address pool with duplicate namespace selection [MetalLB config_test.go TestParse]",
        poolWith("a", "serviceAllocation: {namespaces: [web, web]}", "10.222.1.0/24"),
        P + "a: spec.serviceAllocation.namespaces[1]: duplicate definition of \"web\"");
    invalid(
        rows,
        "ip address pool with duplicate service selection [MetalLB config_test.go TestParse]",
        poolWith(
            "a",
            "serviceAllocation: {serviceSelectors: [{matchLabels: {x: y}}, {matchLabels: {x: y}}]}",
            "10.222.1.0/24"),
        P
            + "a: spec.serviceAllocation.serviceSelectors[1]: duplicate definition of serviceSelectors");

    // --- BGPPeer: ASNs, addresses ---
    valid(rows, "peer-only", ebgpPeer("p", ""));
    invalid(
        rows,
        "invalid my-asn [MetalLB config_test.go TestParse]",
        peer("p", "peerASN: 64501\npeerAddress: 10.222.0.1"),
        PEER + "p: spec.myASN: missing local ASN");
    invalid(
        rows,
        "ASN beyond 32 bits",
        peer("p", "myASN: 4294967296\npeerASN: 1\npeerAddress: 10.222.0.1"),
        PEER + "p: spec.myASN: invalid value 4294967296, must be in 0-4294967295 range");
    invalid(
        rows,
        "peer without asn or dynamic asn [MetalLB config_test.go TestParse]",
        peer("p", "myASN: 64500\npeerAddress: 10.222.0.1"),
        PEER + "p: spec.peerASN: missing peer ASN and dynamicASN (exactly one is required)");
    invalid(
        rows,
        "peer with both asn and dynamic asn [MetalLB config_test.go TestParse]",
        peer("p", "myASN: 64500\npeerASN: 64501\ndynamicASN: external\npeerAddress: 10.222.0.1"),
        PEER + "p: spec.dynamicASN: both peerASN and dynamicASN specified");
    valid(
        rows,
        "peer with dynamic asn [MetalLB config_test.go TestParse]",
        peer("p", "myASN: 64500\ndynamicASN: internal\npeerAddress: 10.222.0.1"));
    invalid(
        rows,
        "peer with invalid dynamic asn",
        peer("p", "myASN: 64500\ndynamicASN: both\npeerAddress: 10.222.0.1"),
        PEER + "p: spec.dynamicASN: \"both\" is not one of internal, external");
    invalid(
        rows,
        "invalid peer-address [MetalLB config_test.go TestParse]",
        peer("p", "myASN: 64500\npeerASN: 64501\npeerAddress: 10.222.0.256"),
        PEER + "p: spec.peerAddress: \"10.222.0.256\" is not an IP address");
    valid(
        rows,
        "unnumbered peer without address with interface ok [MetalLB config_test.go TestParse]",
        peer("p", "myASN: 64500\npeerASN: 64501\ninterface: eth1"));
    invalid(
        rows,
        "unnumbered peer without address without interface nok [MetalLB config_test.go TestParse]",
        peer("p", "myASN: 64500\npeerASN: 64501"),
        PEER + "p: spec.peerAddress: peer has no peerAddress or interface specified");
    invalid(
        rows,
        "unnumbered peer with address with interface nok [MetalLB config_test.go TestParse]",
        peer("p", "myASN: 64500\npeerASN: 64501\npeerAddress: 10.222.0.1\ninterface: eth1"),
        PEER + "p: spec.interface: peer has both peerAddress and interface specified");
    invalid(
        rows,
        "an unnumbered peer on another port",
        peer("p", "myASN: 64500\npeerASN: 64501\ninterface: eth1\npeerPort: 1790"),
        PEER + "p: spec.peerPort: an unnumbered peer (interface) is reached on port 179, not 1790");
    valid(rows, "dualStackAddressFamily", ebgpPeer("p", "dualStackAddressFamily: true"));
    valid(rows, "disableMP: one family per session, the default", ebgpPeer("p", "disableMP: true"));
    invalid(
        rows,
        "disableMP with dualStackAddressFamily",
        ebgpPeer("p", "disableMP: true\ndualStackAddressFamily: true"),
        PEER
            + "p: spec.disableMP: disableMP (each family on its own session) contradicts"
            + " dualStackAddressFamily (both families on this session); disableMP is deprecated,"
            + " drop it");
    invalid(
        rows,
        "invalid RouterID [MetalLB config_test.go TestParse]",
        ebgpPeer("p", "routerID: fd00:222::1"),
        PEER
            + "p: spec.routerID: invalid router ID \"fd00:222::1\": a BGP identifier is a non-zero IPv4 address");
    valid(
        rows,
        "router ID and source address",
        ebgpPeer("p", "routerID: 10.222.0.9\nsourceAddress: 10.222.0.2"));
    invalid(
        rows,
        "source address of the other family",
        ebgpPeer("p", "sourceAddress: fd00:222::2"),
        PEER
            + "p: spec.sourceAddress: fd00:222::2 and peerAddress 10.222.0.1 are of different families");
    invalid(
        rows,
        "peer port out of the CRD's bounds",
        ebgpPeer("p", "peerPort: 20000"),
        PEER + "p: spec.peerPort: invalid value 20000, must be in 1-16384 range");

    // --- BGPPeer: timers (MetalLB parseTimers) ---
    valid(
        rows,
        "peer with zero hold/keepalive timers [MetalLB config_test.go TestParse]",
        ebgpPeer("p", "holdTime: 0s\nkeepaliveTime: 0s"));
    valid(rows, "peer with holdtime only", ebgpPeer("p", "holdTime: 3s"));
    valid(rows, "peer with keepalive only", ebgpPeer("p", "keepaliveTime: 30s"));
    invalid(
        rows,
        "invalid hold time (too short) [MetalLB config_test.go TestParse]",
        ebgpPeer("p", "holdTime: 2s"),
        PEER + "p: spec.holdTime: invalid hold time \"2s\": must be 0 or >=3s");
    invalid(
        rows,
        "keepalive only, giving a hold time under 3 s",
        ebgpPeer("p", "keepaliveTime: 500ms"),
        PEER
            + "p: spec.keepaliveTime: keepaliveTime \"500ms\" gives a hold time of 1500ms: the hold time must be 0 or >=3s");
    invalid(
        rows,
        "invalid keepalivetime larger than holdtime [MetalLB config_test.go TestParse]",
        peer(
            "core",
            "myASN: 64500\npeerASN: 64501\npeerAddress: 10.222.0.1\nholdTime: 90s\nkeepaliveTime: 120s"),
        "BGPPeer metallb-system/core: spec.keepaliveTime: 120s is longer than spec.holdTime 90s");
    invalid(
        rows,
        "hold time beyond the OPEN's 16 bits",
        ebgpPeer("p", "holdTime: 20h"),
        PEER
            + "p: spec.holdTime: hold time of 72000s exceeds 65535s, the most a BGP OPEN can carry");
    valid(rows, "connect time in whole seconds", ebgpPeer("p", "connectTime: 5s"));
    invalid(
        rows,
        "connect time with a fraction",
        ebgpPeer("p", "connectTime: 1500ms"),
        PEER + "p: spec.connectTime: connect time should contain a whole number of seconds");

    // --- BGPPeer: multihop, password, BFD reference, duplicates ---
    valid(rows, "ebgp multihop on an eBGP peer", ebgpPeer("p", "ebgpMultiHop: true"));
    invalid(
        rows,
        "invalid ebgp-multihop [MetalLB config_test.go TestParse]",
        peer("p", "myASN: 64500\npeerASN: 64500\npeerAddress: 10.222.0.1\nebgpMultiHop: true"),
        PEER
            + "p: spec.ebgpMultiHop: invalid ebgp-multihop parameter set for an ibgp peer (peerASN equals myASN)");
    invalid(
        rows,
        "BGP Peer with both password and secret ref set [MetalLB config_test.go TestParse]",
        ebgpPeer("p", "password: s3cret\npasswordSecret: {name: bgp-secret}"),
        PEER
            + "p: spec.password: can not have both password and passwordSecret set (they are mutually exclusive)");
    valid(
        rows,
        "BGP Peer with a valid secret [MetalLB config_test.go TestParse]",
        docs(
            ebgpPeer("p", "passwordSecret: {name: s}"),
            secret("s", "kubernetes.io/basic-auth", true)));
    invalid(
        rows,
        "BGP Peer with invalid secret type [MetalLB config_test.go TestParse]",
        docs(ebgpPeer("p", "passwordSecret: {name: s}"), secret("s", "Opaque", true)),
        PEER
            + "p: spec.passwordSecret: secret type mismatch on \"s\", type \"kubernetes.io/basic-auth\" is expected");
    invalid(
        rows,
        "BGP Peer without password set in the secret [MetalLB config_test.go TestParse]",
        docs(
            ebgpPeer("p", "passwordSecret: {name: s}"),
            secret("s", "kubernetes.io/basic-auth", false)),
        PEER + "p: spec.passwordSecret: password not specified in the secret \"s\"");
    invalid(
        rows,
        "Peer with non existing BFD Profile [MetalLB config_test.go TestParse]",
        ebgpPeer("p", "bfdProfile: missing"),
        PEER + "p: spec.bfdProfile: BFDProfile \"missing\" does not exist");
    valid(
        rows,
        "Session with nondefault BFD Profile [MetalLB config_test.go TestParse]",
        docs(
            ebgpPeer("p", "bfdProfile: fast"),
            bfd("fast", "receiveInterval: 50\ntransmitInterval: 50")));
    // MetalLB validation_test.go TestCheckFRRPeersCompatible (issue 13, finding 4).
    invalid(
        rows,
        "duplicate peers [MetalLB config_test.go TestParse]",
        docs(ebgpPeer("p", ""), ebgpPeer("q", "")),
        PEER
            + "q: spec.peerAddress: peer 10.222.0.1 already exists as BGPPeer metallb-system/p (same router and vrf; no Node is known to tell their nodes apart)");
    invalid(
        rows,
        "same router, disjoint selectors, but no Node known: assumed to share a node",
        docs(
            ebgpPeer("p", "nodeSelectors: [{matchLabels: {rack: a}}]"),
            ebgpPeer("q", "nodeSelectors: [{matchLabels: {rack: b}}]")),
        PEER
            + "q: spec.peerAddress: peer 10.222.0.1 already exists as BGPPeer metallb-system/p (same router and vrf; no Node is known to tell their nodes apart)");
    valid(
        rows,
        "same router from disjoint node sets",
        docs(
            node("n1", "rack: a"),
            node("n2", "rack: b"),
            ebgpPeer("p", "nodeSelectors: [{matchLabels: {rack: a}}]"),
            ebgpPeer("q", "nodeSelectors: [{matchLabels: {rack: b}}]")));
    invalid(
        rows,
        "same router, different selectors, one node matching both",
        docs(
            node("n1", "{rack: a, zone: z}"),
            ebgpPeer("p", "nodeSelectors: [{matchLabels: {rack: a}}]"),
            ebgpPeer("q", "nodeSelectors: [{matchLabels: {zone: z}}]")),
        PEER
            + "q: spec.peerAddress: peer 10.222.0.1 already exists as BGPPeer metallb-system/p (same router and vrf, and a node selected by both)");
    invalid(
        rows,
        "a peer without selectors matches every node",
        docs(
            node("n1", "rack: a"),
            ebgpPeer("p", ""),
            ebgpPeer("q", "nodeSelectors: [{matchLabels: {rack: a}}]")),
        PEER
            + "q: spec.peerAddress: peer 10.222.0.1 already exists as BGPPeer metallb-system/p (same router and vrf, and a node selected by both)");
    invalid(
        rows,
        "another port is still the same router",
        docs(ebgpPeer("p", ""), ebgpPeer("q", "peerPort: 1790")),
        PEER
            + "q: spec.peerAddress: peer 10.222.0.1 already exists as BGPPeer metallb-system/p (same router and vrf; no Node is known to tell their nodes apart)");
    valid(
        rows,
        "the same address in another vrf",
        docs(ebgpPeer("p", ""), ebgpPeer("q", "vrf: red")));
    invalid(
        rows,
        "a vrf that cannot name a Linux device (the session binds to it)",
        ebgpPeer("p", "vrf: a-vrf-name-too-long"),
        PEER + "p: spec.vrf: \"a-vrf-name-too-long\" is not a valid VRF device name");

    // --- selectors (metav1.LabelSelectorAsSelector) ---
    valid(rows, "empty node selector (select everything)", ebgpPeer("p", "nodeSelectors: [{}]"));
    invalid(
        rows,
        "invalid expression node selector (missing key) [MetalLB config_test.go TestParse]",
        ebgpPeer("p", "nodeSelectors: [{matchExpressions: [{key: '', operator: Exists}]}]"),
        PEER + "p: spec.nodeSelectors[0].matchExpressions[0].key: required");
    invalid(
        rows,
        "invalid expression node selector (invalid operator) [MetalLB config_test.go TestParse]",
        ebgpPeer(
            "p", "nodeSelectors: [{matchExpressions: [{key: k, operator: Like, values: [a]}]}]"),
        PEER
            + "p: spec.nodeSelectors[0].matchExpressions[0].operator: \"Like\" is not one of In, NotIn, Exists, DoesNotExist");
    invalid(
        rows,
        "In without values",
        ebgpPeer("p", "nodeSelectors: [{matchExpressions: [{key: k, operator: In}]}]"),
        PEER + "p: spec.nodeSelectors[0].matchExpressions[0]: operator In needs values");
    invalid(
        rows,
        "duplicate values node selector match expression [MetalLB config_test.go TestParse]",
        ebgpPeer(
            "p", "nodeSelectors: [{matchExpressions: [{key: k, operator: In, values: [a, a]}]}]"),
        PEER
            + "p: spec.nodeSelectors[0].matchExpressions[0].values: duplicate definition of match expression value");
    invalid(
        rows,
        "use duplicate match labels in node selectors [MetalLB config_test.go TestParse]",
        ebgpPeer("p", "nodeSelectors: [{matchLabels: {a: b}}, {matchLabels: {a: b}}]"),
        PEER + "p: spec.nodeSelectors[1]: duplicate definition of nodeSelectors");

    // --- BGPAdvertisement: aggregation ---
    valid(
        rows,
        "aggregation to the pool's /24",
        docs(pool("a", "10.222.1.0/24"), bgpAdv("x", "aggregationLength: 24")));
    invalid(
        rows,
        "bad aggregation length (too long) [MetalLB config_test.go TestParse]",
        docs(pool("a", "10.222.1.0/24"), bgpAdv("x", "aggregationLength: 33")),
        ADV + "x: spec.aggregationLength: invalid value 33, must be in 1-32 range");
    invalid(
        rows,
        "aggregation length zero",
        docs(pool("a", "10.222.1.0/24"), bgpAdv("x", "aggregationLength: 0")),
        ADV + "x: spec.aggregationLength: invalid value 0, must be in 1-32 range");
    invalid(
        rows,
        "bad aggregation length (incompatible with CIDR) [MetalLB config_test.go TestParse]",
        docs(pool("a", "10.222.1.0/24"), bgpAdv("x", "aggregationLength: 16")),
        ADV
            + "x: spec.aggregationLength: invalid aggregation length 16: prefix 24 of \"10.222.1.0/24\" in IPAddressPool metallb-system/a is more specific than the aggregation length");
    valid(
        rows,
        "aggregation length by range [MetalLB config_test.go TestParse]",
        docs(pool("a", "10.222.1.0-10.222.1.255"), bgpAdv("x", "aggregationLength: 24")));
    invalid(
        rows,
        "aggregation length by range, too wide [MetalLB config_test.go TestParse]",
        docs(pool("a", "10.222.1.10-10.222.1.20"), bgpAdv("x", "aggregationLength: 26")),
        ADV
            + "x: spec.aggregationLength: invalid aggregation length 26: prefix 30 of \"10.222.1.10-10.222.1.20\" in IPAddressPool metallb-system/a is more specific than the aggregation length");
    valid(
        rows,
        "IPv6 aggregation to the pool's /120",
        docs(pool("a", "fd00:222::/120"), bgpAdv("x", "aggregationLengthV6: 120")));
    invalid(
        rows,
        "IPv6 aggregation over 128",
        docs(pool("a", "fd00:222::/120"), bgpAdv("x", "aggregationLengthV6: 129")),
        ADV + "x: spec.aggregationLengthV6: invalid value 129, must be in 1-128 range");
    invalid(
        rows,
        "IPv6 aggregation wider than the pool",
        docs(pool("a", "fd00:222::/120"), bgpAdv("x", "aggregationLengthV6: 64")),
        ADV
            + "x: spec.aggregationLengthV6: invalid aggregation length 64: prefix 120 of \"fd00:222::/120\" in IPAddressPool metallb-system/a is more specific than the aggregation length");
    valid(
        rows,
        "aggregation checked only on the pools the advertisement selects",
        docs(
            pool("a", "10.222.1.0/24"),
            pool("b", "10.222.2.10-10.222.2.12"),
            bgpAdv("x", "aggregationLength: 24\nipAddressPools: [a]")));
    invalid(
        rows,
        "serviceSelectors with non-default aggregationLength is mutually exclusive",
        docs(
            pool("a", "10.222.1.0/24"),
            bgpAdv("x", "aggregationLength: 24\nserviceSelectors: [{matchLabels: {a: b}}]")),
        ADV
            + "x: spec.serviceSelectors: serviceSelectors and aggregationLength are mutually exclusive, both cannot be set");
    valid(
        rows,
        "serviceSelectors with default aggregationLength is allowed",
        docs(
            pool("a", "10.222.1.0/24"),
            bgpAdv("x", "aggregationLength: 32\nserviceSelectors: [{matchLabels: {a: b}}]")));

    // --- BGPAdvertisement: local preference (MetalLB "different local pref - ...") ---
    invalid(
        rows,
        "different local pref - same peers and nodes [MetalLB config_test.go TestParse]",
        docs(
            pool("a", "10.222.1.0/24"),
            bgpAdv("x", "localPref: 100"),
            bgpAdv("y", "localPref: 200")),
        ADV
            + "y: spec.localPref: invalid local preference 200: local preference 100 was already set by BGPAdvertisement metallb-system/x for IPAddressPool metallb-system/a with the same peers, nodes and aggregation length");
    valid(
        rows,
        "same local pref twice",
        docs(
            pool("a", "10.222.1.0/24"),
            bgpAdv("x", "localPref: 100"),
            bgpAdv("y", "localPref: 100\ncommunities: ['1:1']")));
    valid(
        rows,
        "different local pref - different ipv4 aggregation length [MetalLB config_test.go TestParse]",
        docs(
            pool("a", "10.222.1.0/24"),
            bgpAdv("x", "localPref: 100"),
            bgpAdv("y", "localPref: 200\naggregationLength: 24")));
    invalid(
        rows,
        "different local pref - only v4 aggregation differs on a dual-stack pool",
        docs(
            pool("a", "10.222.1.0/24", "fd00:222::/120"),
            bgpAdv("x", "localPref: 100"),
            bgpAdv("y", "localPref: 200\naggregationLength: 24")),
        ADV
            + "y: spec.localPref: invalid local preference 200: local preference 100 was already set by BGPAdvertisement metallb-system/x for IPAddressPool metallb-system/a with the same peers, nodes and aggregation length");
    valid(
        rows,
        "different local pref - different aggregation lengths [MetalLB config_test.go TestParse]",
        docs(
            pool("a", "10.222.1.0/24", "fd00:222::/120"),
            bgpAdv("x", "localPref: 100"),
            bgpAdv("y", "localPref: 200\naggregationLength: 24\naggregationLengthV6: 120")));
    valid(
        rows,
        "different local pref - different peers & same nodes [MetalLB config_test.go TestParse]",
        docs(
            pool("a", "10.222.1.0/24"),
            ebgpPeer("p1", ""),
            peer("p2", "myASN: 64500\npeerASN: 64502\npeerAddress: 10.222.0.2"),
            bgpAdv("x", "localPref: 100\npeers: [p1]"),
            bgpAdv("y", "localPref: 200\npeers: [p2]")));
    valid(
        rows,
        "different local pref - same peers & different nodes [MetalLB config_test.go TestParse]",
        docs(
            pool("a", "10.222.1.0/24"),
            node("n1", "rack: a"),
            node("n2", "rack: b"),
            bgpAdv("x", "localPref: 100\nnodeSelectors: [{matchLabels: {rack: a}}]"),
            bgpAdv("y", "localPref: 200\nnodeSelectors: [{matchLabels: {rack: b}}]")));
    invalid(
        rows,
        "different local pref - selectors that pick the same node",
        docs(
            pool("a", "10.222.1.0/24"),
            node("n1", "rack: a, row: '1'"),
            bgpAdv("x", "localPref: 100\nnodeSelectors: [{matchLabels: {rack: a}}]"),
            bgpAdv("y", "localPref: 200\nnodeSelectors: [{matchLabels: {row: '1'}}]")),
        ADV
            + "y: spec.localPref: invalid local preference 200: local preference 100 was already set by BGPAdvertisement metallb-system/x for IPAddressPool metallb-system/a with the same peers, nodes and aggregation length");

    // --- communities ---
    valid(
        rows,
        "standard and large community literals",
        docs(
            pool("a", "10.222.1.0/24"),
            bgpAdv("x", "communities: ['65000:100', 'large:4294967295:1:2']")));
    invalid(
        rows,
        "bad community literal (asn part doesn't fit) - in BGP adv [MetalLB config_test.go TestParse]",
        docs(pool("a", "10.222.1.0/24"), bgpAdv("x", "communities: ['65536:100']")),
        ADV
            + "x: spec.communities[0]: invalid section \"65536\" of community \"65536:100\": not a 16-bit number");
    invalid(
        rows,
        "bad community literal (community# part doesn't fit) - in BGP adv [MetalLB config_test.go TestParse]",
        docs(pool("a", "10.222.1.0/24"), bgpAdv("x", "communities: ['1:70000']")),
        ADV
            + "x: spec.communities[0]: invalid section \"70000\" of community \"1:70000\": not a 16-bit number");
    invalid(
        rows,
        "large community part beyond 32 bits",
        docs(pool("a", "10.222.1.0/24"), bgpAdv("x", "communities: ['large:1:2:4294967296']")),
        ADV
            + "x: spec.communities[0]: invalid section \"4294967296\" of community \"large:1:2:4294967296\": not a 32-bit number");
    invalid(
        rows,
        "large community with a wrong marker",
        docs(pool("a", "10.222.1.0/24"), bgpAdv("x", "communities: ['big:1:2:3']")),
        ADV
            + "x: spec.communities[0]: invalid marker \"big\" for large community \"big:1:2:3\" (use large:a:b:c)");
    valid(
        rows,
        "community alias that exists",
        docs(
            pool("a", "10.222.1.0/24"),
            community("c", "no-advertise=65535:65282"),
            bgpAdv("x", "communities: [no-advertise]")));
    invalid(
        rows,
        "bad community ref (unknown ref) - in BGP adv [MetalLB config_test.go TestParse]",
        docs(pool("a", "10.222.1.0/24"), bgpAdv("x", "communities: [no-export]")),
        ADV
            + "x: spec.communities[0]: \"no-export\" is neither a community (65000:100, large:65000:1:2) nor a Community alias");
    invalid(
        rows,
        "duplicate community literal - in BGP adv [MetalLB config_test.go TestParse]",
        docs(pool("a", "10.222.1.0/24"), bgpAdv("x", "communities: ['1:1', '1:1']")),
        ADV + "x: spec.communities[1]: duplicate definition of \"1:1\"");
    invalid(
        rows,
        "bad community literal (wrong format) - in the community CR [MetalLB config_test.go TestParse]",
        community("c", "x=1:2:3"),
        COM
            + "c: spec.communities[0].value: invalid community format \"1:2:3\" (use 65000:100 or large:65000:1:2)");
    invalid(
        rows,
        "bad community literal (asn part doesn't fit) - in the community CR [MetalLB config_test.go TestParse]",
        community("c", "x=99999:1"),
        COM
            + "c: spec.communities[0].value: invalid section \"99999\" of community \"99999:1\": not a 16-bit number");
    invalid(
        rows,
        "duplicate communities definition (in 2 different crs) [MetalLB config_test.go TestParse]",
        docs(community("c", "x=1:1"), community("d", "x=1:2")),
        COM + "d: spec.communities[0].name: duplicate definition of community \"x\"");
    invalid(
        rows,
        "duplicate communities definition (in the same cr) [MetalLB config_test.go TestParse]",
        community("c", "x=1:1", "x=1:2"),
        COM + "c: spec.communities[1].name: duplicate definition of community \"x\"");

    // --- duplicates in advertisements ---
    invalid(
        rows,
        "duplicate ip address pools - in L2 adv [MetalLB config_test.go TestParse]",
        docs(pool("a", "10.222.1.0/24"), l2Adv("l", "ipAddressPools: [a, a]")),
        L2 + "l: spec.ipAddressPools[1]: duplicate definition of \"a\"");
    invalid(
        rows,
        "duplicate ip address pools - in BGP adv [MetalLB config_test.go TestParse]",
        docs(pool("a", "10.222.1.0/24"), bgpAdv("x", "ipAddressPools: [a, a]")),
        ADV + "x: spec.ipAddressPools[1]: duplicate definition of \"a\"");
    invalid(
        rows,
        "duplicate peers - in BGP adv [MetalLB config_test.go TestParse]",
        docs(ebgpPeer("p", ""), bgpAdv("x", "peers: [p, p]")),
        ADV + "x: spec.peers[1]: duplicate definition of \"p\"");
    invalid(
        rows,
        "use duplicate ip pool selectors - in L2 adv [MetalLB config_test.go TestParse]",
        l2Adv("l", "ipAddressPoolSelectors: [{matchLabels: {t: a}}, {matchLabels: {t: a}}]"),
        L2 + "l: spec.ipAddressPoolSelectors[1]: duplicate definition of ipAddressPoolSelectors");
    valid(rows, "specify interfaces", l2Adv("l", "interfaces: [eth0, bond0.100]"));
    invalid(
        rows,
        "interface name longer than IFNAMSIZ",
        l2Adv("l", "interfaces: [averyveryverylongname]"),
        L2
            + "l: spec.interfaces[0]: \"averyveryverylongname\" is not a valid interface name (1-15 characters, no '/', ':' or spaces)");
    invalid(
        rows,
        "preferred node weight out of range",
        l2Adv("l", "preferredNodeSelectors: [{weight: 0, preference: {matchLabels: {a: b}}}]"),
        L2 + "l: spec.preferredNodeSelectors[0].weight: invalid value 0, must be in 1-100 range");

    // --- BFD profiles (MetalLB bfdIntFromConfig ranges) ---
    valid(
        rows,
        "BFD Profile at the bounds",
        bfd(
            "b",
            "receiveInterval: 10\ntransmitInterval: 60000\ndetectMultiplier: 255\nechoInterval: 10\nminimumTtl: 254"));
    invalid(
        rows,
        "BFD Profile with too low receive interval [MetalLB config_test.go TestParse]",
        bfd("b", "receiveInterval: 9"),
        BFD + "b: spec.receiveInterval: invalid value 9, must be in 10-60000 range");
    invalid(
        rows,
        "BFD Profile with too high receive interval [MetalLB config_test.go TestParse]",
        bfd("b", "receiveInterval: 60001"),
        BFD + "b: spec.receiveInterval: invalid value 60001, must be in 10-60000 range");
    invalid(
        rows,
        "BFD transmit interval too low",
        bfd("b", "transmitInterval: 1"),
        BFD + "b: spec.transmitInterval: invalid value 1, must be in 10-60000 range");
    invalid(
        rows,
        "BFD detect multiplier 1",
        bfd("b", "detectMultiplier: 1"),
        BFD + "b: spec.detectMultiplier: invalid value 1, must be in 2-255 range");
    invalid(
        rows,
        "BFD minimum TTL 255",
        bfd("b", "minimumTtl: 255"),
        BFD + "b: spec.minimumTtl: invalid value 255, must be in 1-254 range");
    invalid(
        rows,
        "Multiple BFD Profiles with the same name [MetalLB config_test.go TestParse]",
        docs(bfd("b", ""), bfd("b", "")),
        BFD + "b: metadata.name: duplicate definition of BFDProfile metallb-system/b");
    // MetalLB's FRR mode accepts Echo on IPv4; IronLB's native BFD has no Echo, and says so.
    invalid(
        rows,
        "Session with ipv4 and bfd echo mode [MetalLB config_test.go TestParse]",
        docs(
            pool("a", "10.222.1.0/24"),
            ebgpPeer("p", "bfdProfile: echo"),
            bfd("echo", "echoMode: true"),
            bgpAdv("x", "")),
        ECHO);
    invalid(
        rows,
        "Session with ipv6 and bfd echo mode [MetalLB config_test.go TestParse]",
        docs(
            pool("a", "fd00:222::/120"),
            ebgpPeer("p", "bfdProfile: echo"),
            bfd("echo", "echoMode: true"),
            bgpAdv("x", "")),
        ECHO
            + "\n"
            + PEER
            + "p: spec.bfdProfile: BFDProfile metallb-system/echo has echoMode enabled, which is not possible for IPv6 IPAddressPool metallb-system/a advertised by BGPAdvertisement metallb-system/x");
    // The rest of MetalLB's TestParse error cases (addresses moved into 10.222.0.0/16).
    invalid(
        rows,
        "ip address pool with duplicate namespace selectors [MetalLB config_test.go TestParse]",
        """
        apiVersion: metallb.io/v1beta1
        kind: IPAddressPool
        metadata: {name: pool1, namespace: metallb-system}
        spec: {addresses: [10.222.0.0/16, 10.223.0.0/24], avoidBuggyIPs: true, autoAssign: false, serviceAllocation: {priority: 1, namespaceSelectors: [{matchLabels: {foo: bar}}, {matchLabels: {foo: bar}}]}}""",
        "IPAddressPool metallb-system/pool1: spec.serviceAllocation.namespaceSelectors[1]: duplicate definition of namespaceSelectors");
    invalid(
        rows,
        "invalid peer-asn [MetalLB config_test.go TestParse]",
        """
        apiVersion: metallb.io/v1beta2
        kind: BGPPeer
        metadata: {name: p, namespace: metallb-system}
        spec: {myASN: 42, peerAddress: 10.222.0.4}""",
        "BGPPeer metallb-system/p: spec.peerASN: missing peer ASN and dynamicASN (exactly one is required)");
    invalid(
        rows,
        "invalid expression node selector (missing operator) [MetalLB config_test.go TestParse]",
        """
        apiVersion: metallb.io/v1beta2
        kind: BGPPeer
        metadata: {name: p, namespace: metallb-system}
        spec: {myASN: 42, peerASN: 42, peerAddress: 10.222.0.4, nodeSelectors: [{matchLabels: {foo: bar}, matchExpressions: [{key: bar, values: [quux]}]}]}""",
        "BGPPeer metallb-system/p: spec.nodeSelectors[0].matchExpressions[0].operator: required");
    invalid(
        rows,
        "invalid pool CIDR prefix length [MetalLB config_test.go TestParse]",
        """
        apiVersion: metallb.io/v1beta1
        kind: IPAddressPool
        metadata: {name: pool1, namespace: metallb-system}
        spec: {addresses: [10.222.3.0/33]}""",
        "IPAddressPool metallb-system/pool1: spec.addresses[0]: invalid CIDR \"10.222.3.0/33\": not a CIDR; write a CIDR or a range a-b");
    invalid(
        rows,
        "invalid pool CIDR, first address of the range is after the second [MetalLB config_test.go TestParse]",
        """
        apiVersion: metallb.io/v1beta1
        kind: IPAddressPool
        metadata: {name: pool1, namespace: metallb-system}
        spec: {addresses: [10.222.3.10-10.222.3.1]}""",
        "IPAddressPool metallb-system/pool1: spec.addresses[0]: invalid IP range \"10.222.3.10-10.222.3.1\": start IP \"10.222.3.10\" is after the end IP \"10.222.3.1\"");
    invalid(
        rows,
        "bad community literal (wrong format) - in BGP adv [MetalLB config_test.go TestParse]",
        """
        apiVersion: metallb.io/v1beta1
        kind: IPAddressPool
        metadata: {name: testPool, namespace: metallb-system}
        spec: {addresses: [10.222.0.0/16]}
        ---
        apiVersion: metallb.io/v1beta1
        kind: BGPAdvertisement
        metadata: {name: testAdv, namespace: metallb-system}
        spec: {communities: ["1234"], ipAddressPools: [testPool]}""",
        "BGPAdvertisement metallb-system/testAdv: spec.communities[0]: \"1234\" is neither a community (65000:100, large:65000:1:2) nor a Community alias");
    invalid(
        rows,
        "bad community literal (community# part doesn't fit) - in the community CR [MetalLB config_test.go TestParse]",
        """
        apiVersion: metallb.io/v1beta1
        kind: Community
        metadata: {name: community, namespace: metallb-system}
        spec: {communities: [{name: bar, value: "1:99999999"}]}""",
        "Community metallb-system/community: spec.communities[0].value: invalid section \"99999999\" of community \"1:99999999\": not a 16-bit number");
    invalid(
        rows,
        "duplicate CIDRs [MetalLB config_test.go TestParse]",
        """
        apiVersion: metallb.io/v1beta1
        kind: IPAddressPool
        metadata: {name: pool1, namespace: metallb-system}
        spec: {addresses: [10.222.0.0/16]}
        ---
        apiVersion: metallb.io/v1beta1
        kind: IPAddressPool
        metadata: {name: pool2, namespace: metallb-system}
        spec: {addresses: [10.222.0.0/16]}""",
        "IPAddressPool metallb-system/pool2: spec.addresses[0]: CIDR \"10.222.0.0/16\" overlaps with \"10.222.0.0/16\" in IPAddressPool metallb-system/pool1");
    invalid(
        rows,
        "use duplicate match labels in ip pool selectors - in BGP adv [MetalLB config_test.go TestParse]",
        """
        apiVersion: metallb.io/v1beta1
        kind: IPAddressPool
        metadata: {name: pool1, namespace: metallb-system, labels: {test: pool1}}
        spec: {addresses: [10.222.0.0/16]}
        ---
        apiVersion: metallb.io/v1beta1
        kind: BGPAdvertisement
        metadata: {name: adv1, namespace: metallb-system}
        spec: {aggregationLength: 32, localPref: 100, ipAddressPoolSelectors: [{matchLabels: {test: pool1}}, {matchLabels: {test: pool1}}]}""",
        "BGPAdvertisement metallb-system/adv1: spec.ipAddressPoolSelectors[1]: duplicate definition of ipAddressPoolSelectors");
    invalid(
        rows,
        "use duplicate match expression in ip pool selector - in BGP adv [MetalLB config_test.go TestParse]",
        """
        apiVersion: metallb.io/v1beta1
        kind: IPAddressPool
        metadata: {name: pool1, namespace: metallb-system, labels: {test: pool1}}
        spec: {addresses: [10.222.0.0/16]}
        ---
        apiVersion: metallb.io/v1beta1
        kind: BGPAdvertisement
        metadata: {name: adv1, namespace: metallb-system}
        spec: {aggregationLength: 32, localPref: 100, ipAddressPoolSelectors: [{matchExpressions: [{key: test, operator: In, values: [pool1, pool1]}]}]}""",
        "BGPAdvertisement metallb-system/adv1: spec.ipAddressPoolSelectors[0].matchExpressions[0].values: duplicate definition of match expression value");
    invalid(
        rows,
        "use duplicate match expression values in node selector [MetalLB config_test.go TestParse]",
        """
        apiVersion: metallb.io/v1beta1
        kind: IPAddressPool
        metadata: {name: pool1, namespace: metallb-system}
        spec: {addresses: [10.222.0.0/16]}
        ---
        apiVersion: metallb.io/v1beta1
        kind: BGPAdvertisement
        metadata: {name: adv1, namespace: metallb-system}
        spec: {ipAddressPools: [pool1], nodeSelectors: [{matchExpressions: [{key: kubernetes.io/hostname, operator: In, values: [first, second]}, {key: kubernetes.io/hostname, operator: In, values: [second, first]}]}]}""",
        "BGPAdvertisement metallb-system/adv1: spec.nodeSelectors[0].matchExpressions[1]: duplicate definition of match expressions");
    return rows.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rules")
  void rule(String description, String yaml, String expected) {
    ManifestReader.Result read = ManifestReader.readString(yaml, "test.yaml");
    assertThat(read.problems()).as("the manifest itself decodes").isEmpty();
    List<String> errors =
        ConfigValidator.validate(read.resources()).stream()
            .filter(Problem::isError)
            .map(Problem::toString)
            .toList();
    if (expected == null) {
      assertThat(errors).isEmpty();
    } else {
      assertThat(errors).containsExactly(expected.split("\n"));
    }
  }

  /** MetalLB TestParse error cases about an object's shape (read, then validated). */
  @ParameterizedTest(name = "{0} [MetalLB config_test.go TestParse]")
  @org.junit.jupiter.params.provider.CsvSource(
      delimiter = '|',
      textBlock =
          """
          no pool name                 | metadata: {namespace: metallb-system}               | IPAddressPool at test.yaml:1: metadata.name: required
          address pool with no protocol | metadata: {name: pool1, namespace: metallb-system} | IPAddressPool metallb-system/pool1: spec: required
          """)
  void refusedForItsShape(String description, String metadata, String expected) {
    String yaml =
        "apiVersion: metallb.io/v1beta1\nkind: IPAddressPool\n"
            + metadata
            + (description.startsWith("no pool name")
                ? "\nspec: {addresses: [10.222.0.0/24]}"
                : "");
    ManifestReader.Result read = ManifestReader.readString(yaml, "test.yaml");
    List<Problem> problems = new java.util.ArrayList<>(read.problems());
    problems.addAll(ConfigValidator.validate(read.resources()));
    assertThat(problems).extracting(Problem::toString).containsExactly(expected);
  }

  private static void valid(List<Arguments> rows, String description, String yaml) {
    rows.add(Arguments.of(description, yaml, null));
  }

  private static void invalid(List<Arguments> rows, String description, String yaml, String line) {
    rows.add(Arguments.of(description, yaml, line));
  }

  private static String node(String name, String labels) {
    return """
        apiVersion: v1
        kind: Node
        metadata: {name: %s, labels: %s}"""
        .formatted(name, labels.startsWith("{") ? labels : "{" + labels + "}");
  }

  private static String secret(String name, String type, boolean withPassword) {
    return """
        apiVersion: v1
        kind: Secret
        metadata: {name: %s, namespace: metallb-system}
        type: %s
        stringData: {%s}"""
        .formatted(name, type, withPassword ? "password: hunter2" : "username: admin");
  }
}
