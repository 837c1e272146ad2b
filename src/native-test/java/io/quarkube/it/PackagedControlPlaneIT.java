package io.quarkube.it;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import org.junit.jupiter.api.Test;

import io.quarkube.testing.ControlPlaneTestResource;
import io.quarkube.testing.TestCluster;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;

/**
 * The packaged control plane, started the way the launcher starts it (here the JVM build: native
 * images cannot be built on these machines), serves the API over TLS with its storage.
 */
@QuarkusIntegrationTest
@QuarkusTestResource(ControlPlaneTestResource.class)
class PackagedControlPlaneIT {

    @Test
    void servesVersionHealthAndObjectsFromThePackagedApplication() {
        TestCluster.anonymous().get("/version").then().statusCode(200).body("gitVersion", containsString("quarkube"));
        TestCluster.anonymous().get("/readyz?verbose").then().statusCode(200).body(containsString("[+]postgresql ok"));
        TestCluster.admin().contentType("application/json")
                .body("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"packaged\"},\"data\":{\"a\":\"b\"}}")
                .post("/api/v1/namespaces/default/configmaps").then().statusCode(201);
        TestCluster.admin().get("/api/v1/namespaces/default/configmaps/packaged").then().statusCode(200)
                .body("data.a", equalTo("b"));
    }
}
