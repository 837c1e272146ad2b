package io.quarkube.agent.testing.controlplane;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

/**
 * A real quarkube control plane for tests: the packaged root project
 * ({@code ../target/quarkus-app/quarkus-run.jar}) started as a child process on a free port with a
 * fresh data directory (so with its own embedded PostgreSQL and Redis), ready once /readyz answers.
 * Issues node kubeconfigs with the control plane's own {@code kubeconfig} command.
 */
public final class ControlPlane implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);

    private final Path dataDir;
    private final int port;
    private final Process process;
    private final Path jar;
    private final KubernetesClient admin;

    private ControlPlane(Path jar, Path dataDir, int port, Process process) {
        this.jar = jar;
        this.dataDir = dataDir;
        this.port = port;
        this.process = process;
        this.admin = client(dataDir.resolve("admin.kubeconfig"));
    }

    /** Starts a control plane and waits until it is ready. */
    public static ControlPlane start() {
        return start(Map.of());
    }

    /** Starts a control plane with these configuration properties (system properties of its JVM) and waits until it is ready. */
    public static ControlPlane start(Map<String, String> properties) {
        Path jar = Path.of("..", "target", "quarkus-app", "quarkus-run.jar").toAbsolutePath().normalize();
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: build the control plane first (mvn -o -q package -DskipTests in the repository root)");
        }
        try {
            Path dataDir = Files.createTempDirectory("quarkube-cp-");
            int port = freePort();
            Path log = dataDir.resolve("control-plane.log");
            List<String> command = new ArrayList<>(List.of(javaBinary(), "-Xmx512m",
                    "-Dquarkube.data-dir=" + dataDir, "-Dquarkube.port=" + port, "-Dquarkube.bind=127.0.0.1"));
            properties.forEach((name, value) -> command.add("-D" + name + "=" + value));
            command.addAll(List.of("-jar", jar.toString()));
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            ControlPlane controlPlane = null;
            try {
                waitForKubeconfig(dataDir, process, log);
                controlPlane = new ControlPlane(jar, dataDir, port, process);
                controlPlane.awaitReady(log);
                return controlPlane;
            } catch (RuntimeException e) {
                if (controlPlane != null) {
                    controlPlane.close();
                } else {
                    stop(process);
                }
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public KubernetesClient admin() {
        return admin;
    }

    /** The admin kubeconfig the control plane wrote (user quarkube-admin), for external clients such as kubectl. */
    public Path adminKubeconfig() {
        return dataDir.resolve("admin.kubeconfig");
    }

    public String serverUrl() {
        return "https://127.0.0.1:" + port;
    }

    /** A kubeconfig for node NAME (user system:node:NAME), written by the control plane's kubeconfig command. */
    public Path nodeKubeconfig(String nodeName) {
        Path out = dataDir.resolve("agents").resolve(nodeName + ".kubeconfig");
        try {
            Process issue = new ProcessBuilder(javaBinary(), "-jar", jar.toString(), "kubeconfig",
                    "--data-dir", dataDir.toString(), "--node", nodeName, "--out", out.toString(), "--server", serverUrl())
                    .redirectErrorStream(true).redirectOutput(dataDir.resolve("kubeconfig-" + nodeName + ".log").toFile()).start();
            if (!issue.waitFor(2, TimeUnit.MINUTES) || issue.exitValue() != 0) {
                issue.destroyForcibly();
                throw new IllegalStateException("kubeconfig command failed: " + Files.readString(dataDir.resolve("kubeconfig-" + nodeName + ".log")));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A Fabric8 client from a kubeconfig file, and nothing else (no ~/.kube, no environment). */
    public static KubernetesClient client(Path kubeconfig) {
        try {
            Config config = Config.fromKubeconfig(Files.readString(kubeconfig));
            config.setRequestTimeout(30_000);
            return new KubernetesClientBuilder().withConfig(config).build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitReady(Path log) {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (true) {
            try {
                String ready = admin.raw(serverUrl() + "/readyz");
                if (ready != null && ready.contains("ok")) {
                    return;
                }
            } catch (RuntimeException notYet) {
                // keep polling until the deadline
            }
            if (!process.isAlive() || Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("control plane did not become ready; log:\n" + tail(log));
            }
            pause();
        }
    }

    private static void waitForKubeconfig(Path dataDir, Process process, Path log) {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (!Files.exists(dataDir.resolve("admin.kubeconfig"))) {
            if (!process.isAlive() || Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("control plane wrote no admin.kubeconfig; log:\n" + tail(log));
            }
            pause();
        }
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static void stop(Process process) {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops the control plane (which stops its PostgreSQL and Redis) and removes its data directory. */
    @Override
    public void close() {
        admin.close();
        stop(process);
        try (var walk = Files.walk(dataDir)) {
            List<Path> paths = new ArrayList<>(walk.toList());
            paths.sort((a, b) -> b.getNameCount() - a.getNameCount());
            paths.forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // a leftover temporary directory is harmless
        }
    }
}
