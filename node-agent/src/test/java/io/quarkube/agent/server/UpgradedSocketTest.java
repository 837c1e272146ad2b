package io.quarkube.agent.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
 * The agent's streams are upgraded once the runtime answers, on a gRPC thread. kubectl sends its
 * first SPDY frame the moment it reads the 101; that frame must reach the tunnel however late the
 * caller sets its handlers. (Before, a frame arriving before them was lost now and then, and
 * kubectl gave up after 30 s waiting for the stream's reply.)
 */
class UpgradedSocketTest {

    private Vertx vertx;
    private ExecutorService runtimeAnswers;
    private int port;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        runtimeAnswers = Executors.newSingleThreadExecutor();
        port = vertx.createHttpServer().requestHandler(request -> {
            request.response().putHeader("Connection", "Upgrade").putHeader("Upgrade", "SPDY/3.1");
            runtimeAnswers.execute(() -> UpgradedSocket.of(request).onSuccess(socket ->
                    vertx.setTimer(100, id -> {
                        socket.handler(socket::write);
                        socket.resume();
                    })));
        }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
    }

    @AfterEach
    void stop() {
        runtimeAnswers.shutdownNow();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET", "POST"})
    void theFirstFrameAfterThe101WaitsForTheTunnel(String method) throws IOException {
        for (int attempt = 0; attempt < 5; attempt++) {
            try (Socket socket = new Socket("127.0.0.1", port)) {
                socket.setSoTimeout(10_000);
                OutputStream out = socket.getOutputStream();
                out.write((method + " /exec/ns/pod/main?command=cat&input=1 HTTP/1.1\r\nHost: node\r\nConnection: Upgrade\r\n"
                        + "Upgrade: SPDY/3.1\r\nContent-Length: 0\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                InputStream in = socket.getInputStream();
                String head = RuntimeStreamProxyTest.readHead(in);
                assertTrue(head.startsWith("HTTP/1.1 101 Switching Protocols\r\n"), head);
                out.write(("first frame " + attempt).getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                assertEquals("first frame " + attempt, new String(in.readNBytes(13), StandardCharsets.ISO_8859_1));
            }
        }
    }
}
