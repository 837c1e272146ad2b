package io.quarkube.controllers.namespace;

import static io.quarkube.testing.TestCluster.admin;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.quarkube.testing.ControlPlaneTestResource;
import io.quarkube.testing.Manifests;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** Deleting a namespace: Terminating, its content deleted through the resource service, then gone. */
@QuarkusTest
@QuarkusTestResource(value = ControlPlaneTestResource.class, restrictToAnnotatedClass = false)
class NamespaceControllerTest {

    private static final Duration DEADLINE = Duration.ofSeconds(20);

    @Test
    void aNamespaceStaysTerminatingUntilItsContentIsGoneThenDisappears() {
        String ns = Manifests.namespace("ns-delete");
        String configMaps = "/api/v1/namespaces/" + ns + "/configmaps";
        admin().contentType(ContentType.JSON).body(Manifests.configMap("plain", "k", "v")).post(configMaps).then().statusCode(201);
        admin().contentType(ContentType.JSON).body("""
                {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"held","finalizers":["example.com/hold"]}}""")
                .post(configMaps).then().statusCode(201);

        admin().delete("/api/v1/namespaces/" + ns).then().statusCode(200)
                .body("status.phase", equalTo("Terminating")).body("metadata.deletionTimestamp", notNullValue());

        // the plain object goes; the held one is only marked, so the namespace waits for it
        awaitStatus(configMaps + "/plain", 404);
        admin().get(configMaps + "/held").then().statusCode(200).body("metadata.deletionTimestamp", notNullValue());
        admin().get("/api/v1/namespaces/" + ns).then().statusCode(200).body("status.phase", equalTo("Terminating"));
        admin().contentType(ContentType.JSON).body(Manifests.configMap("late", "k", "v")).post(configMaps)
                .then().statusCode(403).body("reason", equalTo("Forbidden"));

        admin().contentType("application/merge-patch+json").body("{\"metadata\":{\"finalizers\":null}}")
                .patch(configMaps + "/held").then().statusCode(200);
        awaitStatus("/api/v1/namespaces/" + ns, 404);
    }

    @Test
    void deleteCollectionDeletesTheSelectedObjectsAndListsThem() {
        String configMaps = "/api/v1/namespaces/" + Manifests.namespace("ns-collection") + "/configmaps";
        admin().contentType(ContentType.JSON).body(Manifests.labelledConfigMap("a", "\"tier\":\"web\"")).post(configMaps).then().statusCode(201);
        admin().contentType(ContentType.JSON).body(Manifests.labelledConfigMap("b", "\"tier\":\"web\"")).post(configMaps).then().statusCode(201);
        admin().contentType(ContentType.JSON).body(Manifests.labelledConfigMap("c", "\"tier\":\"db\"")).post(configMaps).then().statusCode(201);

        admin().queryParam("labelSelector", "tier=web").delete(configMaps).then().statusCode(200)
                .body("kind", equalTo("ConfigMapList")).body("items.metadata.name", equalTo(java.util.List.of("a", "b")));
        assertEquals(java.util.List.of("c"), admin().get(configMaps).then().statusCode(200).extract().path("items.metadata.name"));
    }

    /** Polls until the path answers the status, failing after the deadline. */
    private static void awaitStatus(String path, int status) {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        int last = -1;
        while (System.nanoTime() < deadline) {
            last = admin().get(path).statusCode();
            if (last == status) {
                return;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted");
            }
        }
        fail(path + " answered " + last + ", not " + status + ", within " + DEADLINE);
    }
}
