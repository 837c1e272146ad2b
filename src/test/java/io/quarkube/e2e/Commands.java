package io.quarkube.e2e;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs an external program to completion with a deadline. Output goes to files so a chatty
 * program can never block on a full pipe, and both streams end up in failure messages.
 */
final class Commands {

    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    private Commands() {
    }

    static CommandResult run(List<String> command, String stdin, Duration timeout) {
        try {
            Path out = Files.createTempFile("quarkube-e2e-", ".out");
            Path err = Files.createTempFile("quarkube-e2e-", ".err");
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
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                    fail("no exit within " + timeout + ": " + String.join(" ", command) + "\n  stdout: "
                            + Files.readString(out) + "\n  stderr: " + Files.readString(err));
                }
                return new CommandResult(command, process.exitValue(), Files.readString(out), Files.readString(err));
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

    /** Fails (never skips) when an executable a test depends on is not installed. */
    static Path requireExecutable(Path program, String howToInstall) {
        if (!Files.isExecutable(program)) {
            fail(program + " is not installed (" + howToInstall + ")");
        }
        return program;
    }
}
