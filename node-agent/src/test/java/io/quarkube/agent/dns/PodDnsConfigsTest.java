package io.quarkube.agent.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodDNSConfig;
import io.fabric8.kubernetes.api.model.PodDNSConfigBuilder;
import io.quarkube.agent.cri.v1.DNSConfig;

class PodDnsConfigsTest {

    private static final ResolvConf HOST = ResolvConf.parse("""
            # written by the host
            nameserver 192.0.2.53
            nameserver 192.0.2.54
            search corp.example
            options edns0 timeout:2
            """);
    private static final PodDnsConfigs CONFIGS = new PodDnsConfigs(Optional.of("10.96.0.10"), "cluster.local", HOST);
    private static final List<String> CLUSTER_SEARCH = List.of("ns.svc.cluster.local", "svc.cluster.local", "cluster.local", "corp.example");

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.argumentSet("ClusterFirst (the default): cluster DNS, cluster search path then the host's, ndots:5",
                        pod(null, false, null),
                        dns(List.of("10.96.0.10"), CLUSTER_SEARCH, List.of("ndots:5"))),
                Arguments.argumentSet("Default: the host's resolv.conf",
                        pod("Default", false, null),
                        dns(List.of("192.0.2.53", "192.0.2.54"), List.of("corp.example"), List.of("edns0", "timeout:2"))),
                Arguments.argumentSet("ClusterFirst on the host network: Default, as the kubelet does",
                        pod("ClusterFirst", true, null),
                        dns(List.of("192.0.2.53", "192.0.2.54"), List.of("corp.example"), List.of("edns0", "timeout:2"))),
                Arguments.argumentSet("ClusterFirstWithHostNet on the host network: cluster DNS",
                        pod("ClusterFirstWithHostNet", true, null),
                        dns(List.of("10.96.0.10"), CLUSTER_SEARCH, List.of("ndots:5"))),
                Arguments.argumentSet("None: only dnsConfig",
                        pod("None", false, new PodDNSConfigBuilder().withNameservers("1.1.1.1").withSearches("a.example")
                                .addNewOption().withName("ndots").withValue("2").endOption().build()),
                        dns(List.of("1.1.1.1"), List.of("a.example"), List.of("ndots:2"))),
                Arguments.argumentSet("dnsConfig merged into ClusterFirst: servers and searches appended, options replaced by name",
                        pod("ClusterFirst", false, new PodDNSConfigBuilder().withNameservers("10.96.0.10", "1.1.1.1").withSearches("cluster.local", "b.example")
                                .addNewOption().withName("ndots").withValue("1").endOption().addNewOption().withName("edns0").endOption().build()),
                        dns(List.of("10.96.0.10", "1.1.1.1"), List.of("ns.svc.cluster.local", "svc.cluster.local", "cluster.local", "corp.example", "b.example"),
                                List.of("ndots:1", "edns0"))),
                Arguments.argumentSet("at most three nameservers",
                        pod("Default", false, new PodDNSConfigBuilder().withNameservers("1.1.1.1", "8.8.8.8").build()),
                        dns(List.of("192.0.2.53", "192.0.2.54", "1.1.1.1"), List.of("corp.example"), List.of("edns0", "timeout:2"))));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void dnsConfig(Pod pod, DNSConfig expected) {
        assertEquals(expected, CONFIGS.forPod(pod));
    }

    @Test
    void withoutClusterDnsClusterFirstIsDefault() {
        PodDnsConfigs noClusterDns = new PodDnsConfigs(Optional.empty(), "cluster.local", HOST);

        assertEquals(dns(List.of("192.0.2.53", "192.0.2.54"), List.of("corp.example"), List.of("edns0", "timeout:2")),
                noClusterDns.forPod(pod("ClusterFirst", false, null)));
    }

    @Test
    void resolvConfKeepsTheLastSearchLineAndSkipsComments() {
        ResolvConf conf = ResolvConf.parse("domain first.example\nsearch a.example b.example\n; comment\nnameserver 10.0.0.1\nsortlist 10.0.0.0\n");

        assertEquals(new ResolvConf(List.of("10.0.0.1"), List.of("a.example", "b.example"), List.of()), conf);
    }

    private static Pod pod(String policy, boolean hostNetwork, PodDNSConfig dnsConfig) {
        return new PodBuilder().withNewMetadata().withName("p").withNamespace("ns").endMetadata()
                .withNewSpec().withDnsPolicy(policy).withHostNetwork(hostNetwork).withDnsConfig(dnsConfig)
                .addNewContainer().withName("c").withImage("i").endContainer().endSpec().build();
    }

    private static DNSConfig dns(List<String> servers, List<String> searches, List<String> options) {
        return DNSConfig.newBuilder().addAllServers(servers).addAllSearches(searches).addAllOptions(options).build();
    }
}
