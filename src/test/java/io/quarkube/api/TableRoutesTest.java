package io.quarkube.api;

import static io.quarkube.testing.TestCluster.admin;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.quarkube.testing.ControlPlaneTestResource;
import io.quarkube.testing.Manifests;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** Server-side tables with kubectl's columns, as {@code kubectl get} asks for them. */
@QuarkusTest
@QuarkusTestResource(value = ControlPlaneTestResource.class, restrictToAnnotatedClass = false)
class TableRoutesTest {

    private static final String KUBECTL_GET_ACCEPT = "application/json;as=Table;v=v1;g=meta.k8s.io,"
            + "application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json";
    private static String ns;

    @BeforeAll
    static void objects() {
        ns = Manifests.namespace("table");
        admin().contentType(ContentType.JSON).body(Manifests.pod("tabled", "nginx:1.27"))
                .post("/api/v1/namespaces/" + ns + "/pods").then().statusCode(201);
        admin().contentType(ContentType.JSON).body(Manifests.deployment("tabled", 2))
                .post("/apis/apps/v1/namespaces/" + ns + "/deployments").then().statusCode(201);
    }

    static Stream<Arguments> lists() {
        return Stream.of(
                argumentSet("pods", "/api/v1/namespaces/%s/pods", List.of("Name", "Ready", "Status", "Restarts", "Age"), "tabled"),
                argumentSet("deployments", "/apis/apps/v1/namespaces/%s/deployments",
                        List.of("Name", "Ready", "Up-to-date", "Available", "Age"), "tabled"),
                argumentSet("namespaces", "/api/v1/namespaces", List.of("Name", "Status", "Age"), "%s"));
    }

    @ParameterizedTest
    @MethodSource("lists")
    void listsAsTablesHaveKubectlsColumns(String path, List<String> columns, String row) {
        var response = admin().accept(KUBECTL_GET_ACCEPT).get(path.formatted(ns)).then().statusCode(200)
                .body("kind", equalTo("Table")).body("apiVersion", equalTo("meta.k8s.io/v1"))
                .body("columnDefinitions.findAll { it.priority == 0 }.name", contains(columns.toArray()))
                .body("rows.cells.collect { it[0] }", hasItem(row.formatted(ns)));
        response.body("rows[0].object.kind", equalTo("PartialObjectMetadata"))
                .body("rows[0].object.apiVersion", equalTo("meta.k8s.io/v1"))
                .body("rows.object.metadata.name", hasItem(row.formatted(ns)));
    }
}
