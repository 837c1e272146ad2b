package io.quarkube.controllers.endpointslice;

import static io.quarkube.controllers.endpoints.ServiceBackends.conditions;
import static io.quarkube.controllers.endpoints.ServiceBackends.endpointsByAddress;
import static io.quarkube.controllers.endpoints.ServiceBackends.pod;
import static io.quarkube.controllers.endpoints.ServiceBackends.service;
import static io.quarkube.controllers.endpoints.ServiceBackends.slices;
import static io.quarkube.controllers.endpoints.ServiceBackends.status;
import static io.quarkube.testing.TestCluster.admin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.quarkube.testing.Await;
import io.quarkube.testing.ControlPlaneTestResource;
import io.quarkube.testing.Manifests;
import io.quarkube.testing.PodStatusStandIn;
import io.quarkube.testing.WatchClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * The EndpointSlice controller through the API. No node agent runs: a test writes the pod statuses
 * (or lets {@link PodStatusStandIn} do it), which is what the controller reads.
 */
@QuarkusTest
@QuarkusTestResource(value = ControlPlaneTestResource.class, restrictToAnnotatedClass = false)
class EndpointSliceControllerTest {

    private static final String WEB = "{\"selector\":{\"app\":\"web\"},\"ports\":[{\"name\":\"http\",\"port\":80,\"targetPort\":\"web\"}]}";

    @SuppressWarnings("unchecked")
    private static List<Integer> ports(Map<String, Object> slice) {
        return ((List<Map<String, Object>>) slice.get("ports")).stream().map(p -> (Integer) p.get("port")).toList();
    }

    @SuppressWarnings("unchecked")
    private static int size(Map<String, Object> slice) {
        List<Object> endpoints = (List<Object>) slice.get("endpoints");
        return endpoints == null ? 0 : endpoints.size();
    }

    @Test
    void readyPodsAreSlicedByTheirResolvedNamedPorts() {
        String ns = Manifests.namespace("eps-ports");
        service(ns, "web", WEB);
        pod(ns, "web-a", "web", 8080);
        pod(ns, "web-b", "web", 8080);
        pod(ns, "web-c", "web", 9090);
        status(ns, "web-a", "10.244.1.1", true);
        status(ns, "web-b", "10.244.1.2", true);
        status(ns, "web-c", "10.244.1.3", true);

        Await.until("three endpoints", () -> endpointsByAddress(ns, "web").size() == 3);
        List<Map<String, Object>> slices = slices(ns, "web");
        assertEquals(2, slices.size(), "one slice per resolved port: " + slices);
        Map<List<Integer>, Integer> sizesByPorts = slices.stream().collect(Collectors.toMap(s -> ports(s), s -> size(s)));
        assertEquals(Map.of(List.of(8080), 2, List.of(9090), 1), sizesByPorts);
        String uid = admin().get("/api/v1/namespaces/" + ns + "/services/web").path("metadata.uid");
        for (Map<String, Object> slice : slices) {
            Map<String, Object> metadata = (Map<String, Object>) slice.get("metadata");
            assertEquals("IPv4", slice.get("addressType"));
            assertEquals(Map.of("kubernetes.io/service-name", "web", "endpointslice.kubernetes.io/managed-by",
                    "endpointslice-controller.k8s.io", "team", "blue"), metadata.get("labels"));
            Map<String, Object> owner = ((List<Map<String, Object>>) metadata.get("ownerReferences")).get(0);
            assertEquals(List.of("Service", "web", uid, true), List.of(owner.get("kind"), owner.get("name"), owner.get("uid"), owner.get("controller")));
            assertTrue(((String) metadata.get("name")).startsWith("web-"));
        }
        Map<String, Object> endpoint = endpointsByAddress(ns, "web").get("10.244.1.3");
        assertEquals(Map.of("ready", true, "serving", true, "terminating", false), conditions(endpoint));
        assertEquals("web-c", ((Map<?, ?>) endpoint.get("targetRef")).get("name"));
        assertEquals("node-a", endpoint.get("nodeName"));
    }

    @Test
    void readinessFlipsReachTheConditions() {
        String ns = Manifests.namespace("eps-ready");
        service(ns, "web", WEB);
        pod(ns, "web-a", "web", 8080);
        status(ns, "web-a", "10.244.2.1", true);
        Await.until("a ready endpoint", () -> Boolean.TRUE.equals(conditions(endpointsByAddress(ns, "web").get("10.244.2.1")).get("ready")));

        status(ns, "web-a", "10.244.2.1", false);
        Await.until("the endpoint not ready", () -> Map.of("ready", false, "serving", false, "terminating", false)
                .equals(conditions(endpointsByAddress(ns, "web").get("10.244.2.1"))));

        status(ns, "web-a", "10.244.2.1", true);
        Await.until("ready again", () -> Boolean.TRUE.equals(conditions(endpointsByAddress(ns, "web").get("10.244.2.1")).get("ready")));
    }

    @Test
    void publishNotReadyAddressesMakesEveryEndpointReady() {
        String ns = Manifests.namespace("eps-publish");
        service(ns, "peers", "{\"clusterIP\":\"None\",\"publishNotReadyAddresses\":true,\"selector\":{\"app\":\"db\"},"
                + "\"ports\":[{\"port\":5432}]}");
        pod(ns, "db-0", "db", 5432);
        status(ns, "db-0", "10.244.3.1", false);

        Await.until("a ready endpoint of a not-ready pod", () -> Map.of("ready", true, "serving", false, "terminating", false)
                .equals(conditions(endpointsByAddress(ns, "peers").get("10.244.3.1"))));
        Map<String, Object> labels = (Map<String, Object>) ((Map<String, Object>) slices(ns, "peers").get(0).get("metadata")).get("labels");
        assertEquals("", labels.get("service.kubernetes.io/headless"));
    }

    @Test
    void terminatingPodsStayAsTerminatingAndServing() {
        String ns = Manifests.namespace("eps-term");
        service(ns, "web", WEB);
        admin().contentType(ContentType.JSON).body("""
                {"apiVersion":"v1","kind":"Pod","metadata":{"name":"held","labels":{"app":"web"},"finalizers":["example.com/hold"]},
                 "spec":{"containers":[{"name":"main","image":"busybox","ports":[{"name":"web","containerPort":8080}]}]}}""")
                .post("/api/v1/namespaces/" + ns + "/pods").then().statusCode(201);
        status(ns, "held", "10.244.4.1", true);
        Await.until("a ready endpoint", () -> Boolean.TRUE.equals(conditions(endpointsByAddress(ns, "web").get("10.244.4.1")).get("ready")));

        admin().delete("/api/v1/namespaces/" + ns + "/pods/held").then().statusCode(200);
        try {
            Await.until("a terminating endpoint", () -> Map.of("ready", false, "serving", true, "terminating", true)
                    .equals(conditions(endpointsByAddress(ns, "web").get("10.244.4.1"))));
        } finally {
            admin().contentType("application/merge-patch+json").body("{\"metadata\":{\"finalizers\":null}}")
                    .patch("/api/v1/namespaces/" + ns + "/pods/held");
        }
        Await.until("the endpoint gone with the pod", () -> endpointsByAddress(ns, "web").isEmpty());
    }

    @Test
    void aServiceWithoutPodsKeepsOnePlaceholderSlice() {
        String ns = Manifests.namespace("eps-empty");
        service(ns, "lonely", WEB);

        Await.until("a placeholder slice", () -> slices(ns, "lonely").size() == 1);
        Map<String, Object> slice = slices(ns, "lonely").get(0);
        assertEquals(0, size(slice));
        Await.holds("exactly one slice", Duration.ofSeconds(1), () -> slices(ns, "lonely").size() == 1);
    }

    @Test
    void servicesWithoutASelectorAreLeftAlone() {
        String ns = Manifests.namespace("eps-manual");
        service(ns, "outside", "{\"ports\":[{\"port\":5432}]}");
        admin().contentType(ContentType.JSON).body("""
                {"apiVersion":"discovery.k8s.io/v1","kind":"EndpointSlice","metadata":{"name":"outside-1",
                  "labels":{"kubernetes.io/service-name":"outside"}},
                 "addressType":"IPv4","endpoints":[{"addresses":["192.0.2.7"]}],"ports":[{"port":5432}]}""")
                .post("/apis/discovery.k8s.io/v1/namespaces/" + ns + "/endpointslices").then().statusCode(201);

        Await.holds("only the hand-written slice", Duration.ofSeconds(2),
                () -> slices(ns, "outside").size() == 1 && endpointsByAddress(ns, "outside").containsKey("192.0.2.7"));
    }

    @Test
    void moreThanAHundredEndpointsAreSplitIntoSlicesOfAHundred() {
        String ns = Manifests.namespace("eps-many");
        service(ns, "web", WEB);
        for (int i = 0; i < 205; i++) {
            pod(ns, "web-" + i, "web", 8080);
        }
        try (PodStatusStandIn agent = PodStatusStandIn.runningAndReadyWithIps(ns)) {
            Await.until("205 endpoints", Duration.ofSeconds(60), () -> endpointsByAddress(ns, "web").size() == 205);
        }
        List<Integer> sizes = slices(ns, "web").stream().map(EndpointSliceControllerTest::size).sorted().toList();
        assertEquals(List.of(5, 100, 100), sizes);
        Set<String> names = slices(ns, "web").stream().map(s -> (String) ((Map<?, ?>) s.get("metadata")).get("name")).collect(Collectors.toSet());
        assertEquals(3, names.size());
    }

    @Test
    void aBurstOfPodChangesSharesFewSliceWrites() {
        String ns = Manifests.namespace("eps-batch");
        service(ns, "web", WEB);
        int pods = 30;
        for (int i = 0; i < pods; i++) {
            pod(ns, "web-" + i, "web", 8080);
            status(ns, "web-" + i, "10.244.10." + (i + 1), false);
        }
        Await.until("30 not-ready endpoints", () -> endpointsByAddress(ns, "web").values().stream()
                .filter(e -> Boolean.FALSE.equals(conditions(e).get("ready"))).count() == pods);
        String slices = "/apis/discovery.k8s.io/v1/namespaces/" + ns + "/endpointslices";
        String from = admin().get(slices).path("metadata.resourceVersion");

        try (WatchClient watch = WatchClient.open(slices + "?watch=true&timeoutSeconds=8&resourceVersion=" + from)) {
            for (int i = 0; i < pods; i++) {
                status(ns, "web-" + i, "10.244.10." + (i + 1), true);
            }
            Await.until("30 ready endpoints", () -> endpointsByAddress(ns, "web").values().stream()
                    .filter(e -> Boolean.TRUE.equals(conditions(e).get("ready"))).count() == pods);
            long writes = watch.untilEnd(Duration.ofSeconds(20)).stream()
                    .filter(event -> event.path("type").asText().equals("MODIFIED")).count();
            // one write per pod change without batching; the 500 ms batch period folds them
            assertTrue(writes >= 1 && writes < 10, writes + " slice writes for " + pods + " pod changes");
        }
    }
}
