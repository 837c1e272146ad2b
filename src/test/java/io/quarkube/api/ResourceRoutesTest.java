package io.quarkube.api;

import static io.quarkube.testing.TestCluster.admin;
import static org.hamcrest.Matchers.emptyOrNullString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkube.testing.ControlPlaneTestResource;
import io.quarkube.testing.Manifests;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/** The REST verbs against real storage: create, get, list, update, delete, dry run, status and finalizers. */
@QuarkusTest
@QuarkusTestResource(value = ControlPlaneTestResource.class, restrictToAnnotatedClass = false)
class ResourceRoutesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static String ns;

    @BeforeAll
    static void namespace() {
        ns = Manifests.namespace("crud");
    }

    private static String configMaps() {
        return "/api/v1/namespaces/" + ns + "/configmaps";
    }

    @Test
    void createAssignsUidAndTimestampThenGetAndDeleteAnswer() {
        Response created = admin().contentType(ContentType.JSON).body(Manifests.configMap("one", "k", "v")).post(configMaps());
        created.then().statusCode(201)
                .body("metadata.uid", matchesPattern("[0-9a-f-]{36}"))
                .body("metadata.creationTimestamp", matchesPattern("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ"))
                .body("metadata.resourceVersion", matchesPattern("\\d+"))
                .body("metadata.namespace", equalTo(ns));
        admin().get(configMaps() + "/one").then().statusCode(200).body("data.k", equalTo("v"))
                .body("metadata.uid", equalTo(created.path("metadata.uid")));
        admin().delete(configMaps() + "/one").then().statusCode(200).body("kind", equalTo("Status"))
                .body("status", equalTo("Success")).body("details.uid", equalTo(created.path("metadata.uid")));
        admin().get(configMaps() + "/one").then().statusCode(404).body("reason", equalTo("NotFound"));
    }

    @Test
    void generateNameAddsARandomSuffix() {
        String body = """
                {"apiVersion":"v1","kind":"ConfigMap","metadata":{"generateName":"gen-"}}""";
        String first = admin().contentType(ContentType.JSON).body(body).post(configMaps())
                .then().statusCode(201).body("metadata.name", matchesPattern("gen-[a-z0-9]{5}")).extract().path("metadata.name");
        String second = admin().contentType(ContentType.JSON).body(body).post(configMaps())
                .then().statusCode(201).extract().path("metadata.name");
        assertNotEquals(first, second);
    }

    @Test
    void clusterScopedKindsIgnoreNamespaces() {
        String name = "crud-cluster-" + System.nanoTime();
        admin().contentType(ContentType.JSON).body("""
                {"apiVersion":"rbac.authorization.k8s.io/v1","kind":"ClusterRole","metadata":{"name":"%s"},
                 "rules":[{"apiGroups":[""],"resources":["pods"],"verbs":["get"]}]}""".formatted(name))
                .post("/apis/rbac.authorization.k8s.io/v1/clusterroles").then().statusCode(201)
                .body("metadata.namespace", nullValue());
        admin().get("/apis/rbac.authorization.k8s.io/v1/clusterroles/" + name).then().statusCode(200)
                .body("rules[0].verbs", hasItem("get"));
        admin().get("/apis/rbac.authorization.k8s.io/v1/clusterroles").then().statusCode(200)
                .body("kind", equalTo("ClusterRoleList")).body("items.metadata.name", hasItem(name));
        admin().delete("/apis/rbac.authorization.k8s.io/v1/clusterroles/" + name).then().statusCode(200);
    }

    @Test
    void listHasTheListKindAndARevision() {
        admin().contentType(ContentType.JSON).body(Manifests.configMap("listed", "k", "v")).post(configMaps()).then().statusCode(201);
        admin().get(configMaps()).then().statusCode(200)
                .body("kind", equalTo("ConfigMapList")).body("apiVersion", equalTo("v1"))
                .body("metadata.resourceVersion", matchesPattern("\\d+"))
                .body("items.metadata.name", hasItem("listed"));
    }

    @Test
    void updateReplacesTheObjectAndMovesTheResourceVersion() {
        String before = admin().contentType(ContentType.JSON).body(Manifests.configMap("updated", "k", "v1")).post(configMaps())
                .then().statusCode(201).extract().path("metadata.resourceVersion");
        String after = admin().contentType(ContentType.JSON).body(Manifests.configMap("updated", "k", "v2"))
                .put(configMaps() + "/updated").then().statusCode(200).body("data.k", equalTo("v2"))
                .extract().path("metadata.resourceVersion");
        assertNotEquals(before, after);
        assertTrue(Long.parseLong(after) > Long.parseLong(before), before + " -> " + after);
    }

    /**
     * Updates racing from one read: the resourceVersion precondition lets exactly one through,
     * also when the losers' writes reach the database together with the winner's and are retried.
     */
    @Test
    void concurrentUpdatesFromOneReadLetExactlyOneWin() throws Exception {
        String version = admin().contentType(ContentType.JSON).body(Manifests.configMap("raced", "k", "initial")).post(configMaps())
                .then().statusCode(201).extract().path("metadata.resourceVersion");
        int writers = 8;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(writers);
        java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
        try {
            java.util.List<java.util.concurrent.Future<Integer>> answers = new java.util.ArrayList<>();
            for (int i = 0; i < writers; i++) {
                String body = Manifests.configMap("raced", "k", "writer-" + i).replaceFirst("\\{\"name\":\"raced\"",
                        "{\"name\":\"raced\",\"resourceVersion\":\"" + version + "\"");
                answers.add(pool.submit(() -> {
                    start.await();
                    return admin().contentType(ContentType.JSON).body(body).put(configMaps() + "/raced").statusCode();
                }));
            }
            start.countDown();
            java.util.List<Integer> codes = new java.util.ArrayList<>();
            for (var answer : answers) {
                codes.add(answer.get(30, java.util.concurrent.TimeUnit.SECONDS));
            }
            org.junit.jupiter.api.Assertions.assertEquals(1, codes.stream().filter(code -> code == 200).count(), codes.toString());
            org.junit.jupiter.api.Assertions.assertEquals(writers - 1, codes.stream().filter(code -> code == 409).count(), codes.toString());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void yamlBodiesGoInAndComeOut() {
        String yaml = """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: from-yaml
                data:
                  colour: blue
                """;
        String answer = admin().contentType("application/yaml").accept("application/yaml").body(yaml.getBytes(java.nio.charset.StandardCharsets.UTF_8)).post(configMaps())
                .then().statusCode(201).contentType(startsWith("application/yaml")).extract().asString();
        assertTrue(answer.contains("colour: blue"), answer);
        assertTrue(answer.contains("name: from-yaml"), answer);
        admin().get(configMaps() + "/from-yaml").then().statusCode(200).body("data.colour", equalTo("blue"));
    }

    @Test
    void dryRunPersistsNothingOnAnyVerb() {
        admin().contentType(ContentType.JSON).body(Manifests.configMap("dry-new", "k", "v"))
                .queryParam("dryRun", "All").queryParam("fieldManager", "kubectl-client-side-apply")
                .post(configMaps()).then().statusCode(201).body("metadata.name", equalTo("dry-new"));
        admin().get(configMaps() + "/dry-new").then().statusCode(404);

        String version = admin().contentType(ContentType.JSON).body(Manifests.configMap("dry", "k", "v")).post(configMaps())
                .then().statusCode(201).extract().path("metadata.resourceVersion");
        admin().contentType(ContentType.JSON).body(Manifests.configMap("dry", "k", "changed")).queryParam("dryRun", "All")
                .put(configMaps() + "/dry").then().statusCode(200).body("data.k", equalTo("changed"));
        admin().contentType("application/merge-patch+json").body("{\"data\":{\"k\":\"patched\"}}").queryParam("dryRun", "All")
                .patch(configMaps() + "/dry").then().statusCode(200).body("data.k", equalTo("patched"));
        admin().queryParam("dryRun", "All").delete(configMaps() + "/dry").then().statusCode(200);
        admin().get(configMaps() + "/dry").then().statusCode(200).body("data.k", equalTo("v"))
                .body("metadata.resourceVersion", equalTo(version));
    }

    @Test
    void generationMovesOnlyWhenTheSpecChanges() {
        String deployments = "/apis/apps/v1/namespaces/" + ns + "/deployments";
        admin().contentType(ContentType.JSON).body(Manifests.deployment("gen", 1)).post(deployments)
                .then().statusCode(201).body("metadata.generation", equalTo(1));
        admin().contentType("application/merge-patch+json").body("{\"metadata\":{\"labels\":{\"tier\":\"web\"}}}")
                .patch(deployments + "/gen").then().statusCode(200).body("metadata.generation", equalTo(1));
        admin().contentType("application/merge-patch+json").body("{\"spec\":{\"replicas\":2}}")
                .patch(deployments + "/gen").then().statusCode(200).body("metadata.generation", equalTo(2));
    }

    @Test
    void statusSubresourceSeparatesSpecAndStatus() throws Exception {
        String deployments = "/apis/apps/v1/namespaces/" + ns + "/deployments";
        admin().contentType(ContentType.JSON).body(Manifests.deployment("split", 1)).post(deployments).then().statusCode(201);

        // the deployment controller writes status meanwhile: read-modify-write again on a conflict, as clients do
        retryOnConflict(() -> {
            ObjectNode main = (ObjectNode) JSON.readTree(admin().get(deployments + "/split").asString());
            ((ObjectNode) main.get("spec")).put("replicas", 4);
            main.putObject("status").put("replicas", 9);
            return admin().contentType(ContentType.JSON).body(main.toString()).put(deployments + "/split");
        }).then().statusCode(200).body("spec.replicas", equalTo(4)).body("status.replicas", not(equalTo(9)));

        retryOnConflict(() -> {
            ObjectNode status = (ObjectNode) JSON.readTree(admin().get(deployments + "/split").asString());
            ((ObjectNode) status.get("spec")).put("replicas", 6);
            status.putObject("status").put("replicas", 3);
            return admin().contentType(ContentType.JSON).body(status.toString()).put(deployments + "/split/status");
        }).then().statusCode(200).body("spec.replicas", equalTo(4)).body("status.replicas", equalTo(3));
    }

    private interface Attempt {
        Response run() throws Exception;
    }

    private static Response retryOnConflict(Attempt attempt) throws Exception {
        Response response = attempt.run();
        for (int i = 0; i < 10 && response.statusCode() == 409; i++) {
            response = attempt.run();
        }
        return response;
    }

    @Test
    void finalizersHoldTheObjectUntilTheLastOneIsRemoved() {
        admin().contentType(ContentType.JSON).body("""
                {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"held","finalizers":["example.com/hold"]}}""")
                .post(configMaps()).then().statusCode(201);
        admin().delete(configMaps() + "/held").then().statusCode(200)
                .body("metadata.deletionTimestamp", notNullValue());
        admin().get(configMaps() + "/held").then().statusCode(200).body("metadata.deletionTimestamp", not(emptyOrNullString()));

        admin().contentType("application/merge-patch+json")
                .body("{\"metadata\":{\"finalizers\":[\"example.com/hold\",\"example.com/another\"]}}")
                .patch(configMaps() + "/held").then().statusCode(422).body("reason", equalTo("Invalid"))
                .body("details.causes.field", hasItem("metadata.finalizers"));

        admin().contentType("application/merge-patch+json").body("{\"metadata\":{\"finalizers\":null}}")
                .patch(configMaps() + "/held").then().statusCode(200);
        admin().get(configMaps() + "/held").then().statusCode(404);
    }
}
