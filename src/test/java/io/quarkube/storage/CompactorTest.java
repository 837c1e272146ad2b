package io.quarkube.storage;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkube.json.Json;
import io.quarkube.testing.ControlPlaneTestResource;
import io.quarkube.testing.TestCluster;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;

/**
 * Compaction through the API: history before the compacted revision is gone for watches, exact
 * lists and continue tokens alike (410 Expired), while the state from there on stays complete.
 */
@QuarkusTest
@QuarkusTestResource(value = ControlPlaneTestResource.class, restrictToAnnotatedClass = false)
class CompactorTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String NAMESPACE = "compaction";
    private static final String CONFIGMAPS = "/api/v1/namespaces/" + NAMESPACE + "/configmaps";
    private static final int BUSY_UPDATES = 6;
    private static final long RETAINED = 2;

    @Inject
    Compactor compactor;
    @Inject
    WatchCache cache;

    @Test
    void oldRevisionsExpireAndTheRetainedStateStaysComplete() {
        TestCluster.admin().contentType("application/json")
                .body("{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"" + NAMESPACE + "\"}}")
                .post("/api/v1/namespaces").then().statusCode(201);
        long untouched = revisionOf(createConfigMap("untouched"));
        createConfigMap("busy");
        Response firstPage = TestCluster.admin().queryParam("limit", 1).get(CONFIGMAPS);
        firstPage.then().statusCode(200);
        String continueToken = firstPage.path("metadata.continue");
        long listed = Long.parseLong(firstPage.path("metadata.resourceVersion"));
        long busy = 0;
        for (int i = 1; i <= BUSY_UPDATES; i++) {
            busy = revisionOf(TestCluster.admin().contentType("application/merge-patch+json")
                    .body("{\"data\":{\"count\":\"" + i + "\"}}").patch(CONFIGMAPS + "/busy"));
        }
        cache.awaitRevision(busy).await().atMost(WAIT);

        long compactedTo = compactor.compact(RETAINED).await().atMost(WAIT);

        assertTrue(compactedTo > listed, "compacted to " + compactedTo + ", past the list at " + listed);
        assertExpiredWatch(untouched);
        assertExpiredWatch(listed);
        assertExpired(TestCluster.admin().queryParam("resourceVersion", listed).queryParam("resourceVersionMatch", "Exact")
                .get(CONFIGMAPS));
        assertExpired(TestCluster.admin().queryParam("limit", 1).queryParam("continue", continueToken).get(CONFIGMAPS))
                .body("message", startsWith("The provided continue parameter is too old"));

        Response retained = TestCluster.admin().queryParam("resourceVersion", compactedTo)
                .queryParam("resourceVersionMatch", "Exact").get(CONFIGMAPS);
        retained.then().statusCode(200);
        Map<String, Long> revisions = retained.jsonPath().<Map<String, Object>>getList("items").stream().collect(Collectors.toMap(
                item -> (String) ((Map<?, ?>) item.get("metadata")).get("name"),
                item -> Long.parseLong((String) ((Map<?, ?>) item.get("metadata")).get("resourceVersion"))));
        assertEquals(untouched, revisions.get("untouched"), "an object unchanged since long before compaction is kept");
        assertTrue(revisions.get("busy") <= compactedTo);

        List<JsonNode> recent = watchLines(compactedTo);
        assertFalse(recent.isEmpty(), "changes after the compacted revision are delivered");
        recent.forEach(event -> assertEquals("MODIFIED", event.path("type").asText(), event.toString()));
        assertEquals(busy, recent.get(recent.size() - 1).path("object").path("metadata").path("resourceVersion").asLong());
    }

    private static Response createConfigMap(String name) {
        Response response = TestCluster.admin().contentType("application/json")
                .body("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"" + name + "\"}}")
                .post(CONFIGMAPS);
        response.then().statusCode(201);
        return response;
    }

    private static long revisionOf(Response response) {
        response.then().statusCode(org.hamcrest.Matchers.lessThan(300));
        return Long.parseLong(response.path("metadata.resourceVersion"));
    }

    /** kube-apiserver answers a watch from a compacted revision with 200 and a single ERROR event. */
    private static void assertExpiredWatch(long from) {
        List<JsonNode> events = watchLines(from);
        assertEquals(1, events.size(), events.toString());
        JsonNode status = events.get(0).path("object");
        assertEquals("ERROR", events.get(0).path("type").asText());
        assertEquals("Status", status.path("kind").asText());
        assertEquals(410, status.path("code").asInt());
        assertEquals("Expired", status.path("reason").asText());
    }

    private static ValidatableResponse assertExpired(Response response) {
        return response.then().statusCode(410).body("reason", equalTo("Expired")).body("kind", equalTo("Status"));
    }

    /** The events of a watch from a revision, up to the end of its one-second timeout. */
    private static List<JsonNode> watchLines(long from) {
        Response response = TestCluster.admin().queryParam("watch", "true").queryParam("resourceVersion", from)
                .queryParam("timeoutSeconds", 1).get(CONFIGMAPS);
        response.then().statusCode(200);
        return response.asString().lines().filter(line -> !line.isBlank()).map(line -> (JsonNode) Json.parseObject(line)).toList();
    }
}
