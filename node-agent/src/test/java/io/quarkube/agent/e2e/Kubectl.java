package io.quarkube.agent.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.quarkube.agent.testing.Commands;

/**
 * One installed kubectl release (a binary of the Google Cloud SDK) pointed at a control plane
 * through a kubeconfig; every command has a deadline ({@link Commands}).
 */
record Kubectl(int minor, Path kubeconfig) {

    private static final Path SDK_BIN = Path.of("/usr/lib/google-cloud-sdk/bin");
    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    /** How a command ended. */
    record Result(List<String> command, int exitCode, String stdout, String stderr) {
        String describe() {
            return new Commands.Outcome(command, exitCode, stdout, stderr).describe();
        }
    }

    Path binary() {
        Path binary = SDK_BIN.resolve("kubectl.1." + minor);
        if (!Files.isExecutable(binary)) {
            fail(binary + " is not installed (the Google Cloud SDK's kubectl components)");
        }
        return binary;
    }

    Result run(String... args) {
        return runWithInput(null, args);
    }

    /** Runs the command, failing the test unless kubectl exits with 0. */
    Result ok(String... args) {
        Result result = run(args);
        assertEquals(0, result.exitCode(), result::describe);
        return result;
    }

    /** Runs the command with stdin (for {@code -f -}), failing the test unless kubectl exits with 0. */
    Result okWithInput(String stdin, String... args) {
        Result result = runWithInput(stdin, args);
        assertEquals(0, result.exitCode(), result::describe);
        return result;
    }

    /** Runs the command with stdin (null: none), whatever its exit code. */
    Result runWithInput(String stdin, String... args) {
        List<String> command = new ArrayList<>();
        command.add(binary().toString());
        command.add("--kubeconfig=" + kubeconfig);
        command.addAll(List.of(args));
        Commands.Outcome outcome = Commands.run(command, stdin, TIMEOUT);
        return new Result(outcome.command(), outcome.exitCode(), outcome.stdout(), outcome.stderr());
    }

    @Override
    public String toString() {
        return "kubectl 1." + minor;
    }
}
