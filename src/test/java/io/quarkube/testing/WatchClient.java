package io.quarkube.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A streaming watch as kubectl holds one: an HTTPS request with the admin certificate whose
 * newline-delimited events are read on a background thread and handed out with a deadline.
 */
public final class WatchClient implements AutoCloseable {

    /** What the reader thread puts on the queue when the server ends the stream. */
    private static final JsonNode END = new ObjectMapper().createObjectNode().put("type", "END-OF-STREAM");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final BlockingQueue<JsonNode> events = new LinkedBlockingQueue<>();
    private final InputStream body;
    private final Thread reader;

    private WatchClient(InputStream body) {
        this.body = body;
        this.reader = new Thread(this::readLines, "watch-reader");
        reader.setDaemon(true);
        reader.start();
    }

    /** Opens {@code GET path} (a watch URL with its query) with the given Accept header. */
    public static WatchClient open(String pathAndQuery, String accept) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(TestCluster.url() + pathAndQuery))
                .header("Accept", accept).GET().build();
        try {
            HttpResponse<InputStream> response = client().send(request, HttpResponse.BodyHandlers.ofInputStream());
            if (response.statusCode() != 200) {
                String text = new String(response.body().readAllBytes(), StandardCharsets.UTF_8);
                throw new IllegalStateException("watch answered " + response.statusCode() + ": " + text);
            }
            return new WatchClient(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static WatchClient open(String pathAndQuery) {
        return open(pathAndQuery, "application/json");
    }

    /** The next event, failing the test if none arrives within ten seconds. */
    public JsonNode next() {
        try {
            JsonNode event = events.poll(10, TimeUnit.SECONDS);
            if (event == null) {
                throw new AssertionError("no watch event within 10s");
            }
            if (event == END) {
                throw new AssertionError("the server ended the watch while an event was expected");
            }
            return event;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The next n events. */
    public List<JsonNode> next(int n) {
        List<JsonNode> received = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            received.add(next());
        }
        return received;
    }

    /** Every event until the server ends the stream, failing the test if it does not end within the deadline. */
    public List<JsonNode> untilEnd(Duration deadline) {
        List<JsonNode> received = new ArrayList<>();
        long until = System.nanoTime() + deadline.toNanos();
        try {
            while (true) {
                JsonNode event = events.poll(Math.max(0, until - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (event == null) {
                    throw new AssertionError("the watch did not end within " + deadline);
                }
                if (event == END) {
                    return received;
                }
                received.add(event);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Whether the server ends the stream within the deadline; events before the end are skipped. */
    public boolean endsWithin(Duration deadline) {
        long until = System.nanoTime() + deadline.toNanos();
        try {
            while (true) {
                JsonNode event = events.poll(Math.max(0, until - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (event == null) {
                    return false;
                }
                if (event == END) {
                    return true;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void readLines() {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                if (!line.isBlank()) {
                    events.add(JSON.readTree(line));
                }
            }
        } catch (IOException closed) {
            // the test closed the stream or the server cut it; either way it has ended
        }
        events.add(END);
    }

    @Override
    public void close() {
        try {
            body.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    private static HttpClient client() {
        return HttpClient.newBuilder().sslContext(AdminTls.context(TestCluster.dataDir())).version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
    }
}
