package io.quarkube.agent.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.net.NetServer;

/**
 * The byte-level tunnel after an upgrade. The far end is a small socket server that answers the
 * upgrade the way containerd's streaming server does (101 with the negotiated
 * X-Stream-Protocol-Version) and then echoes bytes; the end-to-end test covers containerd itself.
 */
class RuntimeStreamProxyTest {

    private Vertx vertx;
    private int proxyPort;
    private RuntimeStreamProxy proxy;
    private final StringBuilder upstreamRequest = new StringBuilder();

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        NetServer upstream = vertx.createNetServer().connectHandler(socket -> {
            boolean[] upgraded = new boolean[1];
            socket.handler(data -> {
                if (upgraded[0]) {
                    socket.write(data);
                    return;
                }
                upstreamRequest.append(data.toString(StandardCharsets.ISO_8859_1));
                if (upstreamRequest.indexOf("\r\n\r\n") >= 0) {
                    upgraded[0] = true;
                    socket.write("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\n"
                            + "X-Stream-Protocol-Version: v4.channel.k8s.io\r\n\r\n");
                }
            });
        });
        int upstreamPort = upstream.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
        proxy = new RuntimeStreamProxy(vertx);
        HttpServer server = vertx.createHttpServer().requestHandler(request ->
                proxy.proxy(request, "http://127.0.0.1:" + upstreamPort + "/exec/token"));
        proxyPort = server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
    }

    @AfterEach
    void stop() {
        proxy.close();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @Test
    void aPostUpgradeBecomesATunnelWithTheRuntimesHeaders() throws IOException {
        try (Socket socket = new Socket("127.0.0.1", proxyPort)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /exec/ns/pod/main?command=ls&output=1 HTTP/1.1\r\nHost: node\r\nConnection: Upgrade\r\n"
                    + "Upgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: v4.channel.k8s.io\r\n"
                    + "X-Stream-Protocol-Version: channel.k8s.io\r\nContent-Length: 0\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            String head = readHead(in);
            assertTrue(head.startsWith("HTTP/1.1 101 "), head);
            assertTrue(head.toLowerCase().contains("x-stream-protocol-version: v4.channel.k8s.io"), head);
            assertTrue(head.toLowerCase().contains("upgrade: spdy/3.1"), head);

            out.write("ping".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            assertEquals("ping", new String(in.readNBytes(4), StandardCharsets.ISO_8859_1));
        }
        // passed on as GET, which the runtimes' streaming servers take as well as POST
        assertTrue(upstreamRequest.toString().startsWith("GET /exec/token HTTP/1.1"), upstreamRequest::toString);
        assertTrue(upstreamRequest.toString().contains("X-Stream-Protocol-Version: channel.k8s.io"), upstreamRequest::toString);
    }

    /** The head of an HTTP response, up to and with its blank line. */
    static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

}
