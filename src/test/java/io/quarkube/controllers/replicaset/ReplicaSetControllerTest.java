package io.quarkube.controllers.replicaset;

import static io.quarkube.testing.TestCluster.admin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.quarkube.testing.Await;
import io.quarkube.testing.ControlPlaneTestResource;
import io.quarkube.testing.Manifests;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * The ReplicaSet controller through the API. No node agent or scheduler runs here: pods stay
 * Pending unless a test sets their status, which is what the controller reads.
 */
@QuarkusTest
@QuarkusTestResource(value = ControlPlaneTestResource.class, restrictToAnnotatedClass = false)
class ReplicaSetControllerTest {

    private static String ns;

    @BeforeAll
    static void namespace() {
        ns = Manifests.namespace("rs");
    }

    private static String replicaSet(String name, int replicas) {
        return """
                {"apiVersion":"apps/v1","kind":"ReplicaSet","metadata":{"name":"%s"},
                 "spec":{"replicas":%d,"selector":{"matchLabels":{"app":"%s"}},
                  "template":{"metadata":{"labels":{"app":"%s","tier":"web"}},
                   "spec":{"containers":[{"name":"web","image":"busybox"}]}}}}""".formatted(name, replicas, name, name);
    }

    private static String pods() {
        return "/api/v1/namespaces/" + ns + "/pods";
    }

    private static String replicaSets() {
        return "/apis/apps/v1/namespaces/" + ns + "/replicasets";
    }

    /** Live (not terminating) pods of the app, by name. */
    private static List<String> podsOf(String app) {
        List<Map<String, Object>> items = admin().queryParam("labelSelector", "app=" + app).get(pods()).path("items");
        return items.stream().filter(pod -> ((Map<?, ?>) pod.get("metadata")).get("deletionTimestamp") == null)
                .map(pod -> (String) ((Map<?, ?>) pod.get("metadata")).get("name")).toList();
    }

    @Test
    void createsScalesAndReplacesPods() {
        admin().contentType(ContentType.JSON).body(replicaSet("web", 3)).post(replicaSets()).then().statusCode(201);
        Await.until("3 pods", () -> podsOf("web").size() == 3);
        String uid = admin().get(replicaSets() + "/web").path("metadata.uid");
        String pod = podsOf("web").get(0);
        admin().get(pods() + "/" + pod).then().statusCode(200)
                .body("metadata.ownerReferences[0].uid", org.hamcrest.Matchers.equalTo(uid))
                .body("metadata.ownerReferences[0].controller", org.hamcrest.Matchers.equalTo(true))
                .body("metadata.generateName", org.hamcrest.Matchers.equalTo("web-"));
        Await.until("status.replicas 3", () -> Integer.valueOf(3).equals(admin().get(replicaSets() + "/web").path("status.replicas")));
        Await.until("SuccessfulCreate events on the ReplicaSet", () -> {
            List<String> reasons = admin().get("/api/v1/namespaces/" + ns + "/events")
                    .path("items.findAll { it.involvedObject.name == 'web' && it.involvedObject.kind == 'ReplicaSet' }.reason");
            return reasons.stream().filter("SuccessfulCreate"::equals).count() == 3;
        });

        admin().delete(pods() + "/" + pod).then().statusCode(200);
        Await.until("a replacement", () -> podsOf("web").size() == 3 && !podsOf("web").contains(pod));

        admin().contentType("application/merge-patch+json").body("{\"spec\":{\"replicas\":1}}")
                .patch(replicaSets() + "/web/scale").then().statusCode(200);
        Await.until("1 pod", () -> podsOf("web").size() == 1);
        // and it stays at one: no late creations from a stale cache
        Await.holds("one pod", Duration.ofSeconds(2), () -> podsOf("web").size() == 1);
    }

    @Test
    void adoptsAMatchingOrphanInsteadOfCreatingAPod() {
        admin().contentType(ContentType.JSON).body("""
                {"apiVersion":"v1","kind":"Pod","metadata":{"name":"stray","labels":{"app":"adopter"}},
                 "spec":{"containers":[{"name":"c","image":"busybox"}]}}""").post(pods()).then().statusCode(201);
        admin().contentType(ContentType.JSON).body(replicaSet("adopter", 2)).post(replicaSets()).then().statusCode(201);
        Await.until("2 pods", () -> podsOf("adopter").size() == 2);
        assertTrue(podsOf("adopter").contains("stray"));
        String owner = admin().get(pods() + "/stray").path("metadata.ownerReferences[0].name");
        assertEquals("adopter", owner);
    }

    @Test
    void countsReadyPodsAndReleasesOnesThatStopMatching() {
        admin().contentType(ContentType.JSON).body(replicaSet("counted", 2)).post(replicaSets()).then().statusCode(201);
        Await.until("2 pods", () -> podsOf("counted").size() == 2);
        String pod = podsOf("counted").get(0);
        admin().contentType("application/merge-patch+json").body("""
                {"status":{"phase":"Running","conditions":[{"type":"Ready","status":"True","lastTransitionTime":"2026-01-01T00:00:00Z"}]}}""")
                .patch(pods() + "/" + pod + "/status").then().statusCode(200);
        Await.until("readyReplicas 1 and availableReplicas 1", () -> {
            var status = admin().get(replicaSets() + "/counted");
            return Integer.valueOf(1).equals(status.path("status.readyReplicas"))
                    && Integer.valueOf(1).equals(status.path("status.availableReplicas"));
        });

        admin().contentType("application/merge-patch+json").body("{\"metadata\":{\"labels\":{\"app\":\"elsewhere\"}}}")
                .patch(pods() + "/" + pod).then().statusCode(200);
        Await.until("released and replaced", () -> admin().get(pods() + "/" + pod).path("metadata.ownerReferences") == null
                && podsOf("counted").size() == 2);
    }

    @Test
    void deletingTheReplicaSetCollectsItsPods() {
        admin().contentType(ContentType.JSON).body(replicaSet("doomed", 2)).post(replicaSets()).then().statusCode(201);
        Await.until("2 pods", () -> podsOf("doomed").size() == 2);
        admin().delete(replicaSets() + "/doomed").then().statusCode(200);
        Await.until("pods collected", () -> podsOf("doomed").isEmpty());
        assertFalse(admin().get(replicaSets() + "/doomed").statusCode() == 200);
    }



}
