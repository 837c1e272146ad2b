package io.quarkube.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Small process helpers shared by the embedded servers. */
final class ChildProcesses {

    /** The unprivileged account the embedded servers run as when quarkube runs as root. */
    static final String UNPRIVILEGED_USER = "nobody";
    static final String UNPRIVILEGED_GROUP = "nogroup";

    private ChildProcesses() {
    }

    static boolean runningAsRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /**
     * The command line, prefixed to drop root privileges when needed. The ambient
     * CAP_DAC_READ_SEARCH lets the unprivileged server traverse a data directory below a home
     * directory that only root may enter (as {@code /root/.quarkube}), and nothing more.
     */
    static List<String> asUnprivileged(List<String> command) {
        if (!runningAsRoot()) {
            return command;
        }
        List<String> full = new ArrayList<>(List.of("setpriv",
                "--reuid=" + UNPRIVILEGED_USER, "--regid=" + UNPRIVILEGED_GROUP, "--clear-groups",
                "--inh-caps=+dac_read_search", "--ambient-caps=+dac_read_search"));
        full.addAll(command);
        return full;
    }

    /** Hands a directory tree to the unprivileged user when running as root. */
    static void ownByUnprivileged(Path path) {
        if (!runningAsRoot()) {
            return;
        }
        try {
            UserPrincipalLookupService lookup = path.getFileSystem().getUserPrincipalLookupService();
            PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class);
            view.setOwner(lookup.lookupPrincipalByName(UNPRIVILEGED_USER));
            view.setGroup(lookup.lookupPrincipalByGroupName(UNPRIVILEGED_GROUP));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot hand " + path + " to " + UNPRIVILEGED_USER, e);
        }
    }

    static int freeLoopbackPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port", e);
        }
    }

    /** Runs a command to completion, failing with its output when it exits non-zero. */
    static void runToCompletion(List<String> command, Path log, long timeoutSeconds) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish in " + timeoutSeconds + " s");
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed with exit code "
                        + process.exitValue() + "; see " + log);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command.get(0), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command.get(0), e);
        }
    }

    /** Stops a child: a polite signal first, then a kill if it does not exit within the grace period. */
    static void stop(Process process, long graceMillis) {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(graceMillis, TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
