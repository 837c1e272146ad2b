package io.quarkube.scheduler.testing;

import static io.quarkube.testing.TestCluster.admin;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.fabric8.kubernetes.api.model.Node;
import io.quarkube.json.Json;
import io.restassured.http.ContentType;

/**
 * Nodes and pods through the API of the control plane under test, as a node agent would register
 * them (the Node, then its status through the status subresource), and polling with a deadline.
 * Remembers the nodes it created so a test can remove them.
 */
public final class ApiNodes {

    public static final Duration DEADLINE = Duration.ofSeconds(30);
    private final List<String> created = new ArrayList<>();

    /** Creates the node and sets its status (conditions, capacity, allocatable). */
    public void create(Node node) {
        ObjectNode body = Json.MAPPER.valueToTree(node);
        ObjectNode status = (ObjectNode) body.remove("status");
        body.put("apiVersion", "v1").put("kind", "Node");
        admin().contentType(ContentType.JSON).body(body.toString()).post("/api/v1/nodes").then().statusCode(201);
        created.add(node.getMetadata().getName());
        admin().contentType("application/merge-patch+json").body(Json.object().set("status", status).toString())
                .patch("/api/v1/nodes/" + node.getMetadata().getName() + "/status").then().statusCode(200);
    }

    public void deleteAll() {
        for (String name : created) {
            admin().delete("/api/v1/nodes/" + name);
        }
        created.clear();
    }

    /** Creates a pod built with {@link TestPods} (its status left out, as a client sends it). */
    public static void createPod(String namespace, io.fabric8.kubernetes.api.model.Pod pod) {
        ObjectNode body = Json.MAPPER.valueToTree(pod);
        body.remove("status");
        body.put("apiVersion", "v1").put("kind", "Pod");
        ((ObjectNode) body.path("metadata")).put("namespace", namespace);
        createPod(namespace, body);
    }

    public static void createPod(String namespace, ObjectNode pod) {
        admin().contentType(ContentType.JSON).body(pod.toString()).post("/api/v1/namespaces/" + namespace + "/pods")
                .then().statusCode(201);
    }

    public static JsonNode get(String path) {
        return Json.parseObject(admin().get(path).then().statusCode(200).extract().asString());
    }

    public static JsonNode pod(String namespace, String name) {
        return get("/api/v1/namespaces/" + namespace + "/pods/" + name);
    }

    /** Polls the object at path until it satisfies the condition; fails after the deadline with the last state. */
    public static JsonNode await(String path, Predicate<JsonNode> condition, String what) {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            last = get(path);
            if (condition.test(last)) {
                return last;
            }
            pause();
        }
        fail(what + " within " + DEADLINE + "; last seen: " + last);
        return last;
    }

    public static JsonNode awaitPod(String namespace, String name, Predicate<JsonNode> condition, String what) {
        return await("/api/v1/namespaces/" + namespace + "/pods/" + name, condition, name + ": " + what);
    }

    public static boolean bound(JsonNode pod) {
        return !pod.path("spec").path("nodeName").asText("").isEmpty();
    }

    /** The pod's PodScheduled condition, or a missing node. */
    public static JsonNode scheduledCondition(JsonNode pod) {
        for (JsonNode condition : pod.path("status").path("conditions")) {
            if ("PodScheduled".equals(condition.path("type").asText())) {
                return condition;
            }
        }
        return Json.object();
    }

    public static boolean unschedulable(JsonNode pod) {
        JsonNode condition = scheduledCondition(pod);
        return "False".equals(condition.path("status").asText()) && "Unschedulable".equals(condition.path("reason").asText());
    }

    /** The events of the namespace about the named object with the reason, polling until one exists. */
    public static List<JsonNode> awaitEvents(String namespace, String name, String reason) {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (System.nanoTime() < deadline) {
            List<JsonNode> found = new ArrayList<>();
            for (JsonNode event : get("/api/v1/namespaces/" + namespace + "/events").path("items")) {
                if (name.equals(event.path("involvedObject").path("name").asText()) && reason.equals(event.path("reason").asText())) {
                    found.add(event);
                }
            }
            if (!found.isEmpty()) {
                return found;
            }
            pause();
        }
        fail("no " + reason + " event about " + namespace + "/" + name + " within " + DEADLINE);
        return List.of();
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail("interrupted");
        }
    }
}
