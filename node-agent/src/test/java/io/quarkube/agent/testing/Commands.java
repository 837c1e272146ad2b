package io.quarkube.agent.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the programs tests drive (kubectl): to their end, with a deadline. */
public final class Commands {

    private Commands() {
    }

    /** How a command ended. */
    public record Outcome(List<String> command, int exitCode, String stdout, String stderr) {
        public String describe() {
            return String.join(" ", command) + "\n  exit code: " + exitCode + "\n  stdout: " + stdout + "\n  stderr: " + stderr;
        }
    }

    /**
     * Runs command, feeding it stdin (null: none), and waits for it to finish. Output goes to files,
     * so a chatty command never blocks on a full pipe; a command still running at the deadline is
     * killed and fails the test with what it printed so far.
     */
    public static Outcome run(List<String> command, String stdin, Duration timeout) {
        try {
            Path out = Files.createTempFile("command-", ".out");
            Path err = Files.createTempFile("command-", ".err");
            try {
                ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
                if (stdin == null) {
                    builder.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
                }
                Process process = builder.start();
                if (stdin != null) {
                    try (OutputStream input = process.getOutputStream()) {
                        input.write(stdin.getBytes(StandardCharsets.UTF_8));
                    }
                }
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                    throw new AssertionError("no exit within " + timeout + ": " + String.join(" ", command)
                            + "\n  stdout so far: " + Files.readString(out) + "\n  stderr so far: " + Files.readString(err));
                }
                return new Outcome(List.copyOf(command), process.exitValue(), Files.readString(out), Files.readString(err));
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
}
