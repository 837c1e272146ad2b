package io.quarkube.agent.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.quarkube.agent.dns.DnsAnswer.A;
import io.quarkube.agent.dns.DnsAnswer.Cname;
import io.quarkube.agent.dns.DnsAnswer.Srv;
import io.quarkube.agent.services.ClusterState;

class ClusterDnsAnswersTest {

    private static final String DOMAIN = "cluster.local";
    private static final Map<String, Service> SERVICES = Map.of(
            "ns/web", new ServiceBuilder().withNewMetadata().withName("web").withNamespace("ns").endMetadata()
                    .withNewSpec().withClusterIP("10.96.0.20")
                    .addNewPort().withName("http").withPort(80).withProtocol("TCP").endPort()
                    .addNewPort().withPort(81).withProtocol("TCP").endPort().endSpec().build(),
            "ns/db", new ServiceBuilder().withNewMetadata().withName("db").withNamespace("ns").endMetadata()
                    .withNewSpec().withClusterIP("None").addNewPort().withName("sql").withPort(5432).withProtocol("TCP").endPort().endSpec().build(),
            "ns/ext", new ServiceBuilder().withNewMetadata().withName("ext").withNamespace("ns").endMetadata()
                    .withNewSpec().withType("ExternalName").withExternalName("example.org").endSpec().build());
    private static final EndpointSlice DB_SLICE = new EndpointSliceBuilder().withNewMetadata().withName("db-x").withNamespace("ns")
            .addToLabels("kubernetes.io/service-name", "db").endMetadata().withAddressType("IPv4")
            .addNewPort().withName("sql").withPort(15432).withProtocol("TCP").endPort()
            .addNewEndpoint().withAddresses("10.88.0.3").withHostname("db-0").withNewConditions().withReady(true).endConditions().endEndpoint()
            .addNewEndpoint().withAddresses("10.88.0.2").withNewConditions().withReady(true).endConditions().endEndpoint()
            .addNewEndpoint().withAddresses("10.88.0.4").withNewConditions().withReady(false).endConditions().endEndpoint()
            .build();
    private static final ClusterState STATE = new ClusterState() {
        @Override
        public Service service(String namespace, String name) {
            return SERVICES.get(namespace + "/" + name);
        }

        @Override
        public List<EndpointSlice> endpointSlices(String namespace, String serviceName) {
            return namespace.equals("ns") && serviceName.equals("db") ? List.of(DB_SLICE) : List.of();
        }
    };
    private static final ClusterDnsAnswers ANSWERS = new ClusterDnsAnswers(DOMAIN, STATE);
    private static final DnsAnswer.Soa SOA = ANSWERS.soa();

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.argumentSet("service A record: its cluster IP",
                        "web.ns.svc.cluster.local.", ClusterDnsAnswers.Type.A,
                        ok(List.of(new A("web.ns.svc.cluster.local", 5, "10.96.0.20")), List.of())),
                Arguments.argumentSet("names are case-insensitive",
                        "WEB.Ns.svc.Cluster.Local", ClusterDnsAnswers.Type.A,
                        ok(List.of(new A("web.ns.svc.cluster.local", 5, "10.96.0.20")), List.of())),
                Arguments.argumentSet("AAAA of an IPv4 service: no data, not NXDOMAIN (resolvers ask both)",
                        "web.ns.svc.cluster.local", ClusterDnsAnswers.Type.AAAA, nodata()),
                Arguments.argumentSet("unknown service: NXDOMAIN",
                        "nope.ns.svc.cluster.local", ClusterDnsAnswers.Type.A, nxdomain()),
                Arguments.argumentSet("a search-path expansion of an outside name: NXDOMAIN",
                        "example.org.ns.svc.cluster.local", ClusterDnsAnswers.Type.A, nxdomain()),
                Arguments.argumentSet("headless service: its ready endpoints' addresses",
                        "db.ns.svc.cluster.local", ClusterDnsAnswers.Type.A,
                        ok(List.of(new A("db.ns.svc.cluster.local", 5, "10.88.0.2"), new A("db.ns.svc.cluster.local", 5, "10.88.0.3")), List.of())),
                Arguments.argumentSet("an endpoint of a headless service by hostname",
                        "db-0.db.ns.svc.cluster.local", ClusterDnsAnswers.Type.A,
                        ok(List.of(new A("db-0.db.ns.svc.cluster.local", 5, "10.88.0.3")), List.of())),
                Arguments.argumentSet("an endpoint of a headless service by dashed address",
                        "10-88-0-2.db.ns.svc.cluster.local", ClusterDnsAnswers.Type.A,
                        ok(List.of(new A("10-88-0-2.db.ns.svc.cluster.local", 5, "10.88.0.2")), List.of())),
                Arguments.argumentSet("a not-ready endpoint has no name",
                        "10-88-0-4.db.ns.svc.cluster.local", ClusterDnsAnswers.Type.A, nxdomain()),
                Arguments.argumentSet("SRV of a named port: the service name and port, with its address",
                        "_http._tcp.web.ns.svc.cluster.local", ClusterDnsAnswers.Type.SRV,
                        ok(List.of(new Srv("_http._tcp.web.ns.svc.cluster.local", 5, 0, 100, 80, "web.ns.svc.cluster.local")),
                                List.of(new A("web.ns.svc.cluster.local", 5, "10.96.0.20")))),
                Arguments.argumentSet("SRV of a headless service: one per ready endpoint, the endpoints' port",
                        "_sql._tcp.db.ns.svc.cluster.local", ClusterDnsAnswers.Type.SRV,
                        ok(List.of(new Srv("_sql._tcp.db.ns.svc.cluster.local", 5, 0, 50, 15432, "10-88-0-2.db.ns.svc.cluster.local"),
                                        new Srv("_sql._tcp.db.ns.svc.cluster.local", 5, 0, 50, 15432, "db-0.db.ns.svc.cluster.local")),
                                List.of(new A("10-88-0-2.db.ns.svc.cluster.local", 5, "10.88.0.2"), new A("db-0.db.ns.svc.cluster.local", 5, "10.88.0.3")))),
                Arguments.argumentSet("SRV of a port of another protocol: NXDOMAIN",
                        "_http._udp.web.ns.svc.cluster.local", ClusterDnsAnswers.Type.SRV, nxdomain()),
                Arguments.argumentSet("ExternalName: a CNAME, whatever the type",
                        "ext.ns.svc.cluster.local", ClusterDnsAnswers.Type.A,
                        ok(List.of(new Cname("ext.ns.svc.cluster.local", 5, "example.org")), List.of())),
                Arguments.argumentSet("pod by dashed address",
                        "10-88-0-9.ns.pod.cluster.local", ClusterDnsAnswers.Type.A,
                        ok(List.of(new A("10-88-0-9.ns.pod.cluster.local", 5, "10.88.0.9")), List.of())),
                Arguments.argumentSet("pod name that is no address: NXDOMAIN",
                        "10-88-0-999.ns.pod.cluster.local", ClusterDnsAnswers.Type.A, nxdomain()),
                Arguments.argumentSet("outside the cluster domain: forwarded",
                        "example.org.", ClusterDnsAnswers.Type.A, DnsAnswer.forward()),
                Arguments.argumentSet("a domain that merely ends like the cluster domain: forwarded",
                        "notcluster.local", ClusterDnsAnswers.Type.A, DnsAnswer.forward()));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void answers(String name, ClusterDnsAnswers.Type type, DnsAnswer expected) {
        assertEquals(expected, ANSWERS.answer(name, type));
    }

    private static DnsAnswer ok(List<DnsAnswer.Record> answers, List<DnsAnswer.Record> additionals) {
        return new DnsAnswer(DnsAnswer.Code.NOERROR, answers, additionals, List.of());
    }

    private static DnsAnswer nodata() {
        return new DnsAnswer(DnsAnswer.Code.NOERROR, List.of(), List.of(), List.of(SOA));
    }

    private static DnsAnswer nxdomain() {
        return new DnsAnswer(DnsAnswer.Code.NXDOMAIN, List.of(), List.of(), List.of(SOA));
    }
}
