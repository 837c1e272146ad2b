package io.quarkube.testing;

import java.util.UUID;

import io.restassured.http.ContentType;

/** Small request bodies and per-test namespaces for API tests. */
public final class Manifests {

    private Manifests() {
    }

    /** A fresh namespace for one test class or test, so tests never see each other's objects. */
    public static String namespace(String prefix) {
        String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        TestCluster.admin().contentType(ContentType.JSON).body(namespaceBody(name))
                .post("/api/v1/namespaces").then().statusCode(201);
        return name;
    }

    public static String namespaceBody(String name) {
        return """
                {"apiVersion":"v1","kind":"Namespace","metadata":{"name":"%s"}}""".formatted(name);
    }

    public static String configMap(String name, String key, String value) {
        return """
                {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"%s"},"data":{"%s":"%s"}}""".formatted(name, key, value);
    }

    public static String labelledConfigMap(String name, String labels) {
        return """
                {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"%s","labels":{%s}}}""".formatted(name, labels);
    }

    public static String pod(String name, String image) {
        return """
                {"apiVersion":"v1","kind":"Pod","metadata":{"name":"%s","labels":{"app":"%s"}},
                 "spec":{"containers":[{"name":"main","image":"%s"}]}}""".formatted(name, name, image);
    }

    public static String deployment(String name, int replicas) {
        return """
                {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"%1$s"},
                 "spec":{"replicas":%2$d,"selector":{"matchLabels":{"app":"%1$s"}},
                  "template":{"metadata":{"labels":{"app":"%1$s"}},
                   "spec":{"containers":[{"name":"web","image":"nginx:1.27"}]}}}}""".formatted(name, replicas);
    }

    public static String service(String name) {
        return """
                {"apiVersion":"v1","kind":"Service","metadata":{"name":"%s"},
                 "spec":{"selector":{"app":"%s"},"ports":[{"port":80}]}}""".formatted(name, name);
    }
}
