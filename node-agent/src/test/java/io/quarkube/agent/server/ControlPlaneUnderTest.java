package io.quarkube.agent.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

/**
 * The real control plane, run from its packaged application ({@code ../target/quarkus-app}, built
 * by {@code mvn package} in the repository root) as a separate process with its embedded PostgreSQL
 * and Redis in a data directory of the test's own. Stopping it stops those too.
 */
final class ControlPlaneUnderTest implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

    private final Process process;
    private final Path dataDir;
    private final int port;

    private ControlPlaneUnderTest(Process process, Path dataDir, int port) {
        this.process = process;
        this.dataDir = dataDir;
        this.port = port;
    }

    static ControlPlaneUnderTest start(Path dataDir) throws IOException {
        Path application = repositoryRoot().resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(application)) {
            throw new IllegalStateException(application + " is missing: package the control plane first (mvn package in the repository root)");
        }
        int port = freePort();
        Path log = dataDir.resolve("control-plane.log");
        Process process = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Dquarkube.data-dir=" + dataDir, "-Dquarkube.port=" + port,
                "-Dquarkube.bind=127.0.0.1", "-jar", application.toString()))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        ControlPlaneUnderTest controlPlane = new ControlPlaneUnderTest(process, dataDir, port);
        try {
            controlPlane.awaitReady(log);
        } catch (RuntimeException e) {
            controlPlane.close();
            throw e;
        }
        return controlPlane;
    }

    Path kubeconfig() {
        return dataDir.resolve("admin.kubeconfig");
    }

    String caPem() throws IOException {
        return Files.readString(dataDir.resolve("ca.crt"));
    }

    KubernetesClient client() throws IOException {
        return new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(Files.readString(kubeconfig()))).build();
    }

    /** Ready once the admin kubeconfig exists and the HTTPS port accepts connections and answers /readyz. */
    private void awaitReady(Path log) {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the control plane exited with " + process.exitValue() + "; see " + log);
            }
            if (Files.exists(kubeconfig()) && accepts() && readyz()) {
                return;
            }
            Polling.pause();
        }
        throw new IllegalStateException("the control plane was not ready within " + START_TIMEOUT + "; see " + log);
    }

    private boolean accepts() {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            return true;
        } catch (IOException notYet) {
            return false;
        }
    }

    private boolean readyz() {
        try (KubernetesClient client = client()) {
            return "ok".equals(client.raw("/readyz"));
        } catch (IOException | RuntimeException notYet) {
            return false;
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path repositoryRoot() {
        Path here = Path.of("").toAbsolutePath();
        for (Path candidate : List.of(here.getParent(), here)) {
            if (candidate != null && Files.exists(candidate.resolve("node-agent/pom.xml")) && Files.exists(candidate.resolve("pom.xml"))) {
                return candidate;
            }
        }
        throw new IllegalStateException("repository root not found from " + here);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
