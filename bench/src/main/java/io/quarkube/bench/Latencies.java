package io.quarkube.bench;

import java.util.Arrays;

/** Latency samples in nanoseconds, recorded from any thread; percentiles on demand. */
final class Latencies {

    private long[] samples = new long[1 << 16];
    private int size;

    synchronized void record(long nanos) {
        if (size == samples.length) {
            samples = Arrays.copyOf(samples, size * 2);
        }
        samples[size++] = nanos;
    }

    synchronized int count() {
        return size;
    }

    /** The p-th percentile (0..100) in milliseconds, nearest-rank; NaN without samples. */
    synchronized double percentileMillis(double p) {
        if (size == 0) {
            return Double.NaN;
        }
        long[] sorted = Arrays.copyOf(samples, size);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * size);
        return sorted[Math.max(0, Math.min(size - 1, rank - 1))] / 1e6;
    }

    String summary() {
        return String.format("p50 %.2f ms, p99 %.2f ms, max %.2f ms (%d samples)",
                percentileMillis(50), percentileMillis(99), percentileMillis(100), count());
    }
}
