package io.quarkube.e2e;

import static io.quarkube.testing.TestCluster.admin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.quarkube.testing.Await;
import io.quarkube.testing.ControlPlaneTestResource;
import io.quarkube.testing.PodStatusStandIn;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * Deployments rolled out by the deployment and ReplicaSet controllers, driven and checked with the
 * real kubectl (rollout status, history, undo). The node agent is a separate application and does
 * not run in these tests: a stand-in marks pods Running and Ready through pods/status, as an agent
 * would once their containers are up; tests that need pods never to become ready leave it off.
 */
@QuarkusTest
@QuarkusTestResource(value = ControlPlaneTestResource.class, restrictToAnnotatedClass = false)
class DeploymentRolloutTest {

    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private PodStatusStandIn kubeletStandIn;

    @AfterEach
    void stopStandIn() {
        if (kubeletStandIn != null) {
            kubeletStandIn.close();
        }
    }

    private static String deployment(String name, String image, String extraSpec) {
        return """
                {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"%s"},
                 "spec":{"replicas":2,"selector":{"matchLabels":{"app":"%s"}}%s,
                  "template":{"metadata":{"labels":{"app":"%s"}},
                   "spec":{"containers":[{"name":"web","image":"%s"}]}}}}""".formatted(name, name, extraSpec, name, image);
    }

    private static String create(Kubectl kubectl, String body) {
        kubectl.ensureNamespace();
        kubectl.withInput(body, "apply", "-f", "-");
        return kubectl.namespace();
    }

    /** The app's ReplicaSets: tests of one kubectl release share its namespace. */
    private static List<Map<String, Object>> replicaSets(String namespace, String app) {
        return admin().queryParam("labelSelector", "app=" + app).get("/apis/apps/v1/namespaces/" + namespace + "/replicasets").path("items");
    }

    @Test
    void aRollingUpdateCompletesAndCanBeUndone() {
        Kubectl kubectl = new Kubectl(33);
        String ns = create(kubectl, deployment("rolling", "busybox:1", ""));
        kubeletStandIn = PodStatusStandIn.runningAndReady(ns);
        kubectl.ok("rollout", "status", "deployment/rolling", "--timeout=60s");

        kubectl.ok("set", "image", "deployment/rolling", "web=busybox:2");
        CommandResult status = kubectl.ok("rollout", "status", "deployment/rolling", "--timeout=60s");
        assertTrue(status.stdout().contains("successfully rolled out"), status::describe);
        Await.until("the old ReplicaSet scaled to zero", DEADLINE, () -> replicaSets(ns, "rolling").stream().filter(rs -> rs.toString().contains("busybox:1"))
                .allMatch(rs -> Integer.valueOf(0).equals(((Map<?, ?>) rs.get("spec")).get("replicas"))));
        assertEquals("2", admin().get("/apis/apps/v1/namespaces/" + ns + "/deployments/rolling")
                .path("metadata.annotations.'deployment.kubernetes.io/revision'"));
        List<Map<String, Object>> sets = replicaSets(ns, "rolling");
        assertEquals(2, sets.size());
        for (Map<String, Object> rs : sets) {
            Map<?, ?> labels = (Map<?, ?>) ((Map<?, ?>) rs.get("metadata")).get("labels");
            String hash = (String) labels.get("pod-template-hash");
            assertTrue(((String) ((Map<?, ?>) rs.get("metadata")).get("name")).endsWith("-" + hash));
        }

        CommandResult described = kubectl.ok("describe", "deployment/rolling");
        assertTrue(described.stdout().contains("ScalingReplicaSet"), described::describe);

        CommandResult history = kubectl.ok("rollout", "history", "deployment/rolling");
        assertTrue(history.stdout().contains("1") && history.stdout().contains("2"), history::describe);

        kubectl.ok("rollout", "undo", "deployment/rolling");
        kubectl.ok("rollout", "status", "deployment/rolling", "--timeout=60s");
        String image = admin().get("/apis/apps/v1/namespaces/" + ns + "/deployments/rolling").path("spec.template.spec.containers[0].image");
        assertEquals("busybox:1", image);
        assertEquals("3", admin().get("/apis/apps/v1/namespaces/" + ns + "/deployments/rolling")
                .path("metadata.annotations.'deployment.kubernetes.io/revision'"), "the rolled-back template gets the next revision");
        assertEquals(2, replicaSets(ns, "rolling").size(), "the old ReplicaSet is reused, not copied");
    }

    @Test
    void rolloutStatusFailsWhenTheProgressDeadlineIsExceeded() {
        Kubectl kubectl = new Kubectl(27);
        String ns = create(kubectl, deployment("stuck", "busybox:1", ",\"progressDeadlineSeconds\":2"));
        // no stand-in: pods never become ready
        CommandResult status = kubectl.inNamespace("rollout", "status", "deployment/stuck", "--timeout=60s");
        assertNotEquals(0, status.exitCode(), status::describe);
        assertTrue(status.stderr().contains("exceeded its progress deadline"), status::describe);
        assertEquals("ProgressDeadlineExceeded", admin().get("/apis/apps/v1/namespaces/" + ns + "/deployments/stuck")
                .path("status.conditions.find { it.type == 'Progressing' }.reason"));
    }

    @Test
    void recreateRemovesTheOldPodsBeforeStartingNewOnes() {
        Kubectl kubectl = new Kubectl(30);
        String ns = create(kubectl, deployment("recreated", "busybox:1", ",\"strategy\":{\"type\":\"Recreate\"}"));
        kubeletStandIn = PodStatusStandIn.runningAndReady(ns);
        kubectl.ok("rollout", "status", "deployment/recreated", "--timeout=60s");
        admin().contentType(ContentType.JSON).body("[{\"op\":\"replace\",\"path\":\"/spec/template/spec/containers/0/image\",\"value\":\"busybox:2\"}]")
                .contentType("application/json-patch+json").patch("/apis/apps/v1/namespaces/" + ns + "/deployments/recreated")
                .then().statusCode(200);
        // while any busybox:1 pod exists, no busybox:2 pod may exist
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (true) {
            String pods = admin().queryParam("labelSelector", "app=recreated").get("/api/v1/namespaces/" + ns + "/pods").asString();
            assertTrue(!(pods.contains("busybox:1") && pods.contains("busybox:2")), "old and new pods at once: " + pods);
            if (!pods.contains("busybox:1") && pods.split("busybox:2", -1).length - 1 >= 2) {
                break;
            }
            if (System.nanoTime() > deadline) {
                fail("the Recreate rollout did not finish: " + pods);
            }
            Await.pause(100);
        }
        kubectl.ok("rollout", "status", "deployment/recreated", "--timeout=60s");
    }

    @Test
    void revisionHistoryLimitPrunesOldReplicaSets() {
        Kubectl kubectl = new Kubectl(33);
        String ns = create(kubectl, deployment("pruned", "busybox:1", ",\"revisionHistoryLimit\":1"));
        kubeletStandIn = PodStatusStandIn.runningAndReady(ns);
        kubectl.ok("rollout", "status", "deployment/pruned", "--timeout=60s");
        for (String image : new String[] {"busybox:2", "busybox:3"}) {
            kubectl.ok("set", "image", "deployment/pruned", "web=" + image);
            kubectl.ok("rollout", "status", "deployment/pruned", "--timeout=60s");
        }
        Await.until("two ReplicaSets left", DEADLINE, () -> replicaSets(ns, "pruned").size() == 2);
        String all = replicaSets(ns, "pruned").toString();
        assertTrue(all.contains("busybox:3") && all.contains("busybox:2") && !all.contains("busybox:1"), all);
    }


}
