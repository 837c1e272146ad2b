package io.quarkube.agent.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;

class ProxyRuleGeneratorTest {

    private static final ProxyChains CHAINS = new ProxyChains("QUARKUBE", "QK");
    private static final ProxyRuleGenerator GENERATOR = new ProxyRuleGenerator(CHAINS,
            new ProxyRuleGenerator.Settings(14, Optional.of("10.88.0.0/16"), Optional.empty()));
    private static final String NODE = "node-1";
    private static final String SVC = CHAINS.serviceChain("ns/web:http", "tcp");
    private static final String SVL = CHAINS.serviceLocalChain("ns/web:http", "tcp");
    private static final String EXT = CHAINS.externalChain("ns/web:http", "tcp");

    private static String sep(String address) {
        return CHAINS.endpointChain("ns/web:http", "tcp", address);
    }

    /** One case: services and slices in, the chains expected (nat unless the key says filter:). */
    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.argumentSet("cluster IP spread over two ready endpoints, a not-ready one left out",
                        List.of(web("ClusterIP", null, null)),
                        List.of(slice(ep("10.88.0.2", NODE, true), ep("10.88.0.3", "node-2", true), ep("10.88.0.4", NODE, false))),
                        Map.of(
                                "QUARKUBE-SERVICES", List.of(
                                        "-d 10.96.0.20/32 -p tcp -m comment --comment \"ns/web:http cluster IP\" -m tcp --dport 80 -j " + SVC,
                                        nodePortsJump()),
                                SVC, List.of(
                                        "! -s 10.88.0.0/16 -d 10.96.0.20/32 -p tcp -m comment --comment \"ns/web:http cluster IP\" -m tcp --dport 80 -j QUARKUBE-MARK-MASQ",
                                        "-m comment --comment \"ns/web:http -> 10.88.0.2:8080\" -m statistic --mode random --probability 0.5000000000 -j "
                                                + sep("10.88.0.2:8080"),
                                        "-m comment --comment \"ns/web:http -> 10.88.0.3:8080\" -j " + sep("10.88.0.3:8080")),
                                sep("10.88.0.2:8080"), List.of(
                                        "-s 10.88.0.2/32 -m comment --comment \"ns/web:http\" -j QUARKUBE-MARK-MASQ",
                                        "-p tcp -m comment --comment \"ns/web:http\" -m tcp -j DNAT --to-destination 10.88.0.2:8080"),
                                "filter:QUARKUBE-SERVICES", List.of()),
                        List.of(sep("10.88.0.4:8080"))),
                Arguments.argumentSet("no endpoints: REJECT in the filter table, no service chain",
                        List.of(web("NodePort", null, null)),
                        List.of(),
                        Map.of(
                                "QUARKUBE-SERVICES", List.of(nodePortsJump()),
                                "QUARKUBE-NODEPORTS", List.of(),
                                "filter:QUARKUBE-SERVICES", List.of(
                                        "-d 10.96.0.20/32 -p tcp -m comment --comment \"ns/web:http has no endpoints\" -m tcp --dport 80 -j REJECT"),
                                "filter:QUARKUBE-EXT-SERVICES", List.of(
                                        "-m comment --comment \"ns/web:http has no endpoints\" -m addrtype --dst-type LOCAL -p tcp -m tcp --dport 30080 -j REJECT")),
                        List.of(SVC, EXT)),
                Arguments.argumentSet("only terminating endpoints that still serve: used, as kube-proxy falls back to them",
                        List.of(web("ClusterIP", null, null)),
                        List.of(slice(terminating("10.88.0.2", true), terminating("10.88.0.3", false))),
                        Map.of(SVC, List.of(
                                "! -s 10.88.0.0/16 -d 10.96.0.20/32 -p tcp -m comment --comment \"ns/web:http cluster IP\" -m tcp --dport 80 -j QUARKUBE-MARK-MASQ",
                                "-m comment --comment \"ns/web:http -> 10.88.0.2:8080\" -j " + sep("10.88.0.2:8080"))),
                        List.of(sep("10.88.0.3:8080"))),
                Arguments.argumentSet("node port: masquerade, then the cluster policy chain",
                        List.of(web("NodePort", null, null)),
                        List.of(slice(ep("10.88.0.2", NODE, true))),
                        Map.of(
                                "QUARKUBE-NODEPORTS", List.of("-p tcp -m comment --comment \"ns/web:http\" -m tcp --dport 30080 -j " + EXT),
                                EXT, List.of(
                                        "-m comment --comment \"masquerade traffic for ns/web:http external destinations\" -j QUARKUBE-MARK-MASQ",
                                        "-j " + SVC)),
                        List.of(SVL)),
                Arguments.argumentSet("externalTrafficPolicy Local: node port to this node's endpoints, pods and the node itself to all",
                        List.of(web("NodePort", "Local", null)),
                        List.of(slice(ep("10.88.0.2", NODE, true), ep("10.88.0.3", "node-2", true))),
                        Map.of(
                                EXT, List.of(
                                        "-s 10.88.0.0/16 -m comment --comment \"pod traffic for ns/web:http external destinations\" -j " + SVC,
                                        "-m comment --comment \"masquerade LOCAL traffic for ns/web:http external destinations\" -m addrtype --src-type LOCAL -j QUARKUBE-MARK-MASQ",
                                        "-m comment --comment \"route LOCAL traffic for ns/web:http external destinations\" -m addrtype --src-type LOCAL -j " + SVC,
                                        "-j " + SVL),
                                SVL, List.of("-m comment --comment \"ns/web:http -> 10.88.0.2:8080\" -j " + sep("10.88.0.2:8080"))),
                        List.of()),
                Arguments.argumentSet("externalTrafficPolicy Local without a local endpoint: node port dropped",
                        List.of(web("NodePort", "Local", null)),
                        List.of(slice(ep("10.88.0.3", "node-2", true))),
                        Map.of(
                                "QUARKUBE-NODEPORTS", List.of(),
                                "filter:QUARKUBE-EXT-SERVICES", List.of(
                                        "-m comment --comment \"ns/web:http has no local endpoints\" -m addrtype --dst-type LOCAL -p tcp -m tcp --dport 30080 -j DROP")),
                        List.of(EXT, SVL)),
                Arguments.argumentSet("internalTrafficPolicy Local: the cluster IP goes to this node's endpoints only",
                        List.of(web("ClusterIP", null, "Local")),
                        List.of(slice(ep("10.88.0.2", NODE, true), ep("10.88.0.3", "node-2", true))),
                        Map.of(
                                "QUARKUBE-SERVICES", List.of(
                                        "-d 10.96.0.20/32 -p tcp -m comment --comment \"ns/web:http cluster IP\" -m tcp --dport 80 -j " + SVL,
                                        nodePortsJump()),
                                SVL, List.of(
                                        "! -s 10.88.0.0/16 -d 10.96.0.20/32 -p tcp -m comment --comment \"ns/web:http cluster IP\" -m tcp --dport 80 -j QUARKUBE-MARK-MASQ",
                                        "-m comment --comment \"ns/web:http -> 10.88.0.2:8080\" -j " + sep("10.88.0.2:8080"))),
                        List.of(SVC, sep("10.88.0.3:8080"))),
                Arguments.argumentSet("internalTrafficPolicy Local without a local endpoint: no endpoint reachable from here, REJECT as kube-proxy",
                        List.of(web("ClusterIP", null, "Local")),
                        List.of(slice(ep("10.88.0.3", "node-2", true))),
                        Map.of("filter:QUARKUBE-SERVICES", List.of(
                                "-d 10.96.0.20/32 -p tcp -m comment --comment \"ns/web:http has no endpoints\" -m tcp --dport 80 -j REJECT")),
                        List.of(SVC, SVL)),
                Arguments.argumentSet("internalTrafficPolicy Local without a local endpoint, node port to all: cluster IP dropped",
                        List.of(web("NodePort", null, "Local")),
                        List.of(slice(ep("10.88.0.3", "node-2", true))),
                        Map.of("filter:QUARKUBE-SERVICES", List.of(
                                "-d 10.96.0.20/32 -p tcp -m comment --comment \"ns/web:http has no local endpoints\" -m tcp --dport 80 -j DROP"),
                                "QUARKUBE-NODEPORTS", List.of("-p tcp -m comment --comment \"ns/web:http\" -m tcp --dport 30080 -j " + EXT)),
                        List.of(SVL)),
                Arguments.argumentSet("sessionAffinity ClientIP: recent checks before the spread, the endpoint remembers the client",
                        List.of(affinity(web("ClusterIP", null, null), 600)),
                        List.of(slice(ep("10.88.0.2", NODE, true), ep("10.88.0.3", NODE, true))),
                        Map.of(
                                SVC, List.of(
                                        "! -s 10.88.0.0/16 -d 10.96.0.20/32 -p tcp -m comment --comment \"ns/web:http cluster IP\" -m tcp --dport 80 -j QUARKUBE-MARK-MASQ",
                                        "-m comment --comment \"ns/web:http -> 10.88.0.2:8080\" -m recent --name " + sep("10.88.0.2:8080")
                                                + " --rcheck --seconds 600 --reap -j " + sep("10.88.0.2:8080"),
                                        "-m comment --comment \"ns/web:http -> 10.88.0.3:8080\" -m recent --name " + sep("10.88.0.3:8080")
                                                + " --rcheck --seconds 600 --reap -j " + sep("10.88.0.3:8080"),
                                        "-m comment --comment \"ns/web:http -> 10.88.0.2:8080\" -m statistic --mode random --probability 0.5000000000 -j "
                                                + sep("10.88.0.2:8080"),
                                        "-m comment --comment \"ns/web:http -> 10.88.0.3:8080\" -j " + sep("10.88.0.3:8080")),
                                sep("10.88.0.3:8080"), List.of(
                                        "-s 10.88.0.3/32 -m comment --comment \"ns/web:http\" -j QUARKUBE-MARK-MASQ",
                                        "-p tcp -m comment --comment \"ns/web:http\" -m recent --name " + sep("10.88.0.3:8080")
                                                + " --set -m tcp -j DNAT --to-destination 10.88.0.3:8080")),
                        List.of()),
                Arguments.argumentSet("headless and ExternalName services: DNS only, no rules",
                        List.of(new ServiceBuilder(web("ClusterIP", null, null)).editSpec().withClusterIP("None").endSpec().build(),
                                new ServiceBuilder().withNewMetadata().withName("ext").withNamespace("ns").endMetadata()
                                        .withNewSpec().withType("ExternalName").withExternalName("example.org").endSpec().build()),
                        List.of(slice(ep("10.88.0.2", NODE, true))),
                        Map.of("QUARKUBE-SERVICES", List.of(nodePortsJump()), "filter:QUARKUBE-SERVICES", List.of()),
                        List.of(SVC, sep("10.88.0.2:8080"))),
                Arguments.argumentSet("a slice port of another name is not this port's endpoint",
                        List.of(web("ClusterIP", null, null)),
                        List.of(new EndpointSliceBuilder(slice(ep("10.88.0.2", NODE, true))).editFirstPort().withName("metrics").endPort().build()),
                        Map.of("filter:QUARKUBE-SERVICES", List.of(
                                "-d 10.96.0.20/32 -p tcp -m comment --comment \"ns/web:http has no endpoints\" -m tcp --dport 80 -j REJECT")),
                        List.of(SVC)));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void rules(List<Service> services, List<EndpointSlice> slices, Map<String, List<String>> expected, List<String> absent) {
        RuleSet rules = GENERATOR.generate(services, slices, NODE);

        expected.forEach((key, want) -> {
            String table = key.startsWith("filter:") ? "filter" : "nat";
            String chain = key.startsWith("filter:") ? key.substring("filter:".length()) : key;
            assertEquals(want, rules.chains(table).get(chain), table + " " + chain);
        });
        for (String chain : absent) {
            assertFalse(rules.chains("nat").containsKey(chain), "no chain " + chain);
        }
    }

    @Test
    void fixedChainsMasqueradeMarkedTrafficAndRedirectClusterDns() {
        ProxyRuleGenerator withDns = new ProxyRuleGenerator(CHAINS,
                new ProxyRuleGenerator.Settings(14, Optional.of("10.88.0.0/16"), Optional.of(new ProxyRuleGenerator.DnsRedirect("10.96.0.10", 10053))));

        RuleSet rules = withDns.generate(List.of(), List.of(), NODE);

        assertEquals(List.of(
                "-d 10.96.0.10/32 -p udp -m comment --comment \"cluster DNS\" -m udp --dport 53 -j REDIRECT --to-ports 10053",
                "-d 10.96.0.10/32 -p tcp -m comment --comment \"cluster DNS\" -m tcp --dport 53 -j REDIRECT --to-ports 10053",
                nodePortsJump()), rules.chains("nat").get("QUARKUBE-SERVICES"));
        assertEquals(List.of("-j MARK --or-mark 0x4000"), rules.chains("nat").get("QUARKUBE-MARK-MASQ"));
        List<String> postrouting = rules.chains("nat").get("QUARKUBE-POSTROUTING");
        assertEquals(List.of(
                "-m mark ! --mark 0x4000/0x4000 -j RETURN",
                "-j MARK --xor-mark 0x4000",
                "-m comment --comment \"quarkube service traffic requiring SNAT\" -j MASQUERADE --random-fully"),
                postrouting.subList(postrouting.size() - 3, postrouting.size()));
        assertTrue(postrouting.get(0).contains("--dport 10053 -j SNAT --to-source 127.0.0.1"), postrouting.get(0));
        assertEquals(List.of(
                "! -s 10.88.0.0/16 -p udp -m comment --comment \"cluster DNS listener, pods and the node only\" -m addrtype ! --src-type LOCAL -m udp --dport 10053 -j DROP",
                "! -s 10.88.0.0/16 -p tcp -m comment --comment \"cluster DNS listener, pods and the node only\" -m addrtype ! --src-type LOCAL -m tcp --dport 10053 -j DROP"),
                rules.chains("filter").get("QUARKUBE-EXT-SERVICES"));
    }

    @Test
    void kubeDnsWithoutEndpointsIsNotRejectedWhereTheNodeAnswersDns() {
        Service kubeDns = new ServiceBuilder().withNewMetadata().withName("kube-dns").withNamespace("kube-system").endMetadata()
                .withNewSpec().withType("ClusterIP").withClusterIP("10.96.0.10")
                .addNewPort().withName("dns").withPort(53).withProtocol("UDP").endPort()
                .addNewPort().withName("dns-tcp").withPort(53).withProtocol("TCP").endPort()
                .addNewPort().withName("metrics").withPort(9153).withProtocol("TCP").endPort()
                .endSpec().build();
        ProxyRuleGenerator withDns = new ProxyRuleGenerator(CHAINS,
                new ProxyRuleGenerator.Settings(14, Optional.of("10.88.0.0/16"), Optional.of(new ProxyRuleGenerator.DnsRedirect("10.96.0.10", 10053))));

        RuleSet rules = withDns.generate(List.of(kubeDns), List.of(), NODE);

        assertEquals(List.of(
                "-d 10.96.0.10/32 -p udp -m comment --comment \"cluster DNS\" -m udp --dport 53 -j REDIRECT --to-ports 10053",
                "-d 10.96.0.10/32 -p tcp -m comment --comment \"cluster DNS\" -m tcp --dport 53 -j REDIRECT --to-ports 10053",
                nodePortsJump()), rules.chains("nat").get("QUARKUBE-SERVICES"));
        assertEquals(List.of(
                "-d 10.96.0.10/32 -p tcp -m comment --comment \"kube-system/kube-dns:metrics has no endpoints\" -m tcp --dport 9153 -j REJECT"),
                rules.chains("filter").get("QUARKUBE-SERVICES"), "only the port DNS does not answer is rejected");
        // Without DNS on the node nothing answers there: rejected at once, as any Service without endpoints.
        List<String> withoutDns = GENERATOR.generate(List.of(kubeDns), List.of(), NODE).chains("filter").get("QUARKUBE-SERVICES");
        assertEquals(3, withoutDns.size(), withoutDns.toString());
        assertTrue(withoutDns.stream().allMatch(rule -> rule.endsWith("-j REJECT")), withoutDns.toString());
    }

    @Test
    void spreadOverFourEndpointsUsesKubeProxysProbabilities() {
        RuleSet rules = GENERATOR.generate(List.of(web("ClusterIP", null, null)),
                List.of(slice(ep("10.88.0.2", NODE, true), ep("10.88.0.3", NODE, true), ep("10.88.0.4", NODE, true), ep("10.88.0.5", NODE, true))),
                NODE);

        List<String> probabilities = new ArrayList<>();
        for (String rule : rules.chains("nat").get(SVC)) {
            int at = rule.indexOf("--probability ");
            probabilities.add(at < 0 ? "-" : rule.substring(at + "--probability ".length()).split(" ")[0]);
        }
        assertEquals(List.of("-", "0.2500000000", "0.3333333333", "0.5000000000", "-"), probabilities);
    }

    @Test
    void inALargeClusterEndpointRulesGoWithoutComments() {
        List<Service> services = new ArrayList<>();
        List<EndpointSlice> slices = new ArrayList<>();
        for (int i = 0; i < 101; i++) {
            services.add(new ServiceBuilder(web("ClusterIP", null, null)).editMetadata().withName("web-" + i).endMetadata()
                    .editSpec().withClusterIP("10.96.1." + (i + 1)).endSpec().build());
            Ep[] endpoints = new Ep[10];
            for (int e = 0; e < 10; e++) {
                endpoints[e] = ep("10.88." + i + "." + (e + 1), NODE, true);
            }
            EndpointSlice slice = slice(endpoints);
            slice.getMetadata().setName("web-" + i + "-x");
            slice.getMetadata().getLabels().put(ServiceEndpoints.SERVICE_NAME_LABEL, "web-" + i);
            slices.add(slice);
        }

        RuleSet rules = GENERATOR.generate(services, slices, NODE);

        String svc = CHAINS.serviceChain("ns/web-0:http", "tcp");
        String sep = CHAINS.endpointChain("ns/web-0:http", "tcp", "10.88.0.1:8080");
        // endpoints in address order, as text: 10.88.0.10 before 10.88.0.1
        assertEquals("-m statistic --mode random --probability 0.1000000000 -j " + CHAINS.endpointChain("ns/web-0:http", "tcp", "10.88.0.10:8080"),
                rules.chains("nat").get(svc).get(1));
        assertEquals(List.of("-s 10.88.0.1/32 -j QUARKUBE-MARK-MASQ", "-p tcp -m tcp -j DNAT --to-destination 10.88.0.1:8080"),
                rules.chains("nat").get(sep));
        assertTrue(rules.chains("nat").get(svc).get(0).contains("--comment"), "service-level rules keep theirs");
    }

    @Test
    void generationIsDeterministicWhateverTheInputOrder() {
        Service a = web("ClusterIP", null, null);
        Service b = new ServiceBuilder(a).editMetadata().withName("other").endMetadata().editSpec().withClusterIP("10.96.0.21").endSpec().build();
        EndpointSlice slice = slice(ep("10.88.0.3", NODE, true), ep("10.88.0.2", NODE, true));

        assertEquals(GENERATOR.generate(List.of(a, b), List.of(slice), NODE), GENERATOR.generate(List.of(b, a), List.of(slice), NODE));
    }

    static Service web(String type, String externalTrafficPolicy, String internalTrafficPolicy) {
        return new ServiceBuilder().withNewMetadata().withName("web").withNamespace("ns").endMetadata()
                .withNewSpec().withType(type).withClusterIP("10.96.0.20")
                .withExternalTrafficPolicy(externalTrafficPolicy).withInternalTrafficPolicy(internalTrafficPolicy)
                .addNewPort().withName("http").withPort(80).withNewTargetPort(8080).withProtocol("TCP")
                .withNodePort("NodePort".equals(type) ? 30080 : null).endPort()
                .endSpec().build();
    }

    static Service affinity(Service service, int timeout) {
        return new ServiceBuilder(service).editSpec().withSessionAffinity("ClientIP")
                .withNewSessionAffinityConfig().withNewClientIP().withTimeoutSeconds(timeout).endClientIP().endSessionAffinityConfig()
                .endSpec().build();
    }

    record Ep(String ip, String node, Boolean ready, Boolean serving, Boolean terminating) {
    }

    static Ep ep(String ip, String node, boolean ready) {
        return new Ep(ip, node, ready, ready, false);
    }

    static Ep terminating(String ip, boolean serving) {
        return new Ep(ip, NODE, false, serving, true);
    }

    static EndpointSlice slice(Ep... endpoints) {
        var builder = new EndpointSliceBuilder().withNewMetadata().withName("web-x").withNamespace("ns")
                .addToLabels(ServiceEndpoints.SERVICE_NAME_LABEL, "web").endMetadata()
                .withAddressType("IPv4")
                .addNewPort().withName("http").withPort(8080).withProtocol("TCP").endPort();
        for (Ep endpoint : endpoints) {
            builder.addNewEndpoint().withAddresses(endpoint.ip()).withNodeName(endpoint.node())
                    .withNewConditions().withReady(endpoint.ready()).withServing(endpoint.serving()).withTerminating(endpoint.terminating())
                    .endConditions().endEndpoint();
        }
        return builder.build();
    }

    private static String nodePortsJump() {
        return "-m comment --comment \"quarkube service nodeports; NOTE: this must be the last rule in this chain\" "
                + "-m addrtype --dst-type LOCAL ! -d 127.0.0.0/8 -j QUARKUBE-NODEPORTS";
    }
}
