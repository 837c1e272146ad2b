package io.quarkube.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A control-plane replica run from the packaged application ({@code target/quarkus-app}) as a
 * separate process, sharing a data directory (certificates) and external PostgreSQL and Redis.
 */
public final class ControlPlaneProcess implements AutoCloseable {

    private static final Path APPLICATION = Path.of("target/quarkus-app/quarkus-run.jar").toAbsolutePath();
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private final Process process;
    private final int port;
    private final Path log;

    private ControlPlaneProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /**
     * Starts a replica on a free port and waits until it answers /readyz.
     *
     * @param storage the Quarkus configuration of the shared storage: quarkus.datasource.reactive.url,
     *                quarkus.datasource.username, quarkus.redis.hosts
     */
    /** Stops replicas and the storage they share, in the order given; a failure to stop one does not keep the others running. */
    public static void stopAll(AutoCloseable... closeables) {
        for (AutoCloseable closeable : closeables) {
            try {
                if (closeable != null) {
                    closeable.close();
                }
            } catch (Exception e) {
                e.printStackTrace();
            }
        }
    }

    public static ControlPlaneProcess start(String name, Path dataDir, Map<String, String> storage) throws IOException {
        return start(name, dataDir, storage, Map.of());
    }

    /** Starts a replica with more configuration (system properties), e.g. short leader-election leases. */
    public static ControlPlaneProcess start(String name, Path dataDir, Map<String, String> storage, Map<String, String> settings)
            throws IOException {
        if (!Files.exists(APPLICATION)) {
            throw new IllegalStateException(APPLICATION + " is missing: package the application first (mvn package)");
        }
        int port = ControlPlaneTestResource.freePort();
        Path log = dataDir.resolve(name + ".log");
        List<String> command = new java.util.ArrayList<>(List.of(javaExecutable(), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-Dquarkube.data-dir=" + dataDir, "-Dquarkube.port=" + port, "-Dquarkube.bind=127.0.0.1",
                "-Dquarkus.datasource.username=" + storage.get("quarkus.datasource.username")));
        settings.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.addAll(List.of("-jar", APPLICATION.toString()));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("QUARKUBE_DATABASE_URL", storage.get("quarkus.datasource.reactive.url"));
        builder.environment().put("QUARKUBE_REDIS_URL", storage.get("quarkus.redis.hosts"));
        ControlPlaneProcess replica = new ControlPlaneProcess(builder.start(), port, log);
        try {
            replica.awaitReady(dataDir);
        } catch (RuntimeException e) {
            replica.close();
            throw e;
        }
        return replica;
    }

    public String url() {
        return "https://127.0.0.1:" + port;
    }

    private void awaitReady(Path dataDir) {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("replica exited with " + process.exitValue() + "; see " + log);
            }
            try {
                if (new KubeHttp(dataDir).send("GET", url() + "/readyz", null).status() == 200) {
                    return;
                }
            } catch (UncheckedIOException notListeningYet) {
                // keep polling until the deadline
            }
            try {
                TimeUnit.MILLISECONDS.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("replica not ready within " + START_TIMEOUT + "; see " + log);
    }

    private static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Ends the replica at once (SIGKILL), as a crash would: no shutdown, no lease released. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
