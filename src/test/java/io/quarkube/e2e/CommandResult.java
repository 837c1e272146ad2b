package io.quarkube.e2e;

import java.util.List;

/** How an external command ended: its exit code and everything it wrote. */
public record CommandResult(List<String> command, int exitCode, String stdout, String stderr) {

    /** The command, exit code and output, for assertion messages. */
    public String describe() {
        return String.join(" ", command) + "\n  exit code: " + exitCode + "\n  stdout: " + stdout + "\n  stderr: " + stderr;
    }
}
