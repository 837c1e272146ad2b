package io.quarkube;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;


import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.quarkube.storage.PgStorage;
import io.quarkube.testing.ControlPlaneTestResource;
import io.quarkube.testing.PodsOnNodes;
import io.quarkube.testing.TestCluster;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

@QuarkusTest
@QuarkusTestResource(value = ControlPlaneTestResource.class, restrictToAnnotatedClass = false)
class ControlPlaneStartupTest {

    @Inject
    ControlPlaneStartup startup;
    @Inject
    PgStorage pg;

    @ParameterizedTest
    @ValueSource(strings = {
            "/api/v1/namespaces/default", "/api/v1/namespaces/kube-system", "/api/v1/namespaces/kube-public",
            "/api/v1/namespaces/kube-node-lease", "/api/v1/namespaces/default/services/kubernetes",
            "/api/v1/namespaces/kube-system/services/kube-dns"})
    void systemObjectsExistAfterStart(String path) {
        TestCluster.admin().get(path).then().statusCode(200);
    }

    @Test
    void theKubernetesEndpointsAppearSoonAfterStart() {
        PodsOnNodes.await("the kubernetes endpoints", () -> TestCluster.admin()
                .get("/api/v1/namespaces/default/endpoints/kubernetes").statusCode() == 200);
    }

    @Test
    void kubeDnsHoldsTheClusterDnsAddressWithoutSelectorAndNoOtherServiceGetsIt() {
        TestCluster.admin().get("/api/v1/namespaces/kube-system/services/kube-dns").then().statusCode(200)
                .body("spec.clusterIP", equalTo("10.96.0.10"))
                .body("spec.selector", nullValue())
                .body("metadata.labels.'k8s-app'", equalTo("kube-dns"))
                .body("spec.ports.name", equalTo(List.of("dns", "dns-tcp")))
                .body("spec.ports.protocol", equalTo(List.of("UDP", "TCP")))
                .body("spec.ports.port", equalTo(List.of(53, 53)));
        TestCluster.admin().get("/apis/networking.k8s.io/v1/ipaddresses/10.96.0.10").then().statusCode(200)
                .body("spec.parentRef.namespace", equalTo("kube-system")).body("spec.parentRef.name", equalTo("kube-dns"));

        TestCluster.admin().contentType(ContentType.JSON)
                .body("{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\"wants-dns-ip\"},"
                        + "\"spec\":{\"clusterIP\":\"10.96.0.10\",\"ports\":[{\"port\":53}]}}")
                .post("/api/v1/namespaces/default/services").then().statusCode(422)
                .body("details.causes[0].message", containsString("provided IP is already allocated"));
    }

    @Test
    void aStartFindingTheDnsAddressTakenStillStartsAndCreatesKubeDnsOnceTheAddressIsFree() {
        String kubeDns = "/api/v1/namespaces/kube-system/services/kube-dns";
        String squatter = "/api/v1/namespaces/default/services/dns-squatter";
        TestCluster.admin().delete(kubeDns).then().statusCode(200);
        TestCluster.admin().contentType(ContentType.JSON)
                .body("{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\"dns-squatter\"},"
                        + "\"spec\":{\"clusterIP\":\"10.96.0.10\",\"ports\":[{\"port\":53}]}}")
                .post("/api/v1/namespaces/default/services").then().statusCode(201);
        try {
            startup.createSystemObjects();

            TestCluster.admin().get(kubeDns).then().statusCode(404);
        } finally {
            TestCluster.admin().delete(squatter).then().statusCode(200);
        }
        // The address is free once the squatter's delete has released it: the next start creates kube-dns.
        PodsOnNodes.await("kube-dns created again", () -> {
            startup.createSystemObjects();
            return TestCluster.admin().get(kubeDns).statusCode() == 200;
        });
        TestCluster.admin().get(kubeDns).then().body("spec.clusterIP", equalTo("10.96.0.10"));
    }

    @Test
    void creatingTheSystemObjectsAgainWritesNothing() {
        long before = pg.committedRevision().await().indefinitely();

        startup.createSystemObjects();

        // A create that fails with AlreadyExists still takes a revision: none may be taken.
        assertEquals(before, pg.committedRevision().await().indefinitely());
    }
}
