package io.quarkube.agent.testing.containerd;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.quarkube.agent.cri.CriRuntime;
import io.quarkube.agent.cri.CriRuntimeSettings;
import io.quarkube.agent.cri.v1.ListPodSandboxRequest;
import io.quarkube.agent.cri.v1.PodSandbox;
import io.quarkube.agent.cri.v1.RemovePodSandboxRequest;
import io.quarkube.agent.cri.v1.StopPodSandboxRequest;
import io.quarkube.agent.cri.v1.VersionRequest;
import io.quarkube.agent.runtime.RuntimeCallException;
import io.quarkube.agent.testing.TestAgents;

/**
 * A real containerd (with runc and CNI bridge networking) for tests, one per test JVM: started by
 * {@code node-agent/testing/containerd-up.sh} under a directory of this worktree's own, with the test
 * images {@link #BUSYBOX_IMAGE} and {@link #PAUSE_IMAGE} imported. A containerd already answering
 * there is reused and left running, unless a test JVM that has since died started it: then it is
 * adopted. One started (or adopted) here is stopped by {@link #close()}, which the
 * {@link ContainerdExtension} calls at the end of the test run.
 *
 * <p>The directory is {@code -Dquarkube.test.containerd.dir}, else {@code $QUARKUBE_TEST_CONTAINERD_DIR},
 * else {@code /tmp/quarkube-containerd-<hash of the node-agent directory>} (short, as unix socket paths must be).
 */
public final class TestContainerd implements AutoCloseable {

    public static final String BUSYBOX_IMAGE = "quarkube.test/busybox:1";
    public static final String PAUSE_IMAGE = "quarkube.test/pause:1";
    /** Parent cgroup (cgroupfs syntax) for test pods, so what containerd leaves behind can be found and removed. */
    public static final String CGROUP_ROOT = "quarkube-test";

    private static final Duration SCRIPT_TIMEOUT = Duration.ofSeconds(90);
    private static final Path CGROUP_FS = Path.of("/sys/fs/cgroup");
    /** Records the pid of the test JVM that started containerd. */
    private static final String OWNER_FILE = "test-run.pid";

    private final Path testingDir;
    private final Path dir;
    private final Path socket;
    private final boolean startedHere;
    private final CriRuntime runtime;

    private TestContainerd(Path testingDir, Path dir, Path socket, boolean startedHere) {
        this.testingDir = testingDir;
        this.dir = dir;
        this.socket = socket;
        this.startedHere = startedHere;
        this.runtime = CriRuntime.connect(CriRuntimeSettings.of(socket).withRequestTimeout(Duration.ofSeconds(30)));
    }

    /** Starts containerd under the test directory unless it already answers there, and imports the test images. */
    public static TestContainerd start() {
        Path testingDir = nodeAgentDir().resolve("testing");
        Path dir = containerdDir();
        Path socket = dir.resolve("containerd.sock");
        Path owner = dir.resolve(OWNER_FILE);
        boolean ours = !answers(socket) || startedByADeadTestRun(owner);
        String printed = run(testingDir.resolve("containerd-up.sh").toString(), dir.toString()).strip();
        Path announced = Path.of(printed.lines().reduce((first, last) -> last).orElseThrow());
        if (!announced.equals(socket)) {
            throw new IllegalStateException("containerd-up.sh announced " + announced + ", expected " + socket);
        }
        if (ours) {
            writeString(owner, Long.toString(ProcessHandle.current().pid()));
        }
        return new TestContainerd(testingDir, dir, socket, ours);
    }

    /** Whether the test JVM recorded as having started this containerd has exited without stopping it. */
    private static boolean startedByADeadTestRun(Path owner) {
        try {
            long pid = Long.parseLong(Files.readString(owner).strip());
            return ProcessHandle.of(pid).map(process -> !process.isAlive()).orElse(true);
        } catch (IOException | NumberFormatException noOwner) {
            return false; // started by hand (containerd-up.sh): not ours to stop
        }
    }

    private static void writeString(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path socket() {
        return socket;
    }

    public Path dir() {
        return dir;
    }

    /** A client of this containerd, shared by the tests; closed with the fixture. */
    public CriRuntime runtime() {
        return runtime;
    }

    /** Whether this JVM started containerd (and so stops it). */
    public boolean startedHere() {
        return startedHere;
    }

    /**
     * Stops the containerd daemon alone, as a crash or an upgrade of it would: SIGTERM, then SIGKILL
     * after a while. The shims and so the containers keep running; {@link #startDaemon()} brings it back.
     */
    public void stopDaemon() {
        Path pidFile = dir.resolve("containerd.pid");
        long pid;
        try {
            pid = Long.parseLong(Files.readString(pidFile).strip());
        } catch (IOException | NumberFormatException e) {
            throw new IllegalStateException("no containerd.pid under " + dir + ": containerd was not started by containerd-up.sh", e);
        }
        ProcessHandle daemon = ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .orElseThrow(() -> new IllegalStateException("containerd (pid " + pid + ") is not running"));
        daemon.destroy();
        try {
            daemon.onExit().get(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException stillThere) {
            daemon.destroyForcibly();
            daemon.onExit().join();
        } catch (java.util.concurrent.ExecutionException | InterruptedException e) {
            throw new IllegalStateException("waiting for containerd to exit", e);
        }
        if (answers(socket)) {
            throw new IllegalStateException("containerd still answers on " + socket + " after it was stopped");
        }
    }

    /** Starts containerd again after {@link #stopDaemon()}; returns once it answers on the same socket. */
    public void startDaemon() {
        run(testingDir.resolve("containerd-up.sh").toString(), dir.toString());
    }

    /** A cgroup parent under {@link #CGROUP_ROOT} for one test pod. */
    public static String cgroupParent(String podUid) {
        return "/" + CGROUP_ROOT + "/pod" + podUid;
    }

    public Set<String> sandboxIds() {
        return runtime.listPodSandbox(ListPodSandboxRequest.getDefaultInstance())
                .await().atMost(Duration.ofSeconds(30))
                .getItemsList().stream().map(PodSandbox::getId).collect(Collectors.toSet());
    }

    /**
     * Stops and removes the given sandboxes through the CRI, which also releases their addresses and host ports.
     * A stopped agent's last CRI calls may still be running in containerd (a sandbox stopping, or removed by
     * the agent meanwhile), so a refused removal is tried again until a deadline, and one already gone counts.
     */
    public void removeSandboxes(Iterable<String> ids) {
        List<RuntimeException> failures = new ArrayList<>();
        for (String id : ids) {
            RuntimeException[] refusal = new RuntimeException[1];
            try {
                TestAgents.await(Duration.ofSeconds(60), () -> "sandbox " + id + " removed, last refusal: " + refusal[0], () -> {
                    refusal[0] = removeSandbox(id);
                    return refusal[0] == null;
                });
            } catch (AssertionError timedOut) {
                failures.add(refusal[0]);
            }
        }
        removeEmptyTestCgroups();
        if (!failures.isEmpty()) {
            IllegalStateException failure = new IllegalStateException("could not remove all test sandboxes");
            failures.forEach(failure::addSuppressed);
            throw failure;
        }
    }

    /** Stops and removes one sandbox; the runtime's refusal, or null once it is gone. */
    private RuntimeException removeSandbox(String id) {
        try {
            runtime.stopPodSandbox(StopPodSandboxRequest.newBuilder().setPodSandboxId(id).build())
                    .chain(() -> runtime.removePodSandbox(RemovePodSandboxRequest.newBuilder().setPodSandboxId(id).build()))
                    .await().atMost(Duration.ofSeconds(60));
            return null;
        } catch (RuntimeException e) {
            return e instanceof RuntimeCallException call && call.isNotFound() ? null : e;
        }
    }

    /** Removes the cgroups containerd leaves behind under {@link #CGROUP_ROOT}; see {@link #removeEmptyCgroups}. */
    public static void removeEmptyTestCgroups() {
        removeEmptyCgroups(CGROUP_ROOT);
    }

    /**
     * Removes the empty cgroups under {@code parent} (cgroupfs syntax, e.g. "kubepods") in every hierarchy,
     * the parent included. Only empty cgroups can be removed, so those of pods still running stay.
     */
    public static void removeEmptyCgroups(String parent) {
        String relative = parent.startsWith("/") ? parent.substring(1) : parent;
        try (Stream<Path> hierarchies = Files.list(CGROUP_FS)) {
            for (Path hierarchy : hierarchies.toList()) {
                Path root = hierarchy.resolve(relative);
                if (!Files.isDirectory(root)) {
                    continue;
                }
                try (Stream<Path> tree = Files.walk(root)) {
                    tree.filter(Files::isDirectory).sorted(Comparator.reverseOrder()).forEach(cgroup -> {
                        try {
                            Files.delete(cgroup); // rmdir(2) of a cgroup; its control files go with it
                        } catch (IOException stillInUse) {
                            // a cgroup with processes or children: not ours to force
                        }
                    });
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Removes every sandbox left in this containerd if this JVM started it, and stops it; a containerd
     * that was already running is left as found, apart from the client closing.
     */
    @Override
    public void close() {
        try {
            if (startedHere) {
                removeSandboxes(sandboxIds());
            }
        } finally {
            runtime.close();
            if (startedHere) {
                run(testingDir.resolve("containerd-down.sh").toString(), dir.toString());
                try {
                    Files.deleteIfExists(dir.resolve(OWNER_FILE));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }

    static boolean answers(Path socket) {
        if (!Files.exists(socket)) {
            return false;
        }
        try (CriRuntime probe = CriRuntime.connect(CriRuntimeSettings.of(socket).withRequestTimeout(Duration.ofSeconds(2)))) {
            probe.version(VersionRequest.getDefaultInstance()).await().atMost(Duration.ofSeconds(5));
            return true;
        } catch (RuntimeException notAnswering) {
            return false;
        }
    }

    static Path nodeAgentDir() {
        // Surefire runs tests in the module directory; the IDE may run them from the repository root.
        Path here = Path.of("").toAbsolutePath();
        for (Path candidate : List.of(here, here.resolve("node-agent"))) {
            if (Files.isRegularFile(candidate.resolve("testing/containerd-up.sh"))) {
                return candidate;
            }
        }
        throw new IllegalStateException("node-agent/testing/containerd-up.sh not found from " + here);
    }

    static Path containerdDir() {
        String configured = System.getProperty("quarkube.test.containerd.dir", System.getenv("QUARKUBE_TEST_CONTAINERD_DIR"));
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath();
        }
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256")
                    .digest(nodeAgentDir().toString().getBytes(StandardCharsets.UTF_8));
            return Path.of("/tmp", "quarkube-containerd-" + HexFormat.of().formatHex(hash, 0, 4));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String run(String... command) {
        try {
            Path output = Files.createTempFile("quarkube-containerd", ".out");
            try {
                Process process = new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(output.toFile())
                        .start();
                if (!process.waitFor(SCRIPT_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new IllegalStateException(String.join(" ", command) + " did not finish within " + SCRIPT_TIMEOUT);
                }
                String text = Files.readString(output);
                if (process.exitValue() != 0) {
                    throw new IllegalStateException(String.join(" ", command) + " failed (" + process.exitValue() + "):\n" + text);
                }
                return text;
            } finally {
                Files.deleteIfExists(output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
