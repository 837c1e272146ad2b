package io.quarkube.api.streaming;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.vertx.core.Vertx;
import io.vertx.core.net.NetSocket;

/**
 * The tunnel between two connections: a front server joins each connection it accepts to one it
 * opens to a far server. Volumes far above a socket's write queue pass intact both ways (the
 * relay pauses and resumes), and either side ending ends the other.
 */
class SocketTunnelTest {

    private static final int MEGABYTES_8 = 8 * 1024 * 1024;

    private Vertx vertx;
    private int frontPort;

    /** What the far server does with a connection. */
    private volatile java.util.function.Consumer<NetSocket> far;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        int farPort = vertx.createNetServer().connectHandler(socket -> far.accept(socket)).listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
        var client = vertx.createNetClient();
        frontPort = vertx.createNetServer().connectHandler(front -> {
            front.pause();
            client.connect(farPort, "127.0.0.1").onSuccess(back -> {
                back.pause();
                SocketTunnel.join(front, back);
            });
        }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
    }

    @AfterEach
    void stop() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @Test
    void manyMegabytesPassBothWaysIntact() throws Exception {
        far = socket -> {
            // an echo that stops reading while its own writes are queued: the tunnel must wait, not buffer everything
            socket.handler(data -> {
                socket.write(data);
                if (socket.writeQueueFull()) {
                    socket.pause();
                    socket.drainHandler(ignored -> socket.resume());
                }
            });
        };
        byte[] sent = new byte[MEGABYTES_8];
        new Random(7).nextBytes(sent);
        try (Socket socket = new Socket("127.0.0.1", frontPort)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> {
                try {
                    out.write(sent);
                    out.flush();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            byte[] received = socket.getInputStream().readNBytes(sent.length);
            writing.get(30, TimeUnit.SECONDS);
            assertArrayEquals(sent, received);
        }
    }

    @Test
    void theFarSideEndingEndsTheClientsConnection() throws Exception {
        far = socket -> socket.handler(data -> socket.end());
        try (Socket socket = new Socket("127.0.0.1", frontPort)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write("bye".getBytes());
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            assertEquals(-1, in.read());
        }
    }
}
