package io.quarkube.e2e;

import static io.quarkube.testing.TestCluster.admin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkube.testing.ControlPlaneTestResource;
import io.quarkube.testing.Manifests;
import io.quarkube.testing.WatchClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * core/v1 Events and events.k8s.io/v1 Events are two views of the same stored objects, as in
 * kube-apiserver: whatever is written through one is read, listed and watched through the other,
 * with the fields converted.
 */
@QuarkusTest
@QuarkusTestResource(value = ControlPlaneTestResource.class, restrictToAnnotatedClass = false)
class EventApiVersionsTest {

    private static String core(String namespace) {
        return "/api/v1/namespaces/" + namespace + "/events";
    }

    private static String events(String namespace) {
        return "/apis/events.k8s.io/v1/namespaces/" + namespace + "/events";
    }

    private static String revision(String path) {
        return admin().get(path).then().statusCode(200).extract().path("metadata.resourceVersion");
    }

    private static String coreEvent(String name, String namespace) {
        return """
                {"apiVersion":"v1","kind":"Event","metadata":{"name":"%s"},
                 "involvedObject":{"apiVersion":"apps/v1","kind":"Deployment","namespace":"%s","name":"web","uid":"u-1"},
                 "reason":"ScalingReplicaSet","message":"Scaled up replica set web-5d8 from 0 to 2","type":"Normal",
                 "source":{"component":"deployment-controller"},"count":2,
                 "firstTimestamp":"2026-11-26T06:00:00Z","lastTimestamp":"2026-11-26T06:05:00Z",
                 "action":"ScaleUp","reportingComponent":"deployment-controller","reportingInstance":"cp-1"}"""
                .formatted(name, namespace);
    }

    private static String newerEvent(String name, String namespace) {
        return """
                {"apiVersion":"events.k8s.io/v1","kind":"Event","metadata":{"name":"%s"},
                 "eventTime":"2026-11-26T06:00:00.250000Z","reportingController":"example.com/prober",
                 "reportingInstance":"prober-1","action":"Probe","reason":"Unhealthy",
                 "regarding":{"apiVersion":"v1","kind":"Pod","namespace":"%s","name":"web-0"},
                 "note":"Readiness probe failed","type":"Warning",
                 "series":{"count":4,"lastObservedTime":"2026-11-26T06:03:00.500000Z"}}"""
                .formatted(name, namespace);
    }

    @Test
    void aCoreEventIsReadListedAndWatchedAsAnEventsK8sIoEvent() {
        String ns = Manifests.namespace("events-core");
        try (WatchClient watch = WatchClient.open(events(ns) + "?watch=true&resourceVersion=" + revision(events(ns)))) {
            admin().contentType(ContentType.JSON).body(coreEvent("web.1", ns)).post(core(ns)).then().statusCode(201);

            JsonNode added = watch.next();
            assertEquals("ADDED", added.path("type").asText());
            assertConvertedToNewer(added.path("object"));
        }
        JsonNode got = admin().get(events(ns) + "/web.1").then().statusCode(200).extract().as(JsonNode.class);
        assertConvertedToNewer(got);
        JsonNode list = admin().get(events(ns)).then().statusCode(200).extract().as(JsonNode.class);
        assertEquals("EventList", list.path("kind").asText());
        assertEquals("events.k8s.io/v1", list.path("apiVersion").asText());
        assertEquals(1, list.path("items").size());
        assertConvertedToNewer(list.path("items").get(0));
        assertEquals(1, admin().queryParam("fieldSelector", "regarding.name=web,reportingController=deployment-controller")
                .get(events(ns)).then().statusCode(200).extract().<List<?>>path("items").size());
        assertEquals(0, admin().queryParam("fieldSelector", "regarding.name=other").get(events(ns)).then().statusCode(200)
                .extract().<List<?>>path("items").size());
    }

    private static void assertConvertedToNewer(JsonNode event) {
        assertEquals("events.k8s.io/v1", event.path("apiVersion").asText(), event::toString);
        assertEquals("Event", event.path("kind").asText());
        assertEquals("web.1", event.path("metadata").path("name").asText());
        assertEquals("Deployment", event.path("regarding").path("kind").asText(), event::toString);
        assertEquals("web", event.path("regarding").path("name").asText());
        assertEquals("u-1", event.path("regarding").path("uid").asText());
        assertEquals("Scaled up replica set web-5d8 from 0 to 2", event.path("note").asText());
        assertEquals("ScalingReplicaSet", event.path("reason").asText());
        assertEquals("Normal", event.path("type").asText());
        assertEquals("ScaleUp", event.path("action").asText());
        assertEquals("deployment-controller", event.path("reportingController").asText());
        assertEquals("cp-1", event.path("reportingInstance").asText());
        assertEquals("deployment-controller", event.path("deprecatedSource").path("component").asText());
        assertEquals(2, event.path("deprecatedCount").asInt());
        assertEquals("2026-11-26T06:00:00Z", event.path("deprecatedFirstTimestamp").asText());
        assertEquals("2026-11-26T06:05:00Z", event.path("deprecatedLastTimestamp").asText());
        assertTrue(event.has("eventTime") && event.get("eventTime").isNull(), event::toString);
        for (String coreOnly : List.of("involvedObject", "message", "source", "count", "firstTimestamp", "lastTimestamp", "reportingComponent")) {
            assertTrue(!event.has(coreOnly), coreOnly + " in " + event);
        }
    }

    @Test
    void anEventsK8sIoEventIsReadListedAndWatchedAsACoreEvent() {
        String ns = Manifests.namespace("events-newer");
        try (WatchClient watch = WatchClient.open(core(ns) + "?watch=true&resourceVersion=" + revision(core(ns)))) {
            admin().contentType(ContentType.JSON).body(newerEvent("web-0.1", ns)).post(events(ns)).then().statusCode(201)
                    .body("apiVersion", org.hamcrest.Matchers.equalTo("events.k8s.io/v1"))
                    .body("note", org.hamcrest.Matchers.equalTo("Readiness probe failed"));

            JsonNode added = watch.next();
            assertEquals("ADDED", added.path("type").asText());
            assertConvertedToCore(added.path("object"));
        }
        assertConvertedToCore(admin().get(core(ns) + "/web-0.1").then().statusCode(200).extract().as(JsonNode.class));
        JsonNode list = admin().get(core(ns)).then().statusCode(200).extract().as(JsonNode.class);
        assertEquals("v1", list.path("apiVersion").asText());
        assertEquals(1, list.path("items").size());
        assertConvertedToCore(list.path("items").get(0));
        assertEquals(1, admin().queryParam("fieldSelector", "involvedObject.name=web-0,reason=Unhealthy")
                .get(core(ns)).then().statusCode(200).extract().<List<?>>path("items").size());
    }

    private static void assertConvertedToCore(JsonNode event) {
        assertEquals("v1", event.path("apiVersion").asText(), event::toString);
        assertEquals("Event", event.path("kind").asText());
        assertEquals("Pod", event.path("involvedObject").path("kind").asText(), event::toString);
        assertEquals("web-0", event.path("involvedObject").path("name").asText());
        assertEquals("Readiness probe failed", event.path("message").asText());
        assertEquals("Unhealthy", event.path("reason").asText());
        assertEquals("Warning", event.path("type").asText());
        assertEquals("Probe", event.path("action").asText());
        assertEquals("example.com/prober", event.path("reportingComponent").asText());
        assertEquals("prober-1", event.path("reportingInstance").asText());
        assertEquals("2026-11-26T06:00:00.250000Z", event.path("eventTime").asText());
        assertEquals(4, event.path("series").path("count").asInt());
        for (String newerOnly : List.of("regarding", "note", "reportingController", "deprecatedSource", "deprecatedCount")) {
            assertTrue(!event.has(newerOnly), newerOnly + " in " + event);
        }
    }

    @Test
    void changesAndDeletesThroughOneVersionAreSeenThroughTheOther() {
        String ns = Manifests.namespace("events-both");
        admin().contentType(ContentType.JSON).body(coreEvent("web.1", ns)).post(core(ns)).then().statusCode(201);
        try (WatchClient watch = WatchClient.open(core(ns) + "?watch=true&resourceVersion=" + revision(core(ns)))) {
            admin().contentType("application/merge-patch+json").body("{\"note\":\"Scaled up again\",\"deprecatedCount\":3}")
                    .patch(events(ns) + "/web.1").then().statusCode(200)
                    .body("note", org.hamcrest.Matchers.equalTo("Scaled up again"));

            JsonNode modified = watch.next();
            assertEquals("MODIFIED", modified.path("type").asText());
            assertEquals("Scaled up again", modified.path("object").path("message").asText());
            assertEquals(3, modified.path("object").path("count").asInt());

            admin().delete(events(ns) + "/web.1").then().statusCode(200);
            JsonNode deleted = watch.next();
            assertEquals("DELETED", deleted.path("type").asText());
            assertEquals("Scaled up again", deleted.path("object").path("message").asText());
        }
        admin().get(core(ns) + "/web.1").then().statusCode(404);
        admin().get(events(ns) + "/web.1").then().statusCode(404);
    }

    @Test
    void createsThroughEventsK8sIoAreValidatedStrictlyAndCoreOnesAsBefore() {
        String ns = Manifests.namespace("events-strict");
        String incomplete = """
                {"metadata":{"name":"%s"},"reason":"Started","note":"started","type":"Normal",
                 "regarding":{"kind":"Pod","namespace":"%s","name":"web-0"}}""";

        admin().contentType(ContentType.JSON).body(incomplete.formatted("newer", ns)).post(events(ns)).then().statusCode(422)
                .body("reason", org.hamcrest.Matchers.equalTo("Invalid"))
                .body("details.causes.field", org.hamcrest.Matchers.hasItems("eventTime", "reportingController", "reportingInstance", "action"));
        admin().contentType(ContentType.JSON).body("""
                {"metadata":{"name":"legacy"},"reason":"Started","message":"started","type":"Normal",
                 "involvedObject":{"kind":"Pod","namespace":"%s","name":"web-0"}}""".formatted(ns)).post(core(ns)).then().statusCode(201);
    }

    @Test
    void kubectlListsCoreEventsThroughEventsK8sIo() {
        String ns = Manifests.namespace("events-kubectl");
        admin().contentType(ContentType.JSON).body(coreEvent("web.1", ns)).post(core(ns)).then().statusCode(201);
        Kubectl kubectl = new Kubectl(33);

        CommandResult table = kubectl.run("get", "events.v1.events.k8s.io", "--namespace=" + ns);
        assertEquals(0, table.exitCode(), table::describe);
        assertTrue(table.stdout().contains("ScalingReplicaSet") && table.stdout().contains("deployment/web")
                && table.stdout().contains("Scaled up replica set web-5d8 from 0 to 2"), table::describe);

        CommandResult json = kubectl.run("get", "events.v1.events.k8s.io", "web.1", "--namespace=" + ns, "-o", "jsonpath={.apiVersion} {.note} {.regarding.name}");
        assertEquals(0, json.exitCode(), json::describe);
        assertEquals("events.k8s.io/v1 Scaled up replica set web-5d8 from 0 to 2 web", json.stdout());
    }
}
