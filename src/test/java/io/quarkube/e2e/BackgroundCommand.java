package io.quarkube.e2e;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A command that keeps running (a watch) while the test acts. Its stdout lines are read on a
 * thread of their own into a queue the test waits on with a deadline; closing kills it.
 */
final class BackgroundCommand implements AutoCloseable {

    private final List<String> command;
    private final Process process;
    private final Path stderr;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> seen = new ArrayList<>();

    private BackgroundCommand(List<String> command, Process process, Path stderr) {
        this.command = command;
        this.process = process;
        this.stderr = stderr;
        Thread reader = new Thread(this::readLines, "e2e-output-" + process.pid());
        reader.setDaemon(true);
        reader.start();
    }

    static BackgroundCommand start(List<String> command) throws IOException {
        Path stderr = Files.createTempFile("quarkube-e2e-", ".err");
        Process process = new ProcessBuilder(command).redirectError(stderr.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
        return new BackgroundCommand(command, process, stderr);
    }

    private void readLines() {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                lines.add(line);
            }
        } catch (IOException e) {
            // the process was killed; the lines read so far stay in the queue
        }
    }

    /** Waits for the next output line that matches, failing the test once the deadline passes. */
    String awaitLine(Predicate<String> matches, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                String line = left > 0 ? lines.poll(left, TimeUnit.NANOSECONDS) : null;
                if (line == null) {
                    fail("no matching line within " + within + " from " + String.join(" ", command) + "\n  lines: " + seen
                            + "\n  alive: " + process.isAlive() + "\n  stderr: " + Files.readString(stderr));
                }
                seen.add(line);
                if (matches.test(line)) {
                    return line;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every line read so far, in order. */
    List<String> seen() {
        return List.copyOf(seen);
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        Files.deleteIfExists(stderr);
    }
}
