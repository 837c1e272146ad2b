package io.quarkube.api;

import static io.quarkube.testing.TestCluster.admin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkube.json.Json;
import io.quarkube.testing.AdminTls;
import io.quarkube.testing.ControlPlaneTestResource;
import io.quarkube.testing.Manifests;
import io.quarkube.testing.TestCluster;
import io.quarkube.testing.WatchClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** Watches over a real streaming connection, fed by the watch cache from PostgreSQL and Redis. */
@QuarkusTest
@QuarkusTestResource(value = ControlPlaneTestResource.class, restrictToAnnotatedClass = false)
class WatchStreamTest {

    private static final String TABLE = "application/json;as=Table;v=v1;g=meta.k8s.io";

    private static String listRevision(String path) {
        return admin().get(path).then().statusCode(200).extract().path("metadata.resourceVersion");
    }

    @Test
    void aWatchFromAListRevisionSeesEachChangeInOrder() {
        String path = "/api/v1/namespaces/" + Manifests.namespace("watch") + "/configmaps";
        String revision = listRevision(path);
        try (WatchClient watch = WatchClient.open(path + "?watch=true&resourceVersion=" + revision)) {
            admin().contentType(ContentType.JSON).body(Manifests.configMap("w", "k", "1")).post(path).then().statusCode(201);
            admin().contentType(ContentType.JSON).body(Manifests.configMap("w", "k", "2")).put(path + "/w").then().statusCode(200);
            admin().delete(path + "/w").then().statusCode(200);

            List<JsonNode> events = watch.next(3);
            assertEquals(List.of("ADDED", "MODIFIED", "DELETED"), events.stream().map(e -> e.path("type").asText()).toList());
            assertEquals("2", events.get(1).path("object").path("data").path("k").asText());
            long previous = Long.parseLong(revision);
            for (JsonNode event : events) {
                long version = Long.parseLong(event.path("object").path("metadata").path("resourceVersion").asText());
                assertTrue(version > previous, "resourceVersions must increase: " + events);
                previous = version;
            }
        }
    }

    /** The Fabric8 client (and client-go's WebSocket watches) upgrade the watch request to a WebSocket. */
    @Test
    void aWebSocketWatchReceivesOneEventPerTextFrame() throws Exception {
        String path = "/api/v1/namespaces/" + Manifests.namespace("watch-websocket") + "/configmaps";
        String revision = listRevision(path);
        BlockingQueue<String> frames = new LinkedBlockingQueue<>();
        HttpClient client = HttpClient.newBuilder().sslContext(AdminTls.context(TestCluster.dataDir())).build();
        WebSocket socket = client.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
                .buildAsync(URI.create(TestCluster.url().replace("https:", "wss:") + path + "?watch=true&resourceVersion=" + revision),
                        new WebSocket.Listener() {
                            private final StringBuilder partial = new StringBuilder();

                            @Override
                            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                                partial.append(data);
                                if (last) {
                                    frames.add(partial.toString());
                                    partial.setLength(0);
                                }
                                webSocket.request(1);
                                return null;
                            }
                        })
                .get(10, TimeUnit.SECONDS);
        try {
            admin().contentType(ContentType.JSON).body(Manifests.configMap("ws", "k", "1")).post(path).then().statusCode(201);
            admin().delete(path + "/ws").then().statusCode(200);
            String added = frames.poll(10, TimeUnit.SECONDS);
            String deleted = frames.poll(10, TimeUnit.SECONDS);
            assertEquals("ADDED", Json.parseObject(added).path("type").asText(), "first frame: " + added);
            assertEquals("ws", Json.parseObject(added).path("object").path("metadata").path("name").asText());
            assertEquals("DELETED", Json.parseObject(deleted).path("type").asText(), "second frame: " + deleted);
        } finally {
            socket.abort();
        }
    }

    @Test
    void anObjectLeavingALabelSelectorIsDeletedForTheWatcher() {
        String path = "/api/v1/namespaces/" + Manifests.namespace("watch-labels") + "/configmaps";
        String revision = listRevision(path);
        try (WatchClient watch = WatchClient.open(path + "?watch=true&labelSelector=watched%3Dyes&resourceVersion=" + revision)) {
            admin().contentType(ContentType.JSON).body(Manifests.labelledConfigMap("other", "\"watched\":\"no\"")).post(path)
                    .then().statusCode(201);
            admin().contentType(ContentType.JSON).body(Manifests.labelledConfigMap("seen", "\"watched\":\"yes\"")).post(path)
                    .then().statusCode(201);
            admin().contentType("application/merge-patch+json").body("{\"metadata\":{\"labels\":{\"watched\":\"no\"}}}")
                    .patch(path + "/seen").then().statusCode(200);

            JsonNode added = watch.next();
            assertEquals("ADDED", added.path("type").asText());
            assertEquals("seen", added.path("object").path("metadata").path("name").asText());
            JsonNode left = watch.next();
            assertEquals("DELETED", left.path("type").asText());
            assertEquals("seen", left.path("object").path("metadata").path("name").asText());
        }
    }

    @Test
    void timeoutSecondsEndsTheStream() {
        String path = "/api/v1/namespaces/" + Manifests.namespace("watch-timeout") + "/configmaps";
        try (WatchClient watch = WatchClient.open(path + "?watch=true&timeoutSeconds=1&resourceVersion=" + listRevision(path))) {
            assertTrue(watch.endsWithin(Duration.ofSeconds(15)), "the watch outlived its timeoutSeconds");
        }
    }

    @Test
    void initialEventsEndWithAnAnnotatedBookmark() {
        String path = "/api/v1/namespaces/" + Manifests.namespace("watch-initial") + "/configmaps";
        admin().contentType(ContentType.JSON).body(Manifests.configMap("a", "k", "v")).post(path).then().statusCode(201);
        admin().contentType(ContentType.JSON).body(Manifests.configMap("b", "k", "v")).post(path).then().statusCode(201);
        try (WatchClient watch = WatchClient.open(path
                + "?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true")) {
            List<JsonNode> events = watch.next(3);
            assertEquals(List.of("ADDED", "ADDED", "BOOKMARK"), events.stream().map(e -> e.path("type").asText()).toList());
            assertEquals(List.of("a", "b"), events.subList(0, 2).stream()
                    .map(e -> e.path("object").path("metadata").path("name").asText()).sorted().toList());
            JsonNode metadata = events.get(2).path("object").path("metadata");
            assertEquals("true", metadata.path("annotations").path("k8s.io/initial-events-end").asText());
            assertTrue(Long.parseLong(metadata.path("resourceVersion").asText())
                    >= Long.parseLong(events.get(1).path("object").path("metadata").path("resourceVersion").asText()));
        }
    }

    @Test
    void tableWatchesSendTables() {
        String path = "/api/v1/namespaces/" + Manifests.namespace("watch-table") + "/configmaps";
        String revision = listRevision(path);
        try (WatchClient watch = WatchClient.open(path + "?watch=true&resourceVersion=" + revision, TABLE + ",application/json")) {
            admin().contentType(ContentType.JSON).body(Manifests.configMap("t", "k", "v")).post(path).then().statusCode(201);
            JsonNode event = watch.next();
            assertEquals("ADDED", event.path("type").asText());
            assertEquals("Table", event.path("object").path("kind").asText());
            assertEquals("t", event.path("object").path("rows").path(0).path("cells").path(0).asText());
        }
    }

    @Test
    void removingTheLastFinalizerIsSeenAsADeletion() {
        String path = "/api/v1/namespaces/" + Manifests.namespace("watch-finalizer") + "/configmaps";
        admin().contentType(ContentType.JSON).body("""
                {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"held","finalizers":["example.com/hold"]}}""")
                .post(path).then().statusCode(201);
        try (WatchClient watch = WatchClient.open(path + "?watch=true&resourceVersion=" + listRevision(path))) {
            admin().delete(path + "/held").then().statusCode(200);
            admin().contentType("application/merge-patch+json").body("{\"metadata\":{\"finalizers\":null}}")
                    .patch(path + "/held").then().statusCode(200);
            List<JsonNode> events = watch.next(2);
            assertEquals(List.of("MODIFIED", "DELETED"), events.stream().map(e -> e.path("type").asText()).toList());
            assertTrue(events.get(0).path("object").path("metadata").has("deletionTimestamp"));
            assertTrue(events.get(1).path("object").path("metadata").path("finalizers").isEmpty(),
                    "the DELETED event carries the object as updated, without the released finalizer");
        }
    }
}
