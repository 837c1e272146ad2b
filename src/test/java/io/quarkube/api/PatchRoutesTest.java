package io.quarkube.api;

import static io.quarkube.testing.TestCluster.admin;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.quarkube.testing.ControlPlaneTestResource;
import io.quarkube.testing.Manifests;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** PATCH with each patch type kubectl sends, against stored objects. */
@QuarkusTest
@QuarkusTestResource(value = ControlPlaneTestResource.class, restrictToAnnotatedClass = false)
class PatchRoutesTest {

    private static String ns;

    @BeforeAll
    static void namespace() {
        ns = Manifests.namespace("patch");
    }

    @Test
    void jsonPatchAppliesOperations() {
        String configMaps = "/api/v1/namespaces/" + ns + "/configmaps";
        admin().contentType(ContentType.JSON).body(Manifests.configMap("json", "k", "v")).post(configMaps).then().statusCode(201);
        admin().contentType("application/json-patch+json")
                .body("[{\"op\":\"replace\",\"path\":\"/data/k\",\"value\":\"w\"},{\"op\":\"add\",\"path\":\"/data/n\",\"value\":\"1\"}]")
                .patch(configMaps + "/json").then().statusCode(200).body("data.k", equalTo("w")).body("data.n", equalTo("1"));
        admin().get(configMaps + "/json").then().body("data.k", equalTo("w"));
    }

    @Test
    void mergePatchReplacesListsAndDeletesWithNull() {
        String deployments = "/apis/apps/v1/namespaces/" + ns + "/deployments";
        admin().contentType(ContentType.JSON).body(Manifests.deployment("merged", 1)).post(deployments).then().statusCode(201);
        admin().contentType("application/merge-patch+json")
                .body("{\"metadata\":{\"labels\":{\"a\":\"b\"}},\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"other\",\"image\":\"busybox\"}]}}}}")
                .patch(deployments + "/merged").then().statusCode(200)
                .body("metadata.labels.a", equalTo("b"))
                .body("spec.template.spec.containers.name", contains("other"));
        admin().contentType("application/merge-patch+json").body("{\"metadata\":{\"labels\":{\"a\":null}}}")
                .patch(deployments + "/merged").then().statusCode(200).body("metadata.labels.a", equalTo(null));
    }

    @Test
    void strategicMergePatchMergesContainersByName() {
        String deployments = "/apis/apps/v1/namespaces/" + ns + "/deployments";
        admin().contentType(ContentType.JSON).body(Manifests.deployment("strategic", 1)).post(deployments).then().statusCode(201);
        admin().contentType("application/strategic-merge-patch+json")
                .body("{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"sidecar\",\"image\":\"busybox\"},"
                        + "{\"name\":\"web\",\"image\":\"nginx:1.28\"}]}}}}")
                .patch(deployments + "/strategic").then().statusCode(200)
                .body("spec.template.spec.containers.name", containsInAnyOrder("sidecar", "web"))
                .body("spec.template.spec.containers.find { it.name == 'web' }.image", equalTo("nginx:1.28"));
    }

    @Test
    void applyPatchIsNotServed() {
        String configMaps = "/api/v1/namespaces/" + ns + "/configmaps";
        admin().contentType(ContentType.JSON).body(Manifests.configMap("applied", "k", "v")).post(configMaps).then().statusCode(201);
        admin().contentType("application/apply-patch+yaml").queryParam("fieldManager", "kubectl")
                .body(Manifests.configMap("applied", "k", "w").getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .patch(configMaps + "/applied").then().statusCode(415).body("reason", equalTo("UnsupportedMediaType"));
        admin().get(configMaps + "/applied").then().body("data.k", equalTo("v"));
    }
}
