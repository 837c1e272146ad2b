package io.quarkube.agent.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One installed kubectl release (a binary of the Google Cloud SDK) pointed at a control plane
 * through a kubeconfig. Output goes to files, so a chatty command never blocks on a full pipe,
 * and every command has a deadline.
 */
record Kubectl(int minor, Path kubeconfig) {

    private static final Path SDK_BIN = Path.of("/usr/lib/google-cloud-sdk/bin");
    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    /** How a command ended. */
    record Result(List<String> command, int exitCode, String stdout, String stderr) {
        String describe() {
            return String.join(" ", command) + "\n  exit code: " + exitCode + "\n  stdout: " + stdout + "\n  stderr: " + stderr;
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
        try {
            Path out = Files.createTempFile("kubectl-", ".out");
            Path err = Files.createTempFile("kubectl-", ".err");
            try {
                ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
                if (stdin == null) {
                    builder.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
                }
                Process process = builder.start();
                if (stdin != null) {
                    try (var input = process.getOutputStream()) {
                        input.write(stdin.getBytes(StandardCharsets.UTF_8));
                    }
                }
                if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                    fail("no exit within " + TIMEOUT + ": " + String.join(" ", command) + "\n  stdout: "
                            + Files.readString(out) + "\n  stderr: " + Files.readString(err));
                }
                return new Result(command, process.exitValue(), Files.readString(out), Files.readString(err));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "kubectl 1." + minor;
    }
}
