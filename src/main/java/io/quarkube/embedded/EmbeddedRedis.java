package io.quarkube.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.jboss.logging.Logger;

/**
 * A Redis server run as a child process from the binary in {@code com.github.codemonstur:embedded-redis}.
 * quarkube uses Redis only for pub/sub, so it runs without persistence.
 */
public final class EmbeddedRedis implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(EmbeddedRedis.class);
    private static final String BINARY = "redis-server-6.2.6-v5-linux-amd64";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    private final Process process;
    private final int port;

    private EmbeddedRedis(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    public static EmbeddedRedis start(Path dataDir) {
        try {
            Path binary = BundledBinaries.copyExecutable(BINARY, dataDir.resolve("bin").resolve("redis-server"));
            Path log = dataDir.resolve("redis.log");
            int port = ChildProcesses.freeLoopbackPort();
            Process process = new ProcessBuilder(binary.toString(), "--port", Integer.toString(port),
                    "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--protected-mode", "yes",
                    "--dir", dataDir.toString(), "--loglevel", "warning")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            EmbeddedRedis redis = new EmbeddedRedis(process, port);
            redis.awaitReady(log);
            LOG.infof("embedded Redis ready on 127.0.0.1:%d", port);
            return redis;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start embedded Redis in " + dataDir, e);
        }
    }

    private void awaitReady(Path log) {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("embedded Redis exited with code " + process.exitValue() + "; see " + log);
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                socket.getOutputStream().write("PING\r\n".getBytes());
                byte[] reply = socket.getInputStream().readNBytes(7);
                if (new String(reply).startsWith("+PONG")) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for Redis", e);
            }
        }
        close();
        throw new IllegalStateException("embedded Redis not ready after " + START_TIMEOUT.toSeconds() + " s; see " + log);
    }

    public int port() {
        return port;
    }

    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    @Override
    public void close() {
        ChildProcesses.stop(process, 5000);
    }

}
