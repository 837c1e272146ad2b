package io.quarkube.api;

import static io.quarkube.testing.TestCluster.admin;
import static io.quarkube.testing.TestCluster.anonymous;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.resolvers.JwksVerificationKeyResolver;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.kubernetes.client.proto.Meta;
import io.kubernetes.client.proto.V1Authentication;
import io.quarkube.json.Json;
import io.quarkube.testing.ControlPlaneTestResource;
import io.quarkube.testing.Manifests;
import io.quarkube.testing.ProtobufBodies;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * The serviceaccounts/token subresource and the tokens it issues: kube-apiserver's answers to a
 * TokenRequest, and requests authenticated by nothing but such a token.
 */
@QuarkusTest
@QuarkusTestResource(value = ControlPlaneTestResource.class, restrictToAnnotatedClass = false)
class TokenRequestSubresourceTest {

    private static String ns;

    @BeforeAll
    static void setUp() {
        ns = Manifests.namespace("tokens");
    }

    private static void serviceAccount(String name) {
        admin().contentType(ContentType.JSON).body("{\"apiVersion\":\"v1\",\"kind\":\"ServiceAccount\",\"metadata\":{\"name\":\"" + name + "\"}}")
                .post("/api/v1/namespaces/" + ns + "/serviceaccounts").then().statusCode(201);
    }

    private static String tokenUrl(String account) {
        return "/api/v1/namespaces/" + ns + "/serviceaccounts/" + account + "/token";
    }

    private static Response requestToken(String account, String spec) {
        return admin().contentType(ContentType.JSON)
                .body("{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"TokenRequest\",\"spec\":" + spec + "}")
                .post(tokenUrl(account));
    }

    private static String token(String account, String spec) {
        Response answer = requestToken(account, spec);
        answer.then().statusCode(201);
        return answer.path("status.token");
    }

    private static int statusWith(String token) {
        return anonymous().header("Authorization", "Bearer " + token).get("/api/v1/namespaces/" + ns + "/serviceaccounts").statusCode();
    }

    private static JsonNode claims(String token) {
        return Json.parseObject(new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8));
    }

    @Test
    void aTokenRequestIsAnsweredWithATokenThatAuthenticates() {
        serviceAccount("reader");
        Instant before = Instant.now().minusSeconds(1);
        Response answer = requestToken("reader", "{}");
        answer.then().statusCode(201).body("kind", equalTo("TokenRequest")).body("apiVersion", equalTo("authentication.k8s.io/v1"))
                .body("metadata.name", equalTo("reader")).body("metadata.namespace", equalTo(ns))
                .body("spec.audiences", equalTo(List.of("https://kubernetes.default.svc.cluster.local")))
                .body("spec.expirationSeconds", equalTo(3600));
        Instant expiry = Instant.parse(answer.path("status.expirationTimestamp"));
        assertTrue(!expiry.isBefore(before.plusSeconds(3600)) && expiry.isBefore(Instant.now().plusSeconds(3601)), expiry::toString);
        String token = answer.path("status.token");
        assertEquals("system:serviceaccount:" + ns + ":reader", claims(token).path("sub").asText());
        assertEquals(expiry.getEpochSecond(), claims(token).path("exp").asLong(), "the answer's expiry is the token's");

        assertEquals(200, statusWith(token));
        anonymous().header("Authorization", "Bearer " + token).contentType(ContentType.JSON)
                .body(Manifests.configMap("written-with-a-token", "k", "v")).post("/api/v1/namespaces/" + ns + "/configmaps")
                .then().statusCode(201);
        assertEquals(401, anonymous().get("/api/v1/namespaces/" + ns + "/serviceaccounts").statusCode(), "no credentials");
        assertEquals(401, statusWith(token.substring(0, token.length() - 4) + "AAAA"), "a token whose signature does not match");
        assertEquals(401, statusWith("not-a-jwt"));
    }

    @Test
    void deletingTheServiceAccountEndsItsTokensAndANewOneOfTheSameNameGetsNoneOfThem() {
        serviceAccount("short-lived");
        String token = token("short-lived", "{\"expirationSeconds\":600}");
        assertEquals(200, statusWith(token));

        admin().delete("/api/v1/namespaces/" + ns + "/serviceaccounts/short-lived").then().statusCode(200);
        assertEquals(401, statusWith(token));
        serviceAccount("short-lived");
        assertEquals(401, statusWith(token), "the token names the deleted account's uid");
    }

    @Test
    void aPodBoundTokenNamesThePodAndItsNodeAndEndsWithThePod() {
        serviceAccount("runner");
        admin().contentType(ContentType.JSON).body("{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"token-node\"}}")
                .post("/api/v1/nodes").then().statusCode(201);
        String podUid = admin().contentType(ContentType.JSON).body("""
                {"apiVersion":"v1","kind":"Pod","metadata":{"name":"job-0"},
                 "spec":{"serviceAccountName":"runner","nodeName":"token-node","containers":[{"name":"main","image":"busybox"}]}}""")
                .post("/api/v1/namespaces/" + ns + "/pods").then().statusCode(201).extract().path("metadata.uid");

        String token = token("runner", "{\"boundObjectRef\":{\"kind\":\"Pod\",\"apiVersion\":\"v1\",\"name\":\"job-0\",\"uid\":\"" + podUid + "\"}}");
        JsonNode bound = claims(token).path("kubernetes.io");
        assertEquals(podUid, bound.at("/pod/uid").asText());
        assertEquals("token-node", bound.at("/node/name").asText());
        assertEquals(200, statusWith(token));

        admin().contentType(ContentType.JSON).body("{\"gracePeriodSeconds\":0}").delete("/api/v1/namespaces/" + ns + "/pods/job-0")
                .then().statusCode(200);
        assertEquals(401, statusWith(token));
    }

    @Test
    void refusalsAsKubeApiserverGivesThem() {
        serviceAccount("strict");
        requestToken("strict", "{\"expirationSeconds\":300}").then().statusCode(422).body("reason", equalTo("Invalid"))
                .body("details.kind", equalTo("TokenRequest")).body("details.group", equalTo("authentication.k8s.io"))
                .body("details.causes[0].field", equalTo("spec.expirationSeconds"))
                .body("message", equalTo("TokenRequest.authentication.k8s.io \"strict\" is invalid: spec.expirationSeconds: "
                        + "Invalid value: 300: may not specify a duration less than 10 minutes"));
        requestToken("nobody", "{}").then().statusCode(404).body("reason", equalTo("NotFound"))
                .body("message", equalTo("serviceaccounts \"nobody\" not found"));
        requestToken("strict", "{\"boundObjectRef\":{\"kind\":\"ConfigMap\",\"apiVersion\":\"v1\",\"name\":\"x\"}}").then().statusCode(400)
                .body("message", equalTo("cannot bind token to object of type /v1, Kind=ConfigMap"));
        requestToken("strict", "{\"boundObjectRef\":{\"kind\":\"Secret\",\"apiVersion\":\"v1\",\"name\":\"missing\"}}").then().statusCode(404)
                .body("message", equalTo("secrets \"missing\" not found"));

        admin().contentType(ContentType.JSON).body("""
                {"apiVersion":"v1","kind":"Pod","metadata":{"name":"other-account"},
                 "spec":{"containers":[{"name":"main","image":"busybox"}]}}""").post("/api/v1/namespaces/" + ns + "/pods")
                .then().statusCode(201);
        requestToken("strict", "{\"boundObjectRef\":{\"kind\":\"Pod\",\"apiVersion\":\"v1\",\"name\":\"other-account\"}}").then()
                .statusCode(400).body("message", equalTo("cannot bind token for serviceaccount \"strict\" to pod running with different serviceaccount name."));

        admin().contentType(ContentType.JSON).body("{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"bound-secret\"}}").post("/api/v1/namespaces/" + ns + "/secrets")
                .then().statusCode(201);
        requestToken("strict", "{\"boundObjectRef\":{\"kind\":\"Secret\",\"apiVersion\":\"v1\",\"name\":\"bound-secret\",\"uid\":\"stale\"}}")
                .then().statusCode(409).body("reason", equalTo("Conflict"));

        admin().contentType(ContentType.JSON).body("{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"TokenRequest\","
                + "\"metadata\":{\"name\":\"someone-else\"},\"spec\":{}}").post(tokenUrl("strict")).then().statusCode(422)
                .body("details.causes[0].field", equalTo("metadata.name"));
        admin().get(tokenUrl("strict")).then().statusCode(405);
        admin().contentType(ContentType.JSON).body("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\"}").post(tokenUrl("strict"))
                .then().statusCode(400);
    }

    @Test
    void aDryRunChecksTheRequestAndIssuesNothing() {
        serviceAccount("dry");
        admin().contentType(ContentType.JSON).body("{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"TokenRequest\",\"spec\":{}}")
                .post(tokenUrl("dry") + "?dryRun=All").then().statusCode(201).body("status.token", nullValue())
                .body("spec.expirationSeconds", equalTo(3600));
        admin().contentType(ContentType.JSON).body("{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"TokenRequest\",\"spec\":{\"expirationSeconds\":1}}")
                .post(tokenUrl("dry") + "?dryRun=All").then().statusCode(422);
    }

    @Test
    void acceptsProtobufTokenRequestsAsKubectl132AndLaterSendThem() {
        serviceAccount("proto");
        byte[] body = ProtobufBodies.envelope("authentication.k8s.io/v1", "TokenRequest", V1Authentication.TokenRequest.newBuilder()
                .setMetadata(Meta.ObjectMeta.newBuilder().setName("proto").setNamespace(ns))
                .setSpec(V1Authentication.TokenRequestSpec.newBuilder().setExpirationSeconds(Duration.ofMinutes(20).toSeconds())
                        .addAudiences("https://kubernetes.default.svc.cluster.local"))
                .build());
        Response answer = admin().contentType(ProtobufBodies.MEDIA_TYPE).body(body).post(tokenUrl("proto"));
        answer.then().statusCode(201).body("spec.expirationSeconds", equalTo(1200));
        assertEquals(200, statusWith(answer.path("status.token")));
    }

    /** What a system outside the cluster needs to accept the tokens: the issuer's configuration and key set. */
    @Test
    void issuerDiscoveryPublishesTheKeyThatVerifiesTheTokens() throws Exception {
        serviceAccount("federated");
        String token = token("federated", "{}");
        String issuer = "https://kubernetes.default.svc.cluster.local";
        admin().get("/.well-known/openid-configuration").then().statusCode(200).contentType("application/json")
                .body("issuer", equalTo(issuer)).body("jwks_uri", equalTo(issuer + "/openid/v1/jwks"))
                .body("id_token_signing_alg_values_supported", equalTo(List.of("ES256")));
        String jwks = admin().get("/openid/v1/jwks").then().statusCode(200).contentType("application/jwk-set+json").extract().asString();

        JwtConsumer outside = new JwtConsumerBuilder()
                .setVerificationKeyResolver(new JwksVerificationKeyResolver(new JsonWebKeySet(jwks).getJsonWebKeys()))
                .setExpectedIssuer(issuer).setExpectedAudience(issuer).build();
        assertEquals("system:serviceaccount:" + ns + ":federated", outside.processToClaims(token).getSubject());
        assertEquals(401, anonymous().get("/openid/v1/jwks").statusCode());
    }

    @Test
    void discoveryListsTheSubresource() {
        admin().get("/api/v1").then().statusCode(200)
                .body("resources.find { it.name == 'serviceaccounts/token' }.kind", equalTo("TokenRequest"))
                .body("resources.find { it.name == 'serviceaccounts/token' }.group", equalTo("authentication.k8s.io"))
                .body("resources.find { it.name == 'serviceaccounts/token' }.verbs", hasItem("create"));
    }
}
