package io.quarkube.controllers.endpoints;

import static io.quarkube.controllers.endpoints.ServiceBackends.pod;
import static io.quarkube.controllers.endpoints.ServiceBackends.service;
import static io.quarkube.controllers.endpoints.ServiceBackends.status;
import static io.quarkube.testing.TestCluster.admin;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.quarkube.testing.Await;
import io.quarkube.testing.ControlPlaneTestResource;
import io.quarkube.testing.Manifests;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/** The Endpoints controller through the API; the tests write pod statuses as an agent would. */
@QuarkusTest
@QuarkusTestResource(value = ControlPlaneTestResource.class, restrictToAnnotatedClass = false)
class EndpointsControllerTest {

    private static JsonPath endpoints(String ns, String name) {
        var response = admin().get("/api/v1/namespaces/" + ns + "/endpoints/" + name);
        return response.statusCode() == 200 ? response.jsonPath() : null;
    }

    private static List<Object> at(String ns, String name, String path) {
        JsonPath endpoints = endpoints(ns, name);
        List<Object> found = endpoints == null ? null : endpoints.getList(path);
        return found == null ? List.of() : found;
    }

    /** The IPs under addresses or notReadyAddresses across every subset. */
    private static List<String> ips(String ns, String name, String field) {
        return at(ns, name, "subsets.collect { it." + field + " ?: [] }.flatten().ip").stream().map(String::valueOf).toList();
    }

    @Test
    void readyAndNotReadyAddressesWithNamedPortsResolvedPerPod() {
        String ns = Manifests.namespace("ep-ports");
        service(ns, "web", "{\"selector\":{\"app\":\"web\"},\"ports\":[{\"name\":\"http\",\"port\":80,\"targetPort\":\"web\"}]}");
        pod(ns, "web-a", "web", 8080);
        pod(ns, "web-b", "web", 9090);
        pod(ns, "web-c", "web", 8080);
        status(ns, "web-a", "10.244.5.1", true);
        status(ns, "web-b", "10.244.5.2", true);
        status(ns, "web-c", "10.244.5.3", false);

        Await.until("three addresses", () -> ips(ns, "web", "addresses").size() == 2
                && ips(ns, "web", "notReadyAddresses").size() == 1);
        JsonPath endpoints = endpoints(ns, "web");
        // addresses with the same resolved ports share a subset
        assertEquals(List.of(8080, 9090), endpoints.getList("subsets.collect { it.ports[0].port }"));
        assertEquals(List.of("10.244.5.1"), endpoints.getList("subsets.find { it.ports[0].port == 8080 }.addresses.ip"));
        assertEquals(List.of("10.244.5.3"), endpoints.getList("subsets.find { it.ports[0].port == 8080 }.notReadyAddresses.ip"));
        assertEquals(List.of("10.244.5.2"), endpoints.getList("subsets.find { it.ports[0].port == 9090 }.addresses.ip"));
        assertEquals("web-a", endpoints.getString("subsets.find { it.ports[0].port == 8080 }.addresses[0].targetRef.name"));
        assertEquals("node-a", endpoints.getString("subsets.find { it.ports[0].port == 8080 }.addresses[0].nodeName"));
        assertEquals("http", endpoints.getString("subsets[0].ports[0].name"));
        assertEquals("blue", endpoints.getString("metadata.labels.team"));
    }

    @Test
    void readinessFlipsMoveTheAddress() {
        String ns = Manifests.namespace("ep-ready");
        service(ns, "web", "{\"selector\":{\"app\":\"web\"},\"ports\":[{\"port\":80,\"targetPort\":8080}]}");
        pod(ns, "web-a", "web", 8080);
        status(ns, "web-a", "10.244.6.1", true);
        Await.until("a ready address", () -> ips(ns, "web", "addresses").equals(List.of("10.244.6.1")));

        status(ns, "web-a", "10.244.6.1", false);
        Await.until("a not-ready address", () -> ips(ns, "web", "notReadyAddresses").equals(List.of("10.244.6.1"))
                && ips(ns, "web", "addresses").isEmpty());
    }

    @Test
    void publishNotReadyAddressesListsNotReadyPodsAsReady() {
        String ns = Manifests.namespace("ep-publish");
        service(ns, "peers", "{\"clusterIP\":\"None\",\"publishNotReadyAddresses\":true,\"selector\":{\"app\":\"db\"},"
                + "\"ports\":[{\"port\":5432}]}");
        pod(ns, "db-0", "db", 5432);
        status(ns, "db-0", "10.244.7.1", false);

        Await.until("a ready address", () -> ips(ns, "peers", "addresses").equals(List.of("10.244.7.1")));
        assertEquals("", endpoints(ns, "peers").getString("metadata.labels.'service.kubernetes.io/headless'"));
    }

    @Test
    void terminatingPodsLeaveTheEndpoints() {
        String ns = Manifests.namespace("ep-term");
        service(ns, "web", "{\"selector\":{\"app\":\"web\"},\"ports\":[{\"port\":80}]}");
        admin().contentType(ContentType.JSON).body("""
                {"apiVersion":"v1","kind":"Pod","metadata":{"name":"held","labels":{"app":"web"},"finalizers":["example.com/hold"]},
                 "spec":{"containers":[{"name":"main","image":"busybox"}]}}""")
                .post("/api/v1/namespaces/" + ns + "/pods").then().statusCode(201);
        status(ns, "held", "10.244.8.1", true);
        Await.until("a ready address", () -> ips(ns, "web", "addresses").equals(List.of("10.244.8.1")));

        admin().delete("/api/v1/namespaces/" + ns + "/pods/held").then().statusCode(200);
        try {
            Await.until("no address", () -> at(ns, "web", "subsets").isEmpty());
        } finally {
            admin().contentType("application/merge-patch+json").body("{\"metadata\":{\"finalizers\":null}}")
                    .patch("/api/v1/namespaces/" + ns + "/pods/held");
        }
    }

    @Test
    void servicesWithoutASelectorKeepTheirOwnEndpointsUntilDeleted() {
        String ns = Manifests.namespace("ep-manual");
        service(ns, "outside", "{\"ports\":[{\"port\":5432}]}");
        admin().contentType(ContentType.JSON).body("""
                {"apiVersion":"v1","kind":"Endpoints","metadata":{"name":"outside"},
                 "subsets":[{"addresses":[{"ip":"192.0.2.9"}],"ports":[{"port":5432}]}]}""")
                .post("/api/v1/namespaces/" + ns + "/endpoints").then().statusCode(201);
        Await.holds("the hand-written address", Duration.ofSeconds(2),
                () -> ips(ns, "outside", "addresses").equals(List.of("192.0.2.9")));

        admin().delete("/api/v1/namespaces/" + ns + "/services/outside").then().statusCode(200);
        Await.until("the Endpoints gone with the Service", () -> endpoints(ns, "outside") == null);
    }

    @Test
    void aServiceWithoutPodsHasEmptyEndpoints() {
        String ns = Manifests.namespace("ep-empty");
        service(ns, "lonely", "{\"selector\":{\"app\":\"none\"},\"ports\":[{\"port\":80}]}");
        Await.until("empty Endpoints", () -> endpoints(ns, "lonely") != null);
        assertEquals(List.of(), at(ns, "lonely", "subsets"));
    }
}
