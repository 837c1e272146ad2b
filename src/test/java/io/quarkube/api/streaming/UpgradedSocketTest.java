package io.quarkube.api.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.vertx.core.Vertx;

/**
 * Upgrading a request's connection to a socket with GET (what WebSocket clients send) and POST
 * (what kubectl up to 1.29 sends for SPDY): the client gets the 101 with the headers set on the
 * response, then the bytes of the tunnel, here an echo.
 */
class UpgradedSocketTest {

    private Vertx vertx;
    private int port;
    /** Upgrades started on a thread of no event loop, as a storage or gRPC callback may start them. */
    private ExecutorService callbacks;
    private int latePort;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        port = vertx.createHttpServer().requestHandler(request -> {
            request.response().putHeader("Connection", "Upgrade").putHeader("Upgrade", "SPDY/3.1")
                    .putHeader("X-Stream-Protocol-Version", "v4.channel.k8s.io");
            UpgradedSocket.of(request).onSuccess(socket -> {
                socket.handler(socket::write);
                socket.resume();
            });
        }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
        callbacks = Executors.newSingleThreadExecutor();
        latePort = vertx.createHttpServer().requestHandler(request -> {
            request.response().putHeader("Connection", "Upgrade").putHeader("Upgrade", "SPDY/3.1");
            callbacks.execute(() -> UpgradedSocket.of(request).onSuccess(socket ->
                    // the caller sets its handlers well after the client's first bytes arrived
                    vertx.setTimer(100, id -> {
                        socket.handler(socket::write);
                        socket.resume();
                    })));
        }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
    }

    @AfterEach
    void stop() {
        callbacks.shutdownNow();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET", "POST"})
    void anUpgradeBecomesASocketAfterThe101(String method) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write((method + " /api/v1/namespaces/ns/pods/p/exec?command=ls HTTP/1.1\r\nHost: server\r\nConnection: Upgrade\r\n"
                    + "Upgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: v4.channel.k8s.io\r\nContent-Length: 0\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            String head = readHead(in);
            assertTrue(head.startsWith("HTTP/1.1 101 Switching Protocols\r\n"), head);
            assertTrue(head.toLowerCase().contains("x-stream-protocol-version: v4.channel.k8s.io\r\n"), head);
            assertTrue(head.toLowerCase().contains("upgrade: spdy/3.1\r\n"), head);

            out.write("tunnelled bytes".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            assertEquals("tunnelled bytes", new String(in.readNBytes(15), StandardCharsets.ISO_8859_1));
        }
    }

    /**
     * The client sends its first frame the moment it reads the 101. Started off the connection's
     * event loop and answered late, the upgrade still hands that frame to the caller's handlers:
     * the socket comes back paused. (Unpaused, Vert.x drops what arrives before a handler.)
     */
    @ParameterizedTest
    @ValueSource(strings = {"GET", "POST"})
    void bytesSentRightAfterThe101WaitForALateCaller(String method) throws IOException {
        for (int attempt = 0; attempt < 5; attempt++) {
            try (Socket socket = new Socket("127.0.0.1", latePort)) {
                socket.setSoTimeout(10_000);
                OutputStream out = socket.getOutputStream();
                out.write((method + " /exec HTTP/1.1\r\nHost: server\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\n"
                        + "Content-Length: 0\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                InputStream in = socket.getInputStream();
                String head = readHead(in);
                assertTrue(head.startsWith("HTTP/1.1 101 Switching Protocols\r\n"), head);
                out.write(("first frame " + attempt).getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                assertEquals("first frame " + attempt, new String(in.readNBytes(13), StandardCharsets.ISO_8859_1));
            }
        }
    }

    private static String readHead(InputStream in) throws IOException {
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
