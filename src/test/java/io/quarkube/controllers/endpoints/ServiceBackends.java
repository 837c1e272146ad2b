package io.quarkube.controllers.endpoints;

import static io.quarkube.testing.TestCluster.admin;

import java.util.List;
import java.util.Map;

import io.restassured.http.ContentType;

/** Pods and Services for the endpoint controllers' tests, written through the API. */
public final class ServiceBackends {

    private ServiceBackends() {
    }

    /** A pod labelled app=APP whose container names port "web" as webPort. */
    public static void pod(String ns, String name, String app, int webPort) {
        admin().contentType(ContentType.JSON).body("""
                {"apiVersion":"v1","kind":"Pod","metadata":{"name":"%s","labels":{"app":"%s"}},
                 "spec":{"nodeName":"node-a","containers":[{"name":"main","image":"busybox",
                   "ports":[{"name":"web","containerPort":%d}]}]}}""".formatted(name, app, webPort))
                .post("/api/v1/namespaces/" + ns + "/pods").then().statusCode(201);
    }

    public static void service(String ns, String name, String spec) {
        admin().contentType(ContentType.JSON).body("""
                {"apiVersion":"v1","kind":"Service","metadata":{"name":"%s","labels":{"team":"blue"}},"spec":%s}"""
                .formatted(name, spec)).post("/api/v1/namespaces/" + ns + "/services").then().statusCode(201);
    }

    /** Writes the pod's status as an agent would: Running with an IP, Ready or not. */
    public static void status(String ns, String name, String ip, boolean ready) {
        admin().contentType("application/merge-patch+json").body("""
                {"status":{"phase":"Running","podIP":"%s","podIPs":[{"ip":"%s"}],
                 "conditions":[{"type":"Ready","status":"%s","lastTransitionTime":"2026-01-01T00:00:00Z"}]}}"""
                .formatted(ip, ip, ready ? "True" : "False"))
                .patch("/api/v1/namespaces/" + ns + "/pods/" + name + "/status").then().statusCode(200);
    }

    /** The Service's EndpointSlices (as the controller labels them). */
    public static List<Map<String, Object>> slices(String ns, String service) {
        return admin().queryParam("labelSelector", "kubernetes.io/service-name=" + service)
                .get("/apis/discovery.k8s.io/v1/namespaces/" + ns + "/endpointslices").path("items");
    }

    /** The endpoints of the Service's slices: address to the endpoint. */
    @SuppressWarnings("unchecked")
    public static Map<String, Map<String, Object>> endpointsByAddress(String ns, String service) {
        Map<String, Map<String, Object>> byAddress = new java.util.TreeMap<>();
        for (Map<String, Object> slice : slices(ns, service)) {
            List<Map<String, Object>> endpoints = (List<Map<String, Object>>) slice.get("endpoints");
            if (endpoints != null) {
                endpoints.forEach(e -> byAddress.put(((List<String>) e.get("addresses")).get(0), e));
            }
        }
        return byAddress;
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> conditions(Map<String, Object> endpoint) {
        return endpoint == null ? Map.of() : (Map<String, Object>) endpoint.get("conditions");
    }
}
