package io.quarkube;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.List;


import jakarta.inject.Inject;

import org.hibernate.reactive.mutiny.Mutiny;
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
    @Inject
    Mutiny.SessionFactory sessions;

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

        // A create that fails with AlreadyExists still takes a revision, logged as a refusal (event 3,
        // no key): there may be none, and no write of a system object. Other writers keep going
        // meanwhile (leader election renews its Lease every few seconds), so only their rows may appear.
        long after = pg.committedRevision().await().indefinitely();
        List<Object[]> written = sessions.openStatelessSession().flatMap(session -> session.createNativeQuery(
                "SELECT resource, namespace, name, event FROM qk_log WHERE revision > ?1 AND revision <= ?2 ORDER BY revision",
                Object[].class).setParameter(1, before).setParameter(2, after).getResultList().eventually(session::close))
                .await().indefinitely();
        List<String> systemObjects = List.of("namespaces", "servicecidrs.networking.k8s.io", "services");
        for (Object[] row : written) {
            String described = java.util.Arrays.toString(row);
            assertNotEquals(3, ((Number) row[3]).intValue(), () -> "a refused write took a revision: " + described);
            assertFalse(systemObjects.contains((String) row[0]), () -> "a system object was written: " + described);
        }
    }
}
