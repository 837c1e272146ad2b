package io.quarkube.controllers.daemonset;

import static io.quarkube.testing.TestCluster.admin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.quarkube.testing.Await;
import io.quarkube.testing.ControlPlaneTestResource;
import io.quarkube.testing.Manifests;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * The DaemonSet controller through the API, with Node objects created by the test. Node agents
 * are a separate application and the scheduler is off in these tests, so pods stay unbound: the
 * controller places them through their node affinity (what the test checks) and, where a test
 * needs ready pods, the test stands in for the kubelet by marking them Ready through pods/status.
 */
@QuarkusTest
@QuarkusTestResource(value = ControlPlaneTestResource.class, restrictToAnnotatedClass = false)
class DaemonSetControllerTest {

    private static final Duration DEADLINE = Duration.ofSeconds(20);
    private static String ns;

    @BeforeAll
    static void namespace() {
        ns = Manifests.namespace("ds");
    }

    private static void node(String name, String labels, String taints) {
        admin().contentType(ContentType.JSON).body("""
                {"apiVersion":"v1","kind":"Node","metadata":{"name":"%s","labels":{%s}},"spec":{"taints":[%s]}}"""
                .formatted(name, labels, taints)).post("/api/v1/nodes").then().statusCode(201);
    }

    private static String daemonSet(String name, String nodeSelector, String image, String strategy) {
        return """
                {"apiVersion":"apps/v1","kind":"DaemonSet","metadata":{"name":"%s"},
                 "spec":{"selector":{"matchLabels":{"app":"%s"}},%s
                  "template":{"metadata":{"labels":{"app":"%s"}},
                   "spec":{"nodeSelector":{%s},"containers":[{"name":"agent","image":"%s"}]}}}}"""
                .formatted(name, name, strategy, name, nodeSelector, image);
    }

    private static String daemonSets() {
        return "/apis/apps/v1/namespaces/" + ns + "/daemonsets";
    }

    private static String pods() {
        return "/api/v1/namespaces/" + ns + "/pods";
    }

    private static List<Map<String, Object>> livePods(String app) {
        List<Map<String, Object>> items = admin().queryParam("labelSelector", "app=" + app).get(pods()).path("items");
        return items.stream().filter(pod -> ((Map<?, ?>) pod.get("metadata")).get("deletionTimestamp") == null).toList();
    }

    /** The node each live pod of the app is pinned to through its required node affinity. */
    private static Set<String> targetNodes(String app) {
        Set<String> nodes = new TreeSet<>();
        JsonPath json = admin().queryParam("labelSelector", "app=" + app).get(pods()).then().extract().jsonPath();
        List<Map<String, Object>> items = json.getList("items");
        for (int i = 0; i < items.size(); i++) {
            if (json.get("items[" + i + "].metadata.deletionTimestamp") == null) {
                nodes.add(json.getString("items[" + i + "].spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution"
                        + ".nodeSelectorTerms[0].matchFields[0].values[0]"));
            }
        }
        return nodes;
    }

    @Test
    void onePodPerEligibleNode() {
        node("ds-a", "\"role\":\"edge\"", "");
        node("ds-b", "\"role\":\"edge\"", "{\"key\":\"dedicated\",\"value\":\"db\",\"effect\":\"NoSchedule\"}");
        node("ds-c", "\"role\":\"core\"", "");
        node("ds-d", "\"role\":\"edge\"", "{\"key\":\"node.kubernetes.io/unschedulable\",\"effect\":\"NoSchedule\"}");
        admin().contentType(ContentType.JSON).body(daemonSet("edge", "\"role\":\"edge\"", "busybox:1", "")).post(daemonSets())
                .then().statusCode(201);
        Await.until("pods on ds-a and ds-d", DEADLINE, () -> targetNodes("edge").equals(Set.of("ds-a", "ds-d")));

        JsonPath pod = JsonPath.from(admin().queryParam("labelSelector", "app=edge").get(pods()).asString()).setRootPath("items[0]");
        assertEquals("metadata.name", pod.getString("spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution"
                + ".nodeSelectorTerms[0].matchFields[0].key"));
        assertEquals("In", pod.getString("spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution"
                + ".nodeSelectorTerms[0].matchFields[0].operator"));
        List<String> tolerated = pod.getList("spec.tolerations.collect { it.key + ':' + it.effect }");
        assertTrue(tolerated.containsAll(List.of("node.kubernetes.io/not-ready:NoExecute", "node.kubernetes.io/unreachable:NoExecute",
                "node.kubernetes.io/disk-pressure:NoSchedule", "node.kubernetes.io/memory-pressure:NoSchedule",
                "node.kubernetes.io/pid-pressure:NoSchedule", "node.kubernetes.io/unschedulable:NoSchedule")), tolerated.toString());
        assertTrue(pod.getString("metadata.labels.controller-revision-hash") != null);
        assertEquals("DaemonSet", pod.getString("metadata.ownerReferences[0].kind"));
        Await.until("status: desired 2, current 2", DEADLINE, () -> {
            JsonPath status = admin().get(daemonSets() + "/edge").then().extract().jsonPath();
            return Integer.valueOf(2).equals(status.get("status.desiredNumberScheduled"))
                    && Integer.valueOf(2).equals(status.get("status.currentNumberScheduled"))
                    && Integer.valueOf(2).equals(status.get("status.updatedNumberScheduled"))
                    && Integer.valueOf(0).equals(status.get("status.numberReady"));
        });

        admin().contentType("application/merge-patch+json").body("{\"metadata\":{\"labels\":{\"role\":\"edge\"}}}")
                .patch("/api/v1/nodes/ds-c").then().statusCode(200);
        Await.until("a pod for the node that became eligible", DEADLINE, () -> targetNodes("edge").equals(Set.of("ds-a", "ds-c", "ds-d")));

        admin().contentType("application/merge-patch+json").body("{\"metadata\":{\"labels\":{\"role\":\"core\"}}}")
                .patch("/api/v1/nodes/ds-a").then().statusCode(200);
        Await.until("the pod of the node that stopped qualifying deleted", DEADLINE, () -> targetNodes("edge").equals(Set.of("ds-c", "ds-d")));

        String victim = (String) ((Map<?, ?>) livePods("edge").get(0).get("metadata")).get("name");
        admin().delete(pods() + "/" + victim).then().statusCode(200);
        Await.until("a deleted pod replaced", DEADLINE, () -> targetNodes("edge").equals(Set.of("ds-c", "ds-d"))
                && livePods("edge").stream().noneMatch(p -> victim.equals(((Map<?, ?>) p.get("metadata")).get("name"))));
    }

    @Test
    void rollingUpdateReplacesPodsWithinMaxUnavailable() {
        for (String name : List.of("ru-1", "ru-2", "ru-3")) {
            node(name, "\"pool\":\"rolling\"", "");
        }
        admin().contentType(ContentType.JSON).body(daemonSet("rolling", "\"pool\":\"rolling\"", "agent:v1",
                "\"updateStrategy\":{\"type\":\"RollingUpdate\",\"rollingUpdate\":{\"maxUnavailable\":1}},")).post(daemonSets())
                .then().statusCode(201);
        Await.until("3 pods ready", DEADLINE, () -> {
            markReady("rolling");
            return Integer.valueOf(3).equals(admin().get(daemonSets() + "/rolling").path("status.numberReady"));
        });

        admin().contentType("application/merge-patch+json")
                .body("{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"agent\",\"image\":\"agent:v2\"}]}}}}")
                .patch(daemonSets() + "/rolling").then().statusCode(200);
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (true) {
            List<Map<String, Object>> live = livePods("rolling");
            long readyNodes = live.stream().filter(DaemonSetControllerTest::isReady).count();
            assertTrue(readyNodes >= 2, "more than maxUnavailable nodes without a ready pod: " + readyNodes + " ready");
            boolean allNew = live.size() == 3 && live.stream().allMatch(p -> "agent:v2".equals(image(p)));
            if (allNew && readyNodes == 3) {
                break;
            }
            if (System.nanoTime() > deadline) {
                fail("rollout did not finish: " + live.stream().map(DaemonSetControllerTest::image).toList());
            }
            markReady("rolling");
            Await.pause(100);
        }
        Await.until("updatedNumberScheduled 3", DEADLINE, () -> Integer.valueOf(3).equals(admin().get(daemonSets() + "/rolling")
                .path("status.updatedNumberScheduled")));
    }

    @Test
    void aNodeGetsItsNextPodOnlyOnceTheTerminatingOneIsGone() {
        node("hold-1", "\"pool\":\"hold\"", "");
        admin().contentType(ContentType.JSON).body(daemonSet("held", "\"pool\":\"hold\"", "agent:v1", "")).post(daemonSets())
                .then().statusCode(201);
        Await.until("a pod", DEADLINE, () -> livePods("held").size() == 1);
        String pod = (String) ((Map<?, ?>) livePods("held").get(0).get("metadata")).get("name");
        // a finalizer keeps the deleted pod terminating, as a kubelet's graceful shutdown would
        admin().contentType("application/merge-patch+json").body("{\"metadata\":{\"finalizers\":[\"quarkube.test/hold\"]}}")
                .patch(pods() + "/" + pod).then().statusCode(200);
        admin().delete(pods() + "/" + pod).then().statusCode(200);
        long until = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        while (System.nanoTime() < until) {
            assertTrue(livePods("held").isEmpty(), "a second pod while the first is still terminating");
            Await.pause(200);
        }
        admin().contentType("application/merge-patch+json").body("{\"metadata\":{\"finalizers\":null}}")
                .patch(pods() + "/" + pod).then().statusCode(200);
        Await.until("the next pod once the old one is gone", DEADLINE, () -> livePods("held").size() == 1);
    }

    /** Stands in for the kubelet: pods not yet ready become Running and Ready. */
    private static void markReady(String app) {
        for (Map<String, Object> pod : livePods(app)) {
            if (!isReady(pod)) {
                admin().contentType("application/merge-patch+json").body("""
                        {"status":{"phase":"Running","conditions":[{"type":"Ready","status":"True"}]}}""")
                        .patch(pods() + "/" + ((Map<?, ?>) pod.get("metadata")).get("name") + "/status");
            }
        }
    }

    private static boolean isReady(Map<String, Object> pod) {
        Map<?, ?> status = (Map<?, ?>) pod.get("status");
        if (status == null || status.get("conditions") == null) {
            return false;
        }
        return ((List<?>) status.get("conditions")).stream().map(c -> (Map<?, ?>) c)
                .anyMatch(c -> "Ready".equals(c.get("type")) && "True".equals(c.get("status")));
    }

    private static String image(Map<String, Object> pod) {
        return (String) ((Map<?, ?>) ((List<?>) ((Map<?, ?>) pod.get("spec")).get("containers")).get(0)).get("image");
    }
}
