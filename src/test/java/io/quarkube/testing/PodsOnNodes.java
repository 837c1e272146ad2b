package io.quarkube.testing;

import static io.quarkube.testing.TestCluster.admin;

import java.time.Duration;
import java.util.function.BooleanSupplier;

import io.restassured.http.ContentType;

/**
 * Nodes, pods bound to them and PodDisruptionBudgets, made through the API for tests in which no
 * node agent runs: the test plays the kubelet's part by writing pod status (Running, Ready)
 * through pods/status.
 */
public final class PodsOnNodes {

    private static final Duration DEADLINE = Duration.ofSeconds(20);

    private PodsOnNodes() {
    }

    /** A Node object (no agent behind it). */
    public static void node(String name) {
        admin().contentType(ContentType.JSON).body("""
                {"apiVersion":"v1","kind":"Node","metadata":{"name":"%s","labels":{"kubernetes.io/hostname":"%s"}}}"""
                .formatted(name, name)).post("/api/v1/nodes").then().statusCode(201);
    }

    /** A pod labelled app=app, bound to the node at creation, then Running and Ready. */
    public static void readyPod(String namespace, String name, String app, String node) {
        admin().contentType(ContentType.JSON).body("""
                {"apiVersion":"v1","kind":"Pod","metadata":{"name":"%s","labels":{"app":"%s"}},
                 "spec":{"nodeName":"%s","containers":[{"name":"main","image":"busybox"}]}}""".formatted(name, app, node))
                .post("/api/v1/namespaces/" + namespace + "/pods").then().statusCode(201);
        admin().contentType("application/merge-patch+json").body("""
                {"status":{"phase":"Running","conditions":[{"type":"Ready","status":"True","lastTransitionTime":"2026-01-01T00:00:00Z"}]}}""")
                .patch("/api/v1/namespaces/" + namespace + "/pods/" + name + "/status").then().statusCode(200);
    }

    /** A policy/v1 budget over app=app with an integer minAvailable. */
    public static void budget(String namespace, String name, String app, int minAvailable) {
        admin().contentType(ContentType.JSON).body("""
                {"apiVersion":"policy/v1","kind":"PodDisruptionBudget","metadata":{"name":"%s"},
                 "spec":{"minAvailable":%d,"selector":{"matchLabels":{"app":"%s"}}}}""".formatted(name, minAvailable, app))
                .post("/apis/policy/v1/namespaces/" + namespace + "/poddisruptionbudgets").then().statusCode(201);
    }

    /** Waits until the disruption controller has observed the budget and allows this many disruptions. */
    public static void awaitAllowed(String namespace, String name, int allowed) {
        await("budget " + name + " observed with disruptionsAllowed " + allowed, () -> {
            var budget = admin().get("/apis/policy/v1/namespaces/" + namespace + "/poddisruptionbudgets/" + name);
            Integer observed = budget.path("status.observedGeneration");
            Integer generation = budget.path("metadata.generation");
            return observed != null && observed.equals(generation)
                    && Integer.valueOf(allowed).equals(budget.path("status.disruptionsAllowed"));
        });
    }

    public static boolean exists(String namespace, String pod) {
        return admin().get("/api/v1/namespaces/" + namespace + "/pods/" + pod).statusCode() == 200;
    }

    /** Polls until the condition holds, failing after a deadline. */
    public static void await(String what, BooleanSupplier condition) {
        long until = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > until) {
                throw new AssertionError("not within " + DEADLINE + ": " + what);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
