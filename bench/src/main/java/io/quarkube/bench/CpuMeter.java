package io.quarkube.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * CPU time spent by the server under test, by PostgreSQL and by this load generator during a phase,
 * read from /proc. CPU time per operation is much less sensitive than throughput to other work on
 * a shared machine, so it is the figure to compare when tuning.
 */
final class CpuMeter {

    /** Linux reports utime/stime in clock ticks of 1/100 s on every architecture this runs on. */
    private static final double SECONDS_PER_TICK = 0.01;

    private final long serverPid;
    private final double serverStart;
    private final double postgresStart;
    private final double selfStart;

    private CpuMeter(long serverPid) {
        this.serverPid = serverPid;
        this.serverStart = serverPid > 0 ? cpuSeconds(serverPid) : 0;
        this.postgresStart = postgresSeconds();
        this.selfStart = cpuSeconds(ProcessHandle.current().pid());
    }

    static CpuMeter start(long serverPid) {
        return new CpuMeter(serverPid);
    }

    /** Microseconds of CPU per operation, for the server (if a pid was given), PostgreSQL and this client. */
    String perOperation(long operations) {
        double server = serverPid > 0 ? cpuSeconds(serverPid) - serverStart : Double.NaN;
        double postgres = postgresSeconds() - postgresStart;
        double self = cpuSeconds(ProcessHandle.current().pid()) - selfStart;
        double n = Math.max(operations, 1);
        return String.format("CPU per operation: server %s, PostgreSQL %.0f µs, load generator %.0f µs",
                serverPid > 0 ? String.format("%.0f µs", server * 1e6 / n) : "-", postgres * 1e6 / n, self * 1e6 / n);
    }

    /** All processes named postgres: the postmaster and its backends, including ones that already exited are lost. */
    private static double postgresSeconds() {
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            return processes.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
                    .filter(p -> "postgres".equals(comm(p)))
                    .mapToDouble(p -> cpuSeconds(Long.parseLong(p.getFileName().toString())))
                    .sum();
        } catch (IOException e) {
            return Double.NaN;
        }
    }

    private static String comm(Path process) {
        try {
            return Files.readString(process.resolve("comm")).strip();
        } catch (IOException e) {
            return "";
        }
    }

    static double cpuSeconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * SECONDS_PER_TICK;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
