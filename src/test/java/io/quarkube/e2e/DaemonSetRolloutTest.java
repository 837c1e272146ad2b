package io.quarkube.e2e;

import static io.quarkube.testing.TestCluster.admin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.quarkube.testing.ControlPlaneTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * A DaemonSet rolled out, updated and rolled back with the real kubectl (rollout status, history, undo). Node agents
 * are a separate application and do not run in these tests (nor the scheduler): the test creates
 * Node objects, and a stand-in marks daemon pods Running and Ready through pods/status as an
 * agent would once their containers are up.
 */
@QuarkusTest
@QuarkusTestResource(value = ControlPlaneTestResource.class, restrictToAnnotatedClass = false)
class DaemonSetRolloutTest {

    private ScheduledExecutorService kubeletStandIn;

    @AfterEach
    void stopStandIn() {
        if (kubeletStandIn != null) {
            kubeletStandIn.shutdownNow();
        }
    }

    private void readyPodsIn(String namespace) {
        kubeletStandIn = Executors.newSingleThreadScheduledExecutor();
        kubeletStandIn.scheduleWithFixedDelay(() -> {
            List<Map<String, Object>> items = admin().get("/api/v1/namespaces/" + namespace + "/pods").path("items");
            for (Map<String, Object> pod : items) {
                Map<?, ?> metadata = (Map<?, ?>) pod.get("metadata");
                Map<?, ?> status = (Map<?, ?>) pod.get("status");
                if (metadata.get("deletionTimestamp") != null || (status != null && "Running".equals(status.get("phase")))) {
                    continue;
                }
                admin().contentType("application/merge-patch+json").body("""
                        {"status":{"phase":"Running","conditions":[{"type":"Ready","status":"True"}]}}""")
                        .patch("/api/v1/namespaces/" + namespace + "/pods/" + metadata.get("name") + "/status");
            }
        }, 0, 200, TimeUnit.MILLISECONDS);
    }

    private static void await(java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                org.junit.jupiter.api.Assertions.fail("timed out waiting for the rolled-back pods");
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                org.junit.jupiter.api.Assertions.fail("interrupted");
            }
        }
    }

    @Test
    void rolloutStatusHistoryAndUndo() {
        for (String name : List.of("e2e-ds-1", "e2e-ds-2")) {
            admin().contentType(ContentType.JSON).body("""
                    {"apiVersion":"v1","kind":"Node","metadata":{"name":"%s","labels":{"e2e-ds":"yes"}}}""".formatted(name))
                    .post("/api/v1/nodes").then().statusCode(201);
        }
        Kubectl kubectl = new Kubectl(33);
        kubectl.ensureNamespace();
        readyPodsIn(kubectl.namespace());
        kubectl.withInput("""
                {"apiVersion":"apps/v1","kind":"DaemonSet","metadata":{"name":"agents"},
                 "spec":{"selector":{"matchLabels":{"app":"agents"}},
                  "template":{"metadata":{"labels":{"app":"agents"}},
                   "spec":{"nodeSelector":{"e2e-ds":"yes"},"containers":[{"name":"agent","image":"agent:v1"}]}}}}""",
                "apply", "-f", "-");
        CommandResult first = kubectl.ok("rollout", "status", "daemonset/agents", "--timeout=60s");
        assertTrue(first.stdout().contains("successfully rolled out"), first::describe);

        kubectl.ok("set", "image", "daemonset/agents", "agent=agent:v2");
        CommandResult second = kubectl.ok("rollout", "status", "daemonset/agents", "--timeout=60s");
        assertTrue(second.stdout().contains("successfully rolled out"), second::describe);
        List<String> images = admin().queryParam("labelSelector", "app=agents").get("/api/v1/namespaces/" + kubectl.namespace() + "/pods")
                .path("items.findAll { it.metadata.deletionTimestamp == null }.collect { it.spec.containers[0].image }");
        assertEquals(List.of("agent:v2", "agent:v2"), images);
        CommandResult history = kubectl.ok("rollout", "history", "daemonset/agents");
        assertTrue(history.stdout().contains("1 ") && history.stdout().contains("2 "), history::describe);

        kubectl.ok("rollout", "undo", "daemonset/agents");
        kubectl.ok("rollout", "status", "daemonset/agents", "--timeout=60s");
        assertEquals("agent:v1", admin().get("/apis/apps/v1/namespaces/" + kubectl.namespace() + "/daemonsets/agents")
                .path("spec.template.spec.containers[0].image"));
        List<Integer> revisions = admin().get("/apis/apps/v1/namespaces/" + kubectl.namespace() + "/controllerrevisions")
                .path("items.findAll { it.metadata.ownerReferences[0].name == 'agents' }.collect { it.revision }.sort()");
        assertEquals(List.of(2, 3), revisions, "the first template comes back as revision 3");
        await(() -> admin().queryParam("labelSelector", "app=agents").get("/api/v1/namespaces/" + kubectl.namespace() + "/pods")
                .path("items.findAll { it.metadata.deletionTimestamp == null }.collect { it.spec.containers[0].image }")
                .equals(List.of("agent:v1", "agent:v1")));

        CommandResult described = kubectl.ok("describe", "daemonset/agents");
        assertTrue(described.stdout().contains("SuccessfulCreate"), described::describe);
    }
}
