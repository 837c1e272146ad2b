package io.quarkube.storage;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkube.json.Json;
import io.quarkube.testing.KubeHttp;

/** A watch response read on its own thread, so a test can wait for events with a deadline. */
final class WatchEventStream implements AutoCloseable {

    private final Stream<String> lines;
    private final BlockingQueue<ObjectNode> events = new LinkedBlockingQueue<>();

    private WatchEventStream(Stream<String> lines) {
        this.lines = lines;
        Thread reader = new Thread(() -> {
            try {
                lines.filter(line -> !line.isBlank()).forEach(line -> events.add(Json.parseObject(line)));
            } catch (RuntimeException closed) {
                // the stream was closed by the test or the server
            }
        }, "watch-reader");
        reader.setDaemon(true);
        reader.start();
    }

    static WatchEventStream open(KubeHttp http, String url) {
        return new WatchEventStream(http.lines(url));
    }

    /** One received change: its revision and the object's name. */
    record Received(long revision, String name) {
    }

    /**
     * The changes received until one reaches revision last (inclusive), in arrival order; fails on
     * an ERROR event or when the timeout passes first.
     */
    List<Received> receivedThrough(long last, Duration timeout) throws InterruptedException {
        List<Received> received = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (received.isEmpty() || received.get(received.size() - 1).revision() < last) {
            ObjectNode event = events.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            assertNotNull(event, "no event within " + timeout + " after " + received.size() + " events; waiting for revision " + last);
            assertNotEquals("ERROR", event.path("type").asText(), event.toString());
            if (!"BOOKMARK".equals(event.path("type").asText())) {
                ObjectNode metadata = (ObjectNode) event.path("object").path("metadata");
                received.add(new Received(metadata.path("resourceVersion").asLong(), metadata.path("name").asText()));
            }
        }
        return received;
    }

    @Override
    public void close() {
        lines.close();
    }
}
