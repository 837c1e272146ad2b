package io.quarkube.api;

import static io.quarkube.testing.PodsOnNodes.await;
import static io.quarkube.testing.PodsOnNodes.awaitAllowed;
import static io.quarkube.testing.PodsOnNodes.budget;
import static io.quarkube.testing.PodsOnNodes.exists;
import static io.quarkube.testing.PodsOnNodes.readyPod;
import static io.quarkube.testing.TestCluster.admin;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.kubernetes.client.proto.Meta;
import io.kubernetes.client.proto.V1Policy;
import io.quarkube.testing.ControlPlaneTestResource;
import io.quarkube.testing.Manifests;
import io.quarkube.testing.PodsOnNodes;
import io.quarkube.testing.ProtobufBodies;
import io.quarkube.testing.WatchClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * The pods/eviction subresource through the API, with the disruption controller keeping budgets
 * current. No node agent runs here: pods are bound to a Node object the test creates, and the test
 * writes their Running/Ready status through pods/status as a kubelet would.
 */
@QuarkusTest
@QuarkusTestResource(value = ControlPlaneTestResource.class, restrictToAnnotatedClass = false)
class EvictionSubresourceTest {

    private static final String NODE = "eviction-node";
    private static String ns;

    @BeforeAll
    static void setUp() {
        ns = Manifests.namespace("evict");
        PodsOnNodes.node(NODE);
    }

    private static String eviction(String pod, int gracePeriodSeconds) {
        return """
                {"apiVersion":"policy/v1","kind":"Eviction","metadata":{"name":"%s","namespace":"%s"},
                 "deleteOptions":{"gracePeriodSeconds":%d}}""".formatted(pod, ns, gracePeriodSeconds);
    }

    private static String evictionUrl(String pod) {
        return "/api/v1/namespaces/" + ns + "/pods/" + pod + "/eviction";
    }

    private static String budgetUrl(String name) {
        return "/apis/policy/v1/namespaces/" + ns + "/poddisruptionbudgets/" + name;
    }

    @Test
    void anAllowedEvictionTakesADisruptionAndDeletesThePod() {
        for (String pod : List.of("web-0", "web-1", "web-2")) {
            readyPod(ns, pod, "web", NODE);
        }
        budget(ns, "web-pdb", "web", 2);
        awaitAllowed(ns, "web-pdb", 1);
        String version = admin().get(budgetUrl("web-pdb")).path("metadata.resourceVersion");

        try (WatchClient watch = WatchClient.open("/apis/policy/v1/namespaces/" + ns
                + "/poddisruptionbudgets?watch=true&fieldSelector=metadata.name=web-pdb&resourceVersion=" + version)) {
            admin().contentType(ContentType.JSON).body(eviction("web-0", 0)).post(evictionUrl("web-0")).then().statusCode(201)
                    .body("kind", equalTo("Status")).body("status", equalTo("Success")).body("code", equalTo(201));

            // the eviction's own write: one disruption taken, the pod recorded for the disruption controller
            JsonNode taken = watch.next().path("object").path("status");
            assertEquals(0, taken.path("disruptionsAllowed").asInt());
            assertTrue(taken.path("disruptedPods").has("web-0"), taken::toString);
            assertEquals("InsufficientPods", taken.at("/conditions/0/reason").asText());
        }
        assertFalse(exists(ns, "web-0"), "deleted with the Eviction's gracePeriodSeconds 0");
        await("the controller drops the record of the deleted pod", () -> admin().get(budgetUrl("web-pdb"))
                .path("status.disruptedPods") == null && Integer.valueOf(2).equals(admin().get(budgetUrl("web-pdb")).path("status.currentHealthy")));
    }

    @Test
    void aBudgetAtZeroAnswers429AndKeepsThePod() {
        for (String pod : List.of("db-0", "db-1")) {
            readyPod(ns, pod, "db", NODE);
        }
        budget(ns, "db-pdb", "db", 2);
        awaitAllowed(ns, "db-pdb", 0);

        admin().contentType(ContentType.JSON).body(eviction("db-0", 0)).post(evictionUrl("db-0")).then().statusCode(429)
                .body("reason", equalTo("TooManyRequests"))
                .body("message", equalTo("Cannot evict pod as it would violate the pod's disruption budget."))
                .body("details.causes[0].reason", equalTo("DisruptionBudget"))
                .body("details.causes[0].message", equalTo("The disruption budget db-pdb needs 2 healthy pods and has 2 currently"));
        assertTrue(exists(ns, "db-0"));
        assertEquals(0, (int) admin().get(budgetUrl("db-pdb")).path("status.disruptionsAllowed"));
    }

    @Test
    void pendingPodsAreEvictedWithoutAskingTheirBudget() {
        admin().contentType(ContentType.JSON).body("""
                {"apiVersion":"v1","kind":"Pod","metadata":{"name":"queued","labels":{"app":"queue"}},
                 "spec":{"containers":[{"name":"main","image":"busybox"}]}}""").post("/api/v1/namespaces/" + ns + "/pods")
                .then().statusCode(201);
        budget(ns, "queue-pdb", "queue", 5);
        awaitAllowed(ns, "queue-pdb", 0);

        admin().contentType(ContentType.JSON).body(eviction("queued", 0)).post(evictionUrl("queued")).then().statusCode(201);
        assertFalse(exists(ns, "queued"));
    }

    @Test
    void aPodUnderTwoBudgetsCannotBeEvicted() {
        readyPod(ns, "twice", "twice", NODE);
        budget(ns, "twice-a", "twice", 0);
        budget(ns, "twice-b", "twice", 0);
        admin().contentType(ContentType.JSON).body(eviction("twice", 0)).post(evictionUrl("twice")).then().statusCode(500)
                .body("message", equalTo("This pod has more than one PodDisruptionBudget, which the eviction subresource does not support."));
        assertTrue(exists(ns, "twice"));
    }

    @Test
    void evictionOfAnotherPodsNameIsABadRequest() {
        readyPod(ns, "named", "named", NODE);
        admin().contentType(ContentType.JSON).body(eviction("other", 0)).post(evictionUrl("named")).then().statusCode(400)
                .body("message", equalTo("name in URL does not match name in Eviction object"));
        admin().contentType(ContentType.JSON).body(eviction("missing", 0)).post(evictionUrl("missing")).then().statusCode(404);
        admin().get(evictionUrl("named")).then().statusCode(405);
    }

    @Test
    void acceptsProtobufEvictionsAsKubectl132AndLaterSendThem() {
        readyPod(ns, "proto", "proto", NODE);
        byte[] body = ProtobufBodies.envelope("policy/v1", "Eviction", V1Policy.Eviction.newBuilder()
                .setMetadata(Meta.ObjectMeta.newBuilder().setName("proto").setNamespace(ns))
                .setDeleteOptions(Meta.DeleteOptions.newBuilder().setGracePeriodSeconds(0)).build());

        admin().contentType(ProtobufBodies.MEDIA_TYPE).body(body).post(evictionUrl("proto")).then().statusCode(201);
        assertFalse(exists(ns, "proto"));
    }

    @Test
    void discoveryAdvertisesTheEvictionSubresource() {
        admin().get("/api/v1").then().statusCode(200)
                .body("resources.find { it.name == 'pods/eviction' }.kind", equalTo("Eviction"))
                .body("resources.find { it.name == 'pods/eviction' }.group", equalTo("policy"))
                .body("resources.find { it.name == 'pods/eviction' }.version", equalTo("v1"))
                .body("resources.find { it.name == 'pods/eviction' }.verbs", equalTo(List.of("create")));
        admin().accept(Discovery.AGGREGATED_V2).get("/api").then().statusCode(200)
                .body("items[0].versions[0].resources.find { it.resource == 'pods' }.subresources.subresource", hasItem("eviction"));
    }
}
