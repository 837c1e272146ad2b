package io.quarkube.agent.proxy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs iptables-save and iptables-restore --noflush: the only place the service proxy touches the kernel. */
public final class Iptables {

    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    private final String save;
    private final String restore;

    public Iptables(String save, String restore) {
        this.save = save;
        this.restore = restore;
    }

    public static Iptables system() {
        return new Iptables("iptables-save", "iptables-restore");
    }

    /** iptables-save of the given tables, concatenated. */
    public String save(List<String> tables) {
        StringBuilder out = new StringBuilder();
        for (String table : tables) {
            out.append(run(List.of(save, "-t", table), null));
        }
        return out.toString();
    }

    /** Applies a script with iptables-restore --noflush (waiting for the xtables lock); throws with iptables' message on failure. */
    public void restore(String script) {
        if (script == null || script.isEmpty()) {
            return;
        }
        run(List.of(restore, "-w", "5", "--noflush"), script);
    }

    private static String run(List<String> command, String input) {
        Path output = null;
        try {
            output = Files.createTempFile("quarkube-iptables", ".out");
            Process process = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true).redirectOutput(output.toFile()).start();
            try (OutputStream stdin = process.getOutputStream()) {
                if (input != null) {
                    stdin.write(input.getBytes(StandardCharsets.UTF_8));
                }
            }
            if (!process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IptablesException(String.join(" ", command) + " did not finish within " + TIMEOUT);
            }
            String text = Files.readString(output);
            if (process.exitValue() != 0) {
                throw new IptablesException(String.join(" ", command) + " failed (exit " + process.exitValue() + "): " + text.strip());
            }
            return text;
        } catch (IOException e) {
            throw new IptablesException(String.join(" ", command) + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IptablesException(String.join(" ", command) + " interrupted");
        } finally {
            if (output != null) {
                try {
                    Files.deleteIfExists(output);
                } catch (IOException ignored) {
                    // a temporary file; the system cleans it up
                }
            }
        }
    }

    public static final class IptablesException extends RuntimeException {
        IptablesException(String message) {
            super(message);
        }
    }
}
