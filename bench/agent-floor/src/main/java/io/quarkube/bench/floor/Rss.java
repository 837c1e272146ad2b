package io.quarkube.bench.floor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Resident memory of this JVM once it has settled: 15 s with three full collections (which shrink
 * the heap to what is live, so the figure is a lower bound), then {@code VmRSS}, {@code RssAnon} and
 * {@code RssFile} of /proc/self/status, in MB, on one line.
 */
public final class Rss {

    private Rss() {
    }

    public static void settleAndPrint(String label) throws InterruptedException, IOException {
        for (int i = 0; i < 3; i++) {
            Thread.sleep(5_000);
            System.gc();
        }
        StringBuilder line = new StringBuilder("rss ").append(label);
        for (String status : Files.readAllLines(Path.of("/proc/self/status"))) {
            String[] parts = status.split("\\s+");
            if (parts[0].equals("VmRSS:") || parts[0].equals("RssAnon:") || parts[0].equals("RssFile:")) {
                line.append(' ').append(parts[0], 0, parts[0].length() - 1).append('=')
                        .append(Math.round(Long.parseLong(parts[1]) / 1024.0)).append("MB");
            }
        }
        System.out.println(line);
    }

    /** The JVM alone, with no library: {@code java -cp classes io.quarkube.bench.floor.Rss}. */
    public static void main(String... args) throws Exception {
        settleAndPrint("jvm");
    }
}
