package io.quarkube.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import io.quarkube.testing.TestCluster;

/**
 * One installed kubectl release (a binary from the Google Cloud SDK), pointed at the control plane
 * under test through the admin kubeconfig.
 */
public record Kubectl(int minor) {

    static final Path SDK_BIN = Path.of("/usr/lib/google-cloud-sdk/bin");

    /** The releases the end-to-end tests cover: oldest JSON-only, middle, and protobuf-bodied. */
    static Stream<Kubectl> versions() {
        return Stream.of(new Kubectl(27), new Kubectl(30), new Kubectl(33));
    }

    /** 1.32 and later send generator commands' bodies as Kubernetes protobuf. */
    boolean sendsProtobufBodies() {
        return minor >= 32;
    }

    /** The namespace this release's objects live in, so releases never see each other's objects. */
    String namespace() {
        return "kubectl-1-" + minor;
    }

    Path binary() {
        return Commands.requireExecutable(SDK_BIN.resolve("kubectl.1." + minor), "the Google Cloud SDK's kubectl components");
    }

    List<String> command(List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(binary().toString());
        command.add("--kubeconfig=" + TestCluster.kubeconfig());
        command.addAll(args);
        return command;
    }

    CommandResult run(String... args) {
        return Commands.run(command(List.of(args)), null, Commands.DEFAULT_TIMEOUT);
    }

    /** Runs in this release's namespace. */
    CommandResult inNamespace(String... args) {
        List<String> all = new ArrayList<>(List.of("--namespace=" + namespace()));
        all.addAll(List.of(args));
        return Commands.run(command(all), null, Commands.DEFAULT_TIMEOUT);
    }

    /** Runs in this release's namespace and fails the test unless kubectl exits with 0. */
    CommandResult ok(String... args) {
        CommandResult result = inNamespace(args);
        assertEquals(0, result.exitCode(), result::describe);
        return result;
    }

    /**
     * Runs in this release's namespace with no kubeconfig: the server, the cluster CA and a bearer
     * token only, as a workload outside the cluster reaches the API with a service account token.
     */
    CommandResult withToken(String token, String... args) {
        List<String> all = new ArrayList<>(List.of(binary().toString(), "--kubeconfig=/dev/null", "--server=" + TestCluster.url(),
                "--certificate-authority=" + TestCluster.dataDir().resolve("ca.crt"), "--token=" + token,
                "--namespace=" + namespace()));
        all.addAll(List.of(args));
        return Commands.run(all, null, Commands.DEFAULT_TIMEOUT);
    }

    /** Runs in this release's namespace with {@code args} reading {@code -f -} from the given text. */
    CommandResult withInput(String stdin, String... args) {
        List<String> all = new ArrayList<>(List.of("--namespace=" + namespace()));
        all.addAll(List.of(args));
        return Commands.run(command(all), stdin, Commands.DEFAULT_TIMEOUT);
    }

    /** Starts a long-running command (such as {@code get -w}) in this release's namespace. */
    BackgroundCommand start(String... args) {
        List<String> all = new ArrayList<>(List.of("--namespace=" + namespace()));
        all.addAll(List.of(args));
        try {
            return BackgroundCommand.start(command(all));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Creates this release's namespace unless it exists already. */
    void ensureNamespace() {
        CommandResult result = run("create", "namespace", namespace());
        if (result.exitCode() != 0 && !result.stderr().contains("AlreadyExists")) {
            throw new AssertionError(result.describe());
        }
    }

    @Override
    public String toString() {
        return "kubectl 1." + minor;
    }
}
