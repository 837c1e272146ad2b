package io.quarkube.agent.dns;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.AddressedEnvelope;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.dns.DatagramDnsQuery;
import io.netty.handler.codec.dns.DatagramDnsQueryDecoder;
import io.netty.handler.codec.dns.DatagramDnsResponse;
import io.netty.handler.codec.dns.DatagramDnsResponseEncoder;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DefaultDnsRawRecord;
import io.netty.handler.codec.dns.DefaultDnsResponse;
import io.netty.handler.codec.dns.DnsQuery;
import io.netty.handler.codec.dns.DnsQuestion;
import io.netty.handler.codec.dns.DnsRawRecord;
import io.netty.handler.codec.dns.DnsRecord;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponse;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.handler.codec.dns.DnsSection;
import io.netty.handler.codec.dns.TcpDnsQueryDecoder;
import io.netty.handler.codec.dns.TcpDnsResponseEncoder;
import io.netty.resolver.ResolvedAddressTypes;
import io.netty.resolver.dns.DnsNameResolver;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.netty.resolver.dns.NoopDnsCache;
import io.netty.resolver.dns.SequentialDnsServerAddressStreamProvider;
import io.netty.util.concurrent.Future;

/**
 * The node's cluster DNS server, over UDP and TCP on one port: names in the cluster domain are answered by
 * {@link ClusterDnsAnswers}, others are forwarded to the upstream resolvers (the host's resolv.conf); when no
 * upstream answers in time, SERVFAIL. Netty's DNS codec; one event-loop thread of its own.
 */
public final class ClusterDnsServer implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ClusterDnsServer.class);
    /** Forwarded answer records copied as they are: types whose data holds no (possibly compressed) names but CNAME/NS/PTR, which Netty decompresses. */
    private static final Set<DnsRecordType> FORWARDED_TYPES = Set.of(DnsRecordType.A, DnsRecordType.AAAA, DnsRecordType.CNAME,
            DnsRecordType.NS, DnsRecordType.PTR, DnsRecordType.TXT, DnsRecordType.CAA);

    private final ClusterDnsAnswers answers;
    private final String bindAddress;
    private final int port;
    private final List<InetSocketAddress> upstreams;
    private final Duration upstreamTimeout;
    private EventLoopGroup group;
    private Channel udp;
    private Channel tcp;
    private DnsNameResolver upstream;

    /** @param upstreams resolvers for names outside the cluster domain (none: SERVFAIL for them) */
    public ClusterDnsServer(ClusterDnsAnswers answers, String bindAddress, int port, List<InetSocketAddress> upstreams, Duration upstreamTimeout) {
        this.answers = answers;
        this.bindAddress = bindAddress;
        this.port = port;
        this.upstreams = List.copyOf(upstreams);
        this.upstreamTimeout = upstreamTimeout;
    }

    /** Binds UDP and TCP; returns once both listen. */
    public void start() {
        group = new NioEventLoopGroup(1, runnable -> {
            Thread thread = new Thread(runnable, "cluster-dns");
            thread.setDaemon(true);
            return thread;
        });
        try {
            if (!upstreams.isEmpty()) {
                upstream = new DnsNameResolverBuilder(group.next())
                        .channelType(NioDatagramChannel.class)
                        .nameServerProvider(new SequentialDnsServerAddressStreamProvider(upstreams))
                        .resolveCache(NoopDnsCache.INSTANCE)
                        .queryTimeoutMillis(upstreamTimeout.toMillis())
                        .maxQueriesPerResolve(upstreams.size())
                        .resolvedAddressTypes(ResolvedAddressTypes.IPV4_PREFERRED)
                        .recursionDesired(true)
                        .build();
            }
            udp = new Bootstrap().group(group).channel(NioDatagramChannel.class)
                    .handler(new ChannelInitializer<NioDatagramChannel>() {
                        @Override
                        protected void initChannel(NioDatagramChannel channel) {
                            channel.pipeline().addLast(new DatagramDnsQueryDecoder(), new DatagramDnsResponseEncoder(), new UdpQueries());
                        }
                    })
                    .bind(bindAddress, port).sync().channel();
            int boundPort = ((InetSocketAddress) udp.localAddress()).getPort(); // the same port for TCP, also when 0 was asked
            tcp = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel channel) {
                            channel.pipeline().addLast(new TcpDnsQueryDecoder(), new TcpDnsResponseEncoder(), new TcpQueries());
                        }
                    })
                    .bind(bindAddress, boundPort).sync().channel();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new IllegalStateException("interrupted while binding the DNS server", e);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        LOG.infof("cluster DNS listening on %s:%d (udp, tcp), upstream %s", bindAddress, port(), upstreams);
    }

    /** The UDP port (the configured one, or the one the system chose for 0). */
    public int port() {
        return ((InetSocketAddress) udp.localAddress()).getPort();
    }

    private final class UdpQueries extends SimpleChannelInboundHandler<DatagramDnsQuery> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramDnsQuery query) {
            DatagramDnsResponse response = new DatagramDnsResponse(query.recipient(), query.sender(), query.id());
            respond(ctx, query, response);
        }
    }

    /** The largest UDP answer the client takes: 512 bytes (RFC 1035), or what its EDNS OPT record offers. */
    static int udpLimit(DnsQuery query) {
        for (int i = 0; i < query.count(DnsSection.ADDITIONAL); i++) {
            DnsRecord record = query.recordAt(DnsSection.ADDITIONAL, i);
            if (record.type() == DnsRecordType.OPT) {
                return Math.max(512, Math.min(record.dnsClass(), 65_000));
            }
        }
        return 512;
    }

    /** The encoded size of a response (Netty writes names uncompressed), to tell when UDP must truncate. */
    static int wireSize(DnsResponse response) {
        int size = 12;
        for (DnsSection section : DnsSection.values()) {
            for (int i = 0; i < response.count(section); i++) {
                DnsRecord record = response.recordAt(section, i);
                size += nameSize(record.name()) + 4;
                if (section != DnsSection.QUESTION) {
                    size += 6 + (record instanceof DnsRawRecord raw ? raw.content().readableBytes() : 64);
                }
            }
        }
        return size;
    }

    private static int nameSize(String name) {
        int size = 1;
        for (String label : name.split("\\.")) {
            if (!label.isEmpty()) {
                size += label.length() + 1;
            }
        }
        return size;
    }

    /** Sends the response; over UDP one too big for the client goes out truncated (TC, no records), so it asks again over TCP. */
    private static void send(ChannelHandlerContext ctx, int udpLimit, DnsResponse response) {
        if (response instanceof DatagramDnsResponse datagram && wireSize(response) > udpLimit) {
            DatagramDnsResponse truncated = new DatagramDnsResponse(datagram.sender(), datagram.recipient(), datagram.id());
            truncated.setCode(datagram.code()).setAuthoritativeAnswer(datagram.isAuthoritativeAnswer()).setTruncated(true)
                    .setRecursionDesired(datagram.isRecursionDesired()).setRecursionAvailable(datagram.isRecursionAvailable());
            DnsRecord question = datagram.recordAt(DnsSection.QUESTION);
            truncated.addRecord(DnsSection.QUESTION, question);
            datagram.release();
            ctx.writeAndFlush(truncated);
            return;
        }
        ctx.writeAndFlush(response);
    }

    private final class TcpQueries extends SimpleChannelInboundHandler<DnsQuery> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DnsQuery query) {
            respond(ctx, query, new DefaultDnsResponse(query.id()));
        }
    }

    private void respond(ChannelHandlerContext ctx, DnsQuery query, DnsResponse response) {
        response.setRecursionDesired(query.isRecursionDesired()).setRecursionAvailable(true);
        DnsQuestion question = query.recordAt(DnsSection.QUESTION);
        if (question == null) {
            ctx.writeAndFlush(response.setCode(DnsResponseCode.FORMERR));
            return;
        }
        response.addRecord(DnsSection.QUESTION, new DefaultDnsQuestion(question.name(), question.type(), question.dnsClass()));
        // Read now: the query is released when this handler returns, before a forwarded answer arrives.
        int limit = udpLimit(query);
        DnsAnswer answer;
        try {
            answer = answers.answer(question.name(), type(question.type()));
        } catch (RuntimeException e) {
            LOG.debugf("answering %s failed: %s", question.name(), e);
            ctx.writeAndFlush(response.setCode(DnsResponseCode.SERVFAIL));
            return;
        }
        if (answer.code() == DnsAnswer.Code.FORWARD) {
            forward(ctx, limit, question, response);
            return;
        }
        response.setAuthoritativeAnswer(true);
        response.setCode(answer.code() == DnsAnswer.Code.NXDOMAIN ? DnsResponseCode.NXDOMAIN : DnsResponseCode.NOERROR);
        answer.answers().forEach(record -> response.addRecord(DnsSection.ANSWER, encode(record)));
        answer.authority().forEach(record -> response.addRecord(DnsSection.AUTHORITY, encode(record)));
        answer.additionals().forEach(record -> response.addRecord(DnsSection.ADDITIONAL, encode(record)));
        send(ctx, limit, response);
    }

    private void forward(ChannelHandlerContext ctx, int limit, DnsQuestion question, DnsResponse response) {
        if (upstream == null) {
            ctx.writeAndFlush(response.setCode(DnsResponseCode.SERVFAIL));
            return;
        }
        Future<AddressedEnvelope<DnsResponse, InetSocketAddress>> reply =
                upstream.query(new DefaultDnsQuestion(question.name(), question.type(), question.dnsClass()));
        reply.addListener(done -> {
            if (!done.isSuccess()) {
                LOG.debugf("upstream query for %s failed: %s", question.name(), done.cause());
                ctx.writeAndFlush(response.setCode(DnsResponseCode.SERVFAIL));
                return;
            }
            @SuppressWarnings("unchecked")
            AddressedEnvelope<DnsResponse, InetSocketAddress> envelope = (AddressedEnvelope<DnsResponse, InetSocketAddress>) done.getNow();
            try {
                DnsResponse upstreamResponse = envelope.content();
                response.setCode(upstreamResponse.code());
                for (int i = 0; i < upstreamResponse.count(DnsSection.ANSWER); i++) {
                    DnsRecord record = upstreamResponse.recordAt(DnsSection.ANSWER, i);
                    if (FORWARDED_TYPES.contains(record.type())) {
                        response.addRecord(DnsSection.ANSWER, record instanceof DnsRawRecord raw ? raw.copy() : record);
                    }
                }
            } finally {
                envelope.release();
            }
            send(ctx, limit, response);
        });
    }

    static ClusterDnsAnswers.Type type(DnsRecordType type) {
        if (type == DnsRecordType.A) {
            return ClusterDnsAnswers.Type.A;
        }
        if (type == DnsRecordType.AAAA) {
            return ClusterDnsAnswers.Type.AAAA;
        }
        if (type == DnsRecordType.SRV) {
            return ClusterDnsAnswers.Type.SRV;
        }
        if (type == DnsRecordType.CNAME) {
            return ClusterDnsAnswers.Type.CNAME;
        }
        return ClusterDnsAnswers.Type.OTHER;
    }

    /** One answer record in wire format (names uncompressed). */
    static DnsRecord encode(DnsAnswer.Record record) {
        String name = record.name() + ".";
        ByteBuf data = Unpooled.buffer();
        DnsRecordType type;
        if (record instanceof DnsAnswer.A a) {
            type = DnsRecordType.A;
            try {
                data.writeBytes(InetAddress.getByName(a.ip()).getAddress());
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("not an address: " + a.ip(), e);
            }
        } else if (record instanceof DnsAnswer.Cname cname) {
            type = DnsRecordType.CNAME;
            writeName(data, cname.target());
        } else if (record instanceof DnsAnswer.Srv srv) {
            type = DnsRecordType.SRV;
            data.writeShort(srv.priority()).writeShort(srv.weight()).writeShort(srv.port());
            writeName(data, srv.target());
        } else {
            DnsAnswer.Soa soa = (DnsAnswer.Soa) record;
            type = DnsRecordType.SOA;
            writeName(data, soa.primary());
            writeName(data, soa.mailbox());
            data.writeInt((int) soa.serial()).writeInt(soa.refresh()).writeInt(soa.retry()).writeInt(soa.expire()).writeInt(soa.minimum());
        }
        return new DefaultDnsRawRecord(name, type, record.ttl(), data);
    }

    private static void writeName(ByteBuf out, String name) {
        for (String label : name.split("\\.")) {
            if (!label.isEmpty()) {
                byte[] bytes = label.getBytes(StandardCharsets.US_ASCII);
                out.writeByte(bytes.length).writeBytes(bytes);
            }
        }
        out.writeByte(0);
    }

    @Override
    public void close() {
        List<Channel> channels = new ArrayList<>();
        if (udp != null) {
            channels.add(udp);
        }
        if (tcp != null) {
            channels.add(tcp);
        }
        channels.forEach(channel -> channel.close().awaitUninterruptibly(5, TimeUnit.SECONDS));
        if (upstream != null) {
            upstream.close();
        }
        if (group != null) {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
    }
}
