package io.quarkube.controllers.disruption;

import static io.quarkube.testing.PodsOnNodes.await;
import static io.quarkube.testing.PodsOnNodes.readyPod;
import static io.quarkube.testing.TestCluster.admin;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.quarkube.testing.ControlPlaneTestResource;
import io.quarkube.testing.Manifests;
import io.quarkube.testing.PodsOnNodes;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * The disruption controller through the API. No node agent or scheduler runs here: pods are
 * bound to a Node object at creation (or stay Pending), and the test writes their Running/Ready
 * status through pods/status; the ReplicaSet and Deployment controllers create workload pods.
 */
@QuarkusTest
@QuarkusTestResource(value = ControlPlaneTestResource.class, restrictToAnnotatedClass = false)
class DisruptionControllerTest {

    private static final String NODE = "disruption-node";
    private static String ns;

    @BeforeAll
    static void setUp() {
        ns = Manifests.namespace("pdb");
        PodsOnNodes.node(NODE);
    }

    private static String budgets() {
        return "/apis/policy/v1/namespaces/" + ns + "/poddisruptionbudgets";
    }

    private static void createBudget(String name, String spec) {
        admin().contentType(ContentType.JSON).body("""
                {"apiVersion":"policy/v1","kind":"PodDisruptionBudget","metadata":{"name":"%s"},"spec":%s}""".formatted(name, spec))
                .post(budgets()).then().statusCode(201);
    }

    private static JsonPath budget(String name) {
        return admin().get(budgets() + "/" + name).then().statusCode(200).extract().jsonPath();
    }

    /** expectedPods/desiredHealthy/currentHealthy/disruptionsAllowed, once observed. */
    private static String counts(String name) {
        JsonPath budget = budget(name);
        if (!java.util.Objects.equals(budget.get("status.observedGeneration"), budget.get("metadata.generation"))) {
            return "not observed";
        }
        return budget.getInt("status.expectedPods") + "/" + budget.getInt("status.desiredHealthy") + "/"
                + budget.getInt("status.currentHealthy") + "/" + budget.getInt("status.disruptionsAllowed");
    }

    private static void awaitCounts(String name, String expected) {
        await(name + " at " + expected, () -> expected.equals(counts(name)));
    }

    private static void makeReady(String pod) {
        admin().contentType("application/merge-patch+json").body("""
                {"status":{"phase":"Running","conditions":[{"type":"Ready","status":"True","lastTransitionTime":"2026-01-01T00:00:00Z"}]}}""")
                .patch("/api/v1/namespaces/" + ns + "/pods/" + pod + "/status").then().statusCode(200);
    }

    private static List<String> podsOf(String app) {
        return admin().queryParam("labelSelector", "app=" + app).get("/api/v1/namespaces/" + ns + "/pods").path("items.metadata.name");
    }

    @Test
    void integerMinAvailableCountsReadyPods() {
        readyPod(ns, "web-0", "web", NODE);
        readyPod(ns, "web-1", "web", NODE);
        createBudget("web", "{\"minAvailable\":1,\"selector\":{\"matchLabels\":{\"app\":\"web\"}}}");
        awaitCounts("web", "2/1/2/1");
        JsonPath budget = budget("web");
        assertEquals("DisruptionAllowed", budget.getString("status.conditions[0].type"));
        assertEquals("True", budget.getString("status.conditions[0].status"));
        assertEquals("SufficientPods", budget.getString("status.conditions[0].reason"));

        admin().contentType("application/merge-patch+json").body("{\"status\":{\"conditions\":[{\"type\":\"Ready\",\"status\":\"False\"}]}}")
                .patch("/api/v1/namespaces/" + ns + "/pods/web-1/status").then().statusCode(200);
        awaitCounts("web", "2/1/1/0");
        assertEquals("InsufficientPods", budget("web").getString("status.conditions[0].reason"));

        admin().contentType("application/merge-patch+json").body("{\"spec\":{\"minAvailable\":0}}")
                .patch(budgets() + "/web").then().statusCode(200);
        awaitCounts("web", "2/0/1/1");
        assertEquals(2, budget("web").getInt("status.observedGeneration"));
    }

    @Test
    void maxUnavailableUsesTheReplicaSetsScale() {
        admin().contentType(ContentType.JSON).body("""
                {"apiVersion":"apps/v1","kind":"ReplicaSet","metadata":{"name":"api"},
                 "spec":{"replicas":3,"selector":{"matchLabels":{"app":"api"}},
                  "template":{"metadata":{"labels":{"app":"api"}},"spec":{"containers":[{"name":"api","image":"busybox"}]}}}}""")
                .post("/apis/apps/v1/namespaces/" + ns + "/replicasets").then().statusCode(201);
        await("3 api pods", () -> podsOf("api").size() == 3);
        createBudget("api", "{\"maxUnavailable\":1,\"selector\":{\"matchLabels\":{\"app\":\"api\"}}}");
        awaitCounts("api", "3/2/0/0");
        podsOf("api").forEach(DisruptionControllerTest::makeReady);
        awaitCounts("api", "3/2/3/1");
    }

    @Test
    void percentMinAvailableUsesTheDeploymentsScale() {
        admin().contentType(ContentType.JSON).body(Manifests.deployment("shop", 4)).post("/apis/apps/v1/namespaces/" + ns + "/deployments")
                .then().statusCode(201);
        await("4 shop pods", () -> podsOf("shop").size() == 4);
        createBudget("shop", "{\"minAvailable\":\"50%\",\"selector\":{\"matchLabels\":{\"app\":\"shop\"}}}");
        awaitCounts("shop", "4/2/0/0");
        podsOf("shop").subList(0, 3).forEach(DisruptionControllerTest::makeReady);
        awaitCounts("shop", "4/2/3/1");
    }

    @Test
    void aControllerWithoutScaleFailsTheBudgetSafe() {
        String uid = admin().contentType(ContentType.JSON).body("""
                {"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"batch"},
                 "spec":{"template":{"spec":{"restartPolicy":"Never","containers":[{"name":"b","image":"busybox"}]}}}}""")
                .post("/apis/batch/v1/namespaces/" + ns + "/jobs").then().statusCode(201).extract().path("metadata.uid");
        admin().contentType(ContentType.JSON).body("""
                {"apiVersion":"v1","kind":"Pod","metadata":{"name":"batch-x","labels":{"app":"batch"},
                  "ownerReferences":[{"apiVersion":"batch/v1","kind":"Job","name":"batch","uid":"%s","controller":true}]},
                 "spec":{"nodeName":"%s","restartPolicy":"Never","containers":[{"name":"b","image":"busybox"}]}}""".formatted(uid, NODE))
                .post("/api/v1/namespaces/" + ns + "/pods").then().statusCode(201);
        makeReady("batch-x");
        createBudget("batch", "{\"maxUnavailable\":1,\"selector\":{\"matchLabels\":{\"app\":\"batch\"}}}");
        await("SyncFailed", () -> "SyncFailed".equals(budget("batch").getString("status.conditions[0].reason")));
        JsonPath budget = budget("batch");
        assertEquals("False", budget.getString("status.conditions[0].status"));
        assertEquals("found no controllers for pod \"batch-x\"", budget.getString("status.conditions[0].message"));
        assertEquals(0, budget.getInt("status.disruptionsAllowed"));
    }

    @Test
    void recordedEvictionsOfGoneOrStalePodsAreDropped() {
        readyPod(ns, "cache-0", "cache", NODE);
        readyPod(ns, "cache-1", "cache", NODE);
        createBudget("cache", "{\"minAvailable\":1,\"selector\":{\"matchLabels\":{\"app\":\"cache\"}}}");
        awaitCounts("cache", "2/1/2/1");
        String recent = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        String stale = Instant.now().minusSeconds(180).truncatedTo(ChronoUnit.SECONDS).toString();
        admin().contentType("application/merge-patch+json").body("""
                {"status":{"disruptedPods":{"cache-0":"%s","cache-1":"%s","gone":"%s"}}}""".formatted(recent, stale, recent))
                .patch(budgets() + "/cache/status").then().statusCode(200);

        await("only the recent eviction of an existing pod is kept", () ->
                Map.of("cache-0", recent).equals(budget("cache").getMap("status.disruptedPods")));
        assertEquals("2/1/1/0", counts("cache"), "cache-0 is about to go and does not count as healthy");
    }
}
