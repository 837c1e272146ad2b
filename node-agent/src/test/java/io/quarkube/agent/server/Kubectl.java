package io.quarkube.agent.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.quarkube.agent.testing.Commands;

/** One real kubectl binary (e.g. 1.27, 1.33) pointed at a kubeconfig. */
record Kubectl(String version, Path kubeconfig) {

    static final Path BINARIES = Path.of("/usr/lib/google-cloud-sdk/bin");
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    record Result(int exitCode, String stdout, String stderr) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\nstdout: " + stdout + "\nstderr: " + stderr;
        }
    }

    Path binary() {
        Path binary = BINARIES.resolve("kubectl." + version);
        if (!Files.isExecutable(binary)) {
            throw new IllegalStateException(binary + " is missing");
        }
        return binary;
    }

    /** Runs kubectl with args, feeding stdin (may be null), and waits for it to finish. */
    Result run(String stdin, String... args) {
        Commands.Outcome outcome = Commands.run(command(args), stdin, TIMEOUT);
        return new Result(outcome.exitCode(), outcome.stdout(), outcome.stderr());
    }

    /**
     * Runs kubectl in a terminal of the given size (a pseudo-terminal from util-linux's
     * {@code script}), as a user at a terminal does, and waits for it to finish. The terminal's
     * output is the result's stdout; kubectl's exit code is the result's.
     */
    Result runInTerminal(int columns, int rows, String... args) {
        StringBuilder line = new StringBuilder("stty cols " + columns + " rows " + rows + " &&");
        for (String word : command(args)) {
            line.append(" '").append(word.replace("'", "'\\''")).append("'");
        }
        try {
            Path out = Files.createTempFile("kubectl", ".out");
            try {
                Process process = new ProcessBuilder("script", "--quiet", "--return", "--command", line.toString(), "/dev/null")
                        .redirectOutput(out.toFile()).redirectErrorStream(true)
                        .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
                if (!process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new AssertionError("kubectl " + String.join(" ", args) + " in a terminal did not finish within " + TIMEOUT
                            + "; output so far: " + Files.readString(out));
                }
                return new Result(process.exitValue(), Files.readString(out), "");
            } finally {
                Files.deleteIfExists(out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Starts a long-running kubectl (port-forward); its output lines are collected as they come. */
    Background start(String... args) {
        try {
            Process process = new ProcessBuilder(command(args)).redirectErrorStream(true).start();
            Background background = new Background(process, new CopyOnWriteArrayList<>());
            Thread reader = new Thread(() -> {
                try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = lines.readLine()) != null) {
                        background.lines().add(line);
                    }
                } catch (IOException ended) {
                    // the process was stopped
                }
            }, "kubectl-output");
            reader.setDaemon(true);
            reader.start();
            return background;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    record Background(Process process, List<String> lines) implements AutoCloseable {
        @Override
        public void close() {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private List<String> command(String... args) {
        List<String> command = new ArrayList<>();
        command.add(binary().toString());
        command.add("--kubeconfig=" + kubeconfig);
        command.addAll(List.of(args));
        return command;
    }
}
