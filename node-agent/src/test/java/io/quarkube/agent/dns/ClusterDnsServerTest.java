package io.quarkube.agent.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.AddressedEnvelope;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DnsRawRecord;
import io.netty.handler.codec.dns.DnsRecord;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponse;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.handler.codec.dns.DnsSection;
import io.netty.resolver.dns.DnsNameResolver;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.netty.resolver.dns.NoopDnsCache;
import io.netty.resolver.dns.SingletonDnsServerAddressStreamProvider;
import io.quarkube.agent.services.ClusterState;

/**
 * The DNS server on real sockets, asked by Netty's own DNS client over UDP and TCP. A second server, for
 * another domain, stands in for the host's upstream resolver.
 */
class ClusterDnsServerTest {

    private static final Map<String, Service> SERVICES = Map.of(
            "ns/web", new ServiceBuilder().withNewMetadata().withName("web").withNamespace("ns").endMetadata()
                    .withNewSpec().withClusterIP("10.96.0.20").addNewPort().withName("http").withPort(80).endPort().endSpec().build(),
            "up/far", new ServiceBuilder().withNewMetadata().withName("far").withNamespace("up").endMetadata()
                    .withNewSpec().withClusterIP("10.99.0.7").endSpec().build(),
            "ns/many", new ServiceBuilder().withNewMetadata().withName("many").withNamespace("ns").endMetadata()
                    .withNewSpec().withClusterIP("None").endSpec().build());
    /** 60 ready endpoints: their A records (about 2.6 kB) do not fit a 512-byte UDP answer. */
    private static final EndpointSlice MANY = manyEndpoints(60);
    private static final ClusterState STATE = new ClusterState() {
        @Override
        public Service service(String namespace, String name) {
            return SERVICES.get(namespace + "/" + name);
        }

        @Override
        public List<EndpointSlice> endpointSlices(String namespace, String serviceName) {
            return serviceName.equals("many") ? List.of(MANY) : List.of();
        }
    };

    private static ClusterDnsServer upstream;
    private static ClusterDnsServer server;
    private static ClusterDnsServer isolated;
    private static NioEventLoopGroup clientLoop;

    @BeforeAll
    static void start() {
        upstream = new ClusterDnsServer(new ClusterDnsAnswers("upstream.test", STATE), "127.0.0.1", 0, List.of(), Duration.ofSeconds(1));
        upstream.start();
        server = new ClusterDnsServer(new ClusterDnsAnswers("cluster.local", STATE), "127.0.0.1", 0,
                List.of(new InetSocketAddress("127.0.0.1", upstream.port())), Duration.ofSeconds(1));
        server.start();
        // 192.0.2.1 (TEST-NET-1) never answers.
        isolated = new ClusterDnsServer(new ClusterDnsAnswers("cluster.local", STATE), "127.0.0.1", 0,
                List.of(new InetSocketAddress("192.0.2.1", 53)), Duration.ofMillis(300));
        isolated.start();
        clientLoop = new NioEventLoopGroup(1);
    }

    @AfterAll
    static void stop() {
        for (ClusterDnsServer s : new ClusterDnsServer[] {server, upstream, isolated}) {
            if (s != null) {
                s.close();
            }
        }
        if (clientLoop != null) {
            clientLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
        }
    }

    @Test
    void aRecordOfAService() throws Exception {
        Reply reply = ask(server.port(), "web.ns.svc.cluster.local.", DnsRecordType.A, Duration.ofSeconds(5));

        assertEquals(DnsResponseCode.NOERROR, reply.code());
        assertEquals(List.of("A web.ns.svc.cluster.local. 10.96.0.20"), reply.answers());
    }

    @Test
    void overTcpTooWithTheTwoByteLengthPrefix() throws Exception {
        byte[] response = askTcp(rawQuery("web.ns.svc.cluster.local"));

        assertEquals(0x1234, ((response[0] & 0xff) << 8) | (response[1] & 0xff), "same id");
        assertEquals(0, response[3] & 0x0f, "NOERROR");
        assertEquals(1, answerCount(response), "one answer");
        byte[] address = java.util.Arrays.copyOfRange(response, response.length - 4, response.length);
        assertEquals("10.96.0.20", InetAddress.getByAddress(address).getHostAddress());
    }

    @Test
    void anAnswerTooBigForUdpIsTruncatedAndComesWholeOverTcp() throws Exception {
        byte[] query = rawQuery("many.ns.svc.cluster.local");

        byte[] udp = askUdp(query);
        assertTrue(udp.length <= 512, "fits the client's 512 bytes: " + udp.length);
        assertEquals(0x02, udp[2] & 0x02, "TC set");
        assertEquals(0, answerCount(udp));

        byte[] tcp = askTcp(query);
        assertEquals(0, tcp[2] & 0x02, "TC not set over TCP");
        assertEquals(60, answerCount(tcp));
    }

    @Test
    void srvOfANamedPort() throws Exception {
        Reply reply = ask(server.port(), "_http._tcp.web.ns.svc.cluster.local.", DnsRecordType.SRV, Duration.ofSeconds(5));

        assertEquals(DnsResponseCode.NOERROR, reply.code());
        assertEquals(1, reply.answers().size(), reply.answers().toString());
        assertEquals(List.of("SRV _http._tcp.web.ns.svc.cluster.local."), reply.answers());
    }

    @Test
    void unknownNameInTheClusterDomainIsNxdomain() throws Exception {
        assertEquals(DnsResponseCode.NXDOMAIN, ask(server.port(), "nope.ns.svc.cluster.local.", DnsRecordType.A, Duration.ofSeconds(5)).code());
    }

    @Test
    void otherNamesAreForwardedUpstream() throws Exception {
        Reply reply = ask(server.port(), "far.up.svc.upstream.test.", DnsRecordType.A, Duration.ofSeconds(5));

        assertEquals(DnsResponseCode.NOERROR, reply.code());
        assertEquals(List.of("A far.up.svc.upstream.test. 10.99.0.7"), reply.answers());
        assertEquals(DnsResponseCode.NXDOMAIN, ask(server.port(), "nope.up.svc.upstream.test.", DnsRecordType.A, Duration.ofSeconds(5)).code());
    }

    @Test
    void withoutAnAnsweringUpstreamServfailQuickly() throws Exception {
        long start = System.nanoTime();
        Reply reply = ask(isolated.port(), "example.org.", DnsRecordType.A, Duration.ofSeconds(5));

        assertEquals(DnsResponseCode.SERVFAIL, reply.code());
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(3), "answered within the upstream timeout, not the client's");
        assertEquals(DnsResponseCode.NOERROR, ask(isolated.port(), "web.ns.svc.cluster.local.", DnsRecordType.A, Duration.ofSeconds(5)).code(),
                "cluster names still answered");
    }

    /** A query for NAME A without EDNS, written by hand: RFC 1035 4.1. */
    private static byte[] rawQuery(String name) throws java.io.IOException {
        java.io.ByteArrayOutputStream query = new java.io.ByteArrayOutputStream();
        query.write(new byte[] {0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0});
        for (String label : name.split("\\.")) {
            query.write(label.length());
            query.write(label.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }
        query.write(new byte[] {0, 0, 1, 0, 1});
        return query.toByteArray();
    }

    /** Over TCP with the two-byte length prefix (RFC 1035 4.2.2). */
    private static byte[] askTcp(byte[] query) throws java.io.IOException {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(5000);
            java.io.DataOutputStream out = new java.io.DataOutputStream(socket.getOutputStream());
            out.writeShort(query.length);
            out.write(query);
            out.flush();
            java.io.DataInputStream in = new java.io.DataInputStream(socket.getInputStream());
            byte[] response = new byte[in.readUnsignedShort()];
            in.readFully(response);
            return response;
        }
    }

    private static byte[] askUdp(byte[] query) throws java.io.IOException {
        try (java.net.DatagramSocket socket = new java.net.DatagramSocket()) {
            socket.setSoTimeout(5000);
            socket.send(new java.net.DatagramPacket(query, query.length, new InetSocketAddress("127.0.0.1", server.port())));
            java.net.DatagramPacket reply = new java.net.DatagramPacket(new byte[65_536], 65_536);
            socket.receive(reply);
            return java.util.Arrays.copyOf(reply.getData(), reply.getLength());
        }
    }

    private static int answerCount(byte[] response) {
        return ((response[6] & 0xff) << 8) | (response[7] & 0xff);
    }

    private static EndpointSlice manyEndpoints(int count) {
        var builder = new io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder().withNewMetadata().withName("many-x")
                .withNamespace("ns").addToLabels("kubernetes.io/service-name", "many").endMetadata().withAddressType("IPv4");
        for (int i = 0; i < count; i++) {
            builder.addNewEndpoint().withAddresses("10.88.1." + (i + 1)).withNewConditions().withReady(true).endConditions().endEndpoint();
        }
        return builder.build();
    }

    record Reply(DnsResponseCode code, List<String> answers) {
    }

    private static Reply ask(int port, String name, DnsRecordType type, Duration timeout) throws Exception {
        DnsNameResolverBuilder builder = new DnsNameResolverBuilder(clientLoop.next())
                .channelType(NioDatagramChannel.class)
                .nameServerProvider(new SingletonDnsServerAddressStreamProvider(new InetSocketAddress("127.0.0.1", port)))
                .resolveCache(NoopDnsCache.INSTANCE)
                .queryTimeoutMillis(timeout.toMillis());
        try (DnsNameResolver resolver = builder.build()) {
            AddressedEnvelope<DnsResponse, InetSocketAddress> envelope = resolver.query(new DefaultDnsQuestion(name, type))
                    .get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
            try {
                DnsResponse response = envelope.content();
                List<String> answers = new ArrayList<>();
                for (int i = 0; i < response.count(DnsSection.ANSWER); i++) {
                    DnsRecord record = response.recordAt(DnsSection.ANSWER, i);
                    String data = record instanceof DnsRawRecord raw && record.type() == DnsRecordType.A
                            ? InetAddress.getByAddress(ByteBufUtil.getBytes(raw.content())).getHostAddress()
                            : "";
                    answers.add((record.type().name() + " " + record.name() + " " + data).strip());
                }
                return new Reply(response.code(), answers);
            } finally {
                envelope.release();
            }
        }
    }
}
