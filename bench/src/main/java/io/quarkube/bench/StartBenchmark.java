package io.quarkube.bench;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Process launch to the first 200 on {@code /readyz}, and the resident memory at that moment, for
 * one command line (everything after {@code --}); one unmeasured warm-up start, then the median of
 * the measured runs. The storage is expected to be up already.
 */
public final class StartBenchmark {

    private static final Duration POLL = Duration.ofMillis(5);
    private static final Duration GIVE_UP = Duration.ofSeconds(60);

    public static void main(String[] argv) throws Exception {
        int split = Arrays.asList(argv).indexOf("--");
        Args args = new Args(Arrays.copyOfRange(argv, 0, split));
        List<String> command = List.of(Arrays.copyOfRange(argv, split + 1, argv.length));
        URI readyz = URI.create(args.get("url") + "/readyz");
        int runs = args.getInt("runs", 5);
        String label = args.get("label");
        HttpClient http = HttpClient.newBuilder().sslContext(trustingAnyServer()).connectTimeout(Duration.ofSeconds(1)).build();

        measure(command, readyz, http, args.get("log"));
        long[] millis = new long[runs];
        long[] rssKb = new long[runs];
        for (int i = 0; i < runs; i++) {
            long[] run = measure(command, readyz, http, args.get("log"));
            millis[i] = run[0];
            rssKb[i] = run[1];
            System.out.printf("  %s run %d: ready in %d ms, RSS %d MB%n", label, i + 1, run[0], run[1] / 1024);
        }
        long[] sortedMillis = millis.clone();
        long[] sortedRss = rssKb.clone();
        Arrays.sort(sortedMillis);
        Arrays.sort(sortedRss);
        long medianMillis = sortedMillis[runs / 2];
        long medianRssMb = sortedRss[runs / 2] / 1024;
        System.out.printf("RESULT %s: ready ms min/median/max %d / %d / %d, RSS median %d MB (goal <= 1000 ms: %s, <= 200 MB: %s)%n",
                label, sortedMillis[0], medianMillis, sortedMillis[runs - 1], medianRssMb,
                medianMillis <= 1000 ? "met" : "NOT met", medianRssMb <= 200 ? "met" : "NOT met");
    }

    /** Starts the command, waits for readiness, samples RSS, stops it; returns {ms, RSS kB}. */
    private static long[] measure(List<String> command, URI readyz, HttpClient http, String log) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(new File(log)));
        long launched = System.nanoTime();
        Process process = builder.start();
        try {
            long deadline = launched + GIVE_UP.toNanos();
            while (!ready(http, readyz)) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException("not ready (exit " + (process.isAlive() ? "-" : process.exitValue()) + "); see " + log);
                }
                Thread.sleep(POLL.toMillis());
            }
            long millis = (System.nanoTime() - launched) / 1_000_000;
            return new long[] {millis, residentKb(process.pid())};
        } finally {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    private static boolean ready(HttpClient http, URI readyz) {
        try {
            HttpResponse<Void> response = http.send(HttpRequest.newBuilder(readyz).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200;
        } catch (java.io.IOException notListening) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static long residentKb(long pid) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no VmRSS for " + pid);
    }

    /** readyz is anonymous; the point is timing, not authenticating the server. */
    private static SSLContext trustingAnyServer() throws Exception {
        TrustManager trustAll = new X509TrustManager() {
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {trustAll}, null);
        return context;
    }
}
