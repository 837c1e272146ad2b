package io.quarkube.api;

import static io.quarkube.testing.TestCluster.admin;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.emptyOrNullString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.quarkube.testing.ControlPlaneTestResource;
import io.quarkube.testing.Manifests;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/** Lists: label and field selectors, pages at one revision, resourceVersion semantics. */
@QuarkusTest
@QuarkusTestResource(value = ControlPlaneTestResource.class, restrictToAnnotatedClass = false)
class ListRoutesTest {

    private static String ns;

    @BeforeAll
    static void objects() {
        ns = Manifests.namespace("list");
        create("prod-web", "\"env\":\"prod\",\"tier\":\"web\"");
        create("dev", "\"env\":\"dev\"");
        create("prod", "\"env\":\"prod\"");
    }

    private static void create(String name, String labels) {
        admin().contentType(ContentType.JSON).body(Manifests.labelledConfigMap(name, labels)).post(configMaps()).then().statusCode(201);
    }

    private static String configMaps() {
        return "/api/v1/namespaces/" + ns + "/configmaps";
    }

    static Stream<Arguments> labelSelectors() {
        return Stream.of(
                argumentSet("equality", "env=prod", List.of("prod-web", "prod")),
                argumentSet("double equals", "env==dev", List.of("dev")),
                argumentSet("inequality", "env!=prod", List.of("dev")),
                argumentSet("in", "env in (dev,qa)", List.of("dev")),
                argumentSet("notin", "env notin (prod)", List.of("dev")),
                argumentSet("exists", "tier", List.of("prod-web")),
                argumentSet("does not exist", "!tier", List.of("dev", "prod")),
                argumentSet("conjunction", "env=prod,tier", List.of("prod-web")));
    }

    @ParameterizedTest
    @MethodSource("labelSelectors")
    void labelSelectorsChooseItems(String selector, List<String> names) {
        admin().queryParam("labelSelector", selector).get(configMaps()).then().statusCode(200)
                .body("items.metadata.name", containsInAnyOrder(names.toArray()));
    }

    @Test
    void fieldSelectorsChooseByNameNodeAndPhase() {
        admin().queryParam("fieldSelector", "metadata.name=dev").get(configMaps()).then().statusCode(200)
                .body("items.metadata.name", containsInAnyOrder("dev"));
        String pods = "/api/v1/namespaces/" + ns + "/pods";
        admin().contentType(ContentType.JSON).body(Manifests.pod("on-node", "nginx:1.27")).post(pods).then().statusCode(201);
        admin().contentType(ContentType.JSON).body(Manifests.pod("waiting", "nginx:1.27")).post(pods).then().statusCode(201);
        admin().contentType(ContentType.JSON).body("""
                {"apiVersion":"v1","kind":"Binding","metadata":{"name":"on-node"},"target":{"kind":"Node","name":"list-node"}}""")
                .post(pods + "/on-node/binding").then().statusCode(201);
        admin().queryParam("fieldSelector", "spec.nodeName=list-node").get(pods).then().statusCode(200)
                .body("items.metadata.name", containsInAnyOrder("on-node"));
        admin().queryParam("fieldSelector", "spec.nodeName=").get(pods).then().statusCode(200)
                .body("items.metadata.name", containsInAnyOrder("waiting"));
        admin().queryParam("fieldSelector", "status.phase=Pending").get(pods).then().statusCode(200)
                .body("items.metadata.name", containsInAnyOrder("on-node", "waiting"));
        admin().queryParam("fieldSelector", "spec.image=nginx").get(pods).then().statusCode(400)
                .body("reason", equalTo("BadRequest"));
    }

    @Test
    void pagesStayAtTheFirstPagesRevision() {
        String paged = Manifests.namespace("paged");
        String path = "/api/v1/namespaces/" + paged + "/configmaps";
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            created.add("cm-" + i);
            admin().contentType(ContentType.JSON).body(Manifests.configMap("cm-" + i, "k", "v")).post(path).then().statusCode(201);
        }
        Response first = admin().queryParam("limit", 2).get(path);
        first.then().statusCode(200).body("items", hasSize(2)).body("metadata.continue", not(emptyOrNullString()));
        String revision = first.path("metadata.resourceVersion");
        admin().contentType(ContentType.JSON).body(Manifests.configMap("cm-late", "k", "v")).post(path).then().statusCode(201);

        List<String> seen = new ArrayList<>(first.path("items.metadata.name"));
        String token = first.path("metadata.continue");
        while (token != null && !token.isEmpty()) {
            Response page = admin().queryParam("limit", 2).queryParam("continue", token).get(path);
            page.then().statusCode(200).body("metadata.resourceVersion", equalTo(revision));
            seen.addAll(page.path("items.metadata.name"));
            token = page.path("metadata.continue");
        }
        assertFalse(seen.contains("cm-late"), "a page after the first listed an object created later: " + seen);
        assertEquals(created, seen.stream().sorted().toList());
    }

    @Test
    void resourceVersionsSelectHowTheListIsServed() {
        String revision = admin().get(configMaps()).then().statusCode(200).extract().path("metadata.resourceVersion");
        admin().queryParam("resourceVersion", "0").get(configMaps()).then().statusCode(200)
                .body("items.metadata.name", hasItems("prod-web", "dev", "prod"));
        admin().queryParam("resourceVersion", revision).queryParam("resourceVersionMatch", "Exact").get(configMaps())
                .then().statusCode(200).body("metadata.resourceVersion", equalTo(revision))
                .body("items.metadata.name", hasItems("prod-web", "dev", "prod"));
    }

    @Test
    void aMalformedContinueTokenIsABadRequest() {
        admin().queryParam("limit", 1).queryParam("continue", "not-a-token").get(configMaps()).then().statusCode(400)
                .body("reason", equalTo("BadRequest"));
    }
}
