package io.quarkube.api;

import static io.quarkube.testing.TestCluster.admin;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.quarkube.testing.ControlPlaneTestResource;
import io.quarkube.testing.Manifests;
import io.quarkube.testing.TestCluster;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

/**
 * Failures come back as metav1.Status with kube-apiserver's code and reason, and a refused write
 * stores nothing.
 */
@QuarkusTest
@QuarkusTestResource(value = ControlPlaneTestResource.class, restrictToAnnotatedClass = false)
class ResponsesTest {

    private static final String NS = "api-errors";
    private static final String CONFIGMAPS = "/api/v1/namespaces/" + NS + "/configmaps";
    private static final String DEPLOYMENTS = "/apis/apps/v1/namespaces/" + NS + "/deployments";

    /** One refused request: what is sent, what comes back, and which object must not exist afterwards. */
    record Refused(String method, String path, String contentType, String body, int code, String reason,
            String causeField, String notStored) {
    }

    @BeforeAll
    static void objects() {
        admin().contentType(ContentType.JSON).body(Manifests.namespaceBody(NS)).post("/api/v1/namespaces");
        admin().contentType(ContentType.JSON).body(Manifests.configMap("existing", "k", "v")).post(CONFIGMAPS);
        admin().contentType(ContentType.JSON).body(Manifests.deployment("fixed", 1)).post(DEPLOYMENTS);
    }

    static Stream<Arguments> refusals() {
        String oversized = Manifests.configMap("huge", "k", "x".repeat(3 * 1024 * 1024 + 10));
        String otherSelector = Manifests.deployment("fixed", 1).replace("\"matchLabels\":{\"app\":\"fixed\"}",
                "\"matchLabels\":{\"app\":\"fixed\",\"tier\":\"web\"}").replace("\"labels\":{\"app\":\"fixed\"}",
                "\"labels\":{\"app\":\"fixed\",\"tier\":\"web\"}");
        return Stream.of(
                argumentSet("malformed JSON", new Refused("POST", CONFIGMAPS, "application/json",
                        "{\"metadata\":{\"name\":\"broken\"", 400, "BadRequest", null, "broken")),
                argumentSet("a string where an integer belongs", new Refused("POST", DEPLOYMENTS, "application/json",
                        Manifests.deployment("mistyped", 1).replace("\"replicas\":1", "\"replicas\":\"x\""), 400, "BadRequest", null,
                        DEPLOYMENTS + "/mistyped")),
                argumentSet("unknown field under Strict", new Refused("POST", CONFIGMAPS + "?fieldValidation=Strict", "application/json",
                        "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"strict\"},\"bogus\":1}", 400,
                        "BadRequest", null, "strict")),
                argumentSet("name in the body differs from the URL", new Refused("PUT", CONFIGMAPS + "/existing", "application/json",
                        Manifests.configMap("other", "k", "v"), 400, "BadRequest", null, "other")),
                argumentSet("object that does not exist", new Refused("GET", CONFIGMAPS + "/missing", null, null, 404,
                        "NotFound", null, null)),
                argumentSet("resource that does not exist", new Refused("GET", "/api/v1/namespaces/" + NS + "/widgets", null, null,
                        404, "NotFound", null, null)),
                argumentSet("create in a missing namespace", new Refused("POST", "/api/v1/namespaces/no-such-ns/configmaps",
                        "application/json", Manifests.configMap("orphan", "k", "v"), 404, "NotFound", null, null)),
                argumentSet("PUT on a collection", new Refused("PUT", CONFIGMAPS, "application/json",
                        Manifests.configMap("x", "k", "v"), 405, "MethodNotAllowed", null, null)),
                argumentSet("create of an existing name", new Refused("POST", CONFIGMAPS, "application/json",
                        Manifests.configMap("existing", "k", "replaced"), 409, "AlreadyExists", null, null)),
                argumentSet("update with a stale resourceVersion", new Refused("PUT", CONFIGMAPS + "/existing", "application/json",
                        "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"existing\",\"resourceVersion\":\"1\"},"
                                + "\"data\":{\"k\":\"replaced\"}}", 409, "Conflict", null, null)),
                argumentSet("delete whose precondition fails", new Refused("DELETE", CONFIGMAPS + "/existing", "application/json",
                        "{\"preconditions\":{\"resourceVersion\":\"1\"}}", 409, "Conflict", null, null)),
                argumentSet("body over 3 MiB", new Refused("POST", CONFIGMAPS, "application/json", oversized, 413,
                        "RequestEntityTooLarge", null, "huge")),
                argumentSet("unknown Content-Type", new Refused("POST", CONFIGMAPS, "application/xml",
                        "<configmap name=\"xml\"/>", 415, "UnsupportedMediaType", null, null)),
                argumentSet("invalid name", new Refused("POST", CONFIGMAPS, "application/json",
                        Manifests.configMap("Bad_Name", "k", "v"), 422, "Invalid", "metadata.name", null)),
                argumentSet("container without image", new Refused("POST", "/api/v1/namespaces/" + NS + "/pods", "application/json",
                        Manifests.pod("imageless", ""), 422, "Invalid", "spec.containers[0].image",
                        "/api/v1/namespaces/" + NS + "/pods/imageless")),
                argumentSet("deployment selector that misses the template labels", new Refused("POST", DEPLOYMENTS, "application/json",
                        Manifests.deployment("unmatched", 1).replace("\"labels\":{\"app\":\"unmatched\"}", "\"labels\":{\"app\":\"other\"}"),
                        422, "Invalid", "spec.template.metadata.labels", DEPLOYMENTS + "/unmatched")),
                argumentSet("deployment selector changed on update", new Refused("PUT", DEPLOYMENTS + "/fixed", "application/json",
                        otherSelector, 422, "Invalid", "spec.selector", null)));
    }

    @ParameterizedTest
    @MethodSource("refusals")
    void refusedRequestsAnswerWithAStatus(Refused refused) {
        var request = admin();
        if (refused.contentType() != null) {
            request = request.contentType(refused.contentType()).body(refused.body().getBytes(StandardCharsets.UTF_8));
        }
        ValidatableResponse response = request.request(refused.method(), refused.path()).then()
                .statusCode(refused.code()).contentType(containsString("application/json"))
                .body("kind", equalTo("Status")).body("apiVersion", equalTo("v1")).body("status", equalTo("Failure"))
                .body("code", equalTo(refused.code())).body("reason", equalTo(refused.reason()));
        if (refused.causeField() != null) {
            response.body("details.causes.field", hasItem(refused.causeField()));
        }
        if (refused.notStored() != null) {
            String path = refused.notStored().startsWith("/") ? refused.notStored() : CONFIGMAPS + "/" + refused.notStored();
            admin().get(path).then().statusCode(404);
        }
        admin().get(CONFIGMAPS + "/existing").then().statusCode(200).body("data.k", equalTo("v"));
    }

    @Test
    void requestsWithoutAClientCertificateAreUnauthorized() {
        TestCluster.anonymous().get(CONFIGMAPS).then().statusCode(401).body("kind", equalTo("Status"))
                .body("reason", equalTo("Unauthorized")).body("code", equalTo(401));
    }

    @Test
    void unknownFieldsUnderWarnAreDroppedWithAWarningHeader() {
        admin().contentType(ContentType.JSON).queryParam("fieldValidation", "Warn")
                .body("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"warned\"},\"bogus\":1}")
                .post(CONFIGMAPS).then().statusCode(201)
                .header("Warning", containsString("299 - \"unknown field \\\"bogus\\\"\""))
                .body("bogus", equalTo(null));
    }
}
