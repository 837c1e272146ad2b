package io.quarkube.api;

import static io.quarkube.testing.TestCluster.admin;
import static io.quarkube.testing.TestCluster.anonymous;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;

import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.kubernetes.client.proto.Meta;
import io.kubernetes.client.proto.V1Authentication;
import io.kubernetes.client.proto.V1Authorization;
import io.quarkube.testing.ControlPlaneTestResource;
import io.quarkube.testing.Manifests;
import io.quarkube.testing.ProtobufBodies;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/**
 * TokenReview and SelfSubjectReview (who a token or the caller is) and the access and rules reviews
 * (what a subject may do): answered and never stored.
 */
@QuarkusTest
@QuarkusTestResource(value = ControlPlaneTestResource.class, restrictToAnnotatedClass = false)
class ReviewRoutesTest {

    private static final String ISSUER = "https://kubernetes.default.svc.cluster.local";
    private static final String SELF = "/apis/authentication.k8s.io/v1/selfsubjectreviews";
    private static final String TOKEN_REVIEWS = "/apis/authentication.k8s.io/v1/tokenreviews";
    private static final String SELF_SUBJECT_REVIEW = "{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"SelfSubjectReview\"}";

    private static String ns;
    private static String accountUid;

    @BeforeAll
    static void setUp() {
        ns = Manifests.namespace("reviews");
        accountUid = admin().contentType(ContentType.JSON)
                .body("{\"apiVersion\":\"v1\",\"kind\":\"ServiceAccount\",\"metadata\":{\"name\":\"robot\"}}")
                .post("/api/v1/namespaces/" + ns + "/serviceaccounts").then().statusCode(201).extract().path("metadata.uid");
    }

    private static String token(String spec) {
        return admin().contentType(ContentType.JSON)
                .body("{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"TokenRequest\",\"spec\":" + spec + "}")
                .post("/api/v1/namespaces/" + ns + "/serviceaccounts/robot/token").then().statusCode(201).extract().path("status.token");
    }

    private static RequestSpecification withToken(String token) {
        return anonymous().header("Authorization", "Bearer " + token);
    }

    private static String tokenReview(String token, List<String> audiences) {
        String spec = audiences.isEmpty() ? "{\"token\":\"" + token + "\"}"
                : "{\"token\":\"" + token + "\",\"audiences\":[\"" + String.join("\",\"", audiences) + "\"]}";
        return "{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"TokenReview\",\"spec\":" + spec + "}";
    }

    @Test
    void aSelfSubjectReviewNamesTheCertificateUser() {
        admin().contentType(ContentType.JSON).body(SELF_SUBJECT_REVIEW).post(SELF).then().statusCode(201)
                .body("kind", equalTo("SelfSubjectReview"))
                .body("status.userInfo.username", equalTo("quarkube-admin"))
                .body("status.userInfo.groups", equalTo(List.of("system:masters", "system:authenticated")));
    }

    @Test
    void aSelfSubjectReviewNamesTheServiceAccountOfAToken() {
        withToken(token("{}")).contentType(ContentType.JSON).body(SELF_SUBJECT_REVIEW).post(SELF).then().statusCode(201)
                .body("status.userInfo.username", equalTo("system:serviceaccount:" + ns + ":robot"))
                .body("status.userInfo.uid", equalTo(accountUid))
                .body("status.userInfo.groups", equalTo(List.of("system:serviceaccounts", "system:serviceaccounts:" + ns,
                        "system:authenticated")))
                .body("status.userInfo.extra.'authentication.kubernetes.io/credential-id'[0]", startsWith("JTI="));
    }

    @Test
    void aSelfSubjectReviewInProtobufAsKubectl132AndLaterSendIt() {
        byte[] body = ProtobufBodies.envelope("authentication.k8s.io/v1", "SelfSubjectReview",
                V1Authentication.SelfSubjectReview.newBuilder().setMetadata(Meta.ObjectMeta.newBuilder()).build());
        admin().contentType(ProtobufBodies.MEDIA_TYPE).body(body).post(SELF).then().statusCode(201)
                .body("status.userInfo.username", equalTo("quarkube-admin"));
    }

    @Test
    void aTokenReviewSaysWhomAValidTokenAuthenticates() {
        admin().contentType(ContentType.JSON).body(tokenReview(token("{}"), List.of())).post(TOKEN_REVIEWS).then().statusCode(201)
                .body("kind", equalTo("TokenReview"))
                .body("status.authenticated", equalTo(true))
                .body("status.user.username", equalTo("system:serviceaccount:" + ns + ":robot"))
                .body("status.audiences", equalTo(List.of(ISSUER)));
    }

    @Test
    void aTokenReviewRefusesWhatDoesNotAuthenticate() {
        admin().contentType(ContentType.JSON).body(tokenReview("not.a.token", List.of())).post(TOKEN_REVIEWS).then().statusCode(201)
                .body("status.authenticated", equalTo(false))
                .body("status.error", equalTo("[invalid bearer token, token lookup failed]"));
    }

    @Test
    void aTokenForAnotherAudienceIsValidOnlyForThatAudience() {
        String vaultToken = token("{\"audiences\":[\"vault\"]}");
        admin().contentType(ContentType.JSON).body(tokenReview(vaultToken, List.of())).post(TOKEN_REVIEWS).then().statusCode(201)
                .body("status.authenticated", equalTo(false));
        admin().contentType(ContentType.JSON).body(tokenReview(vaultToken, List.of("vault", "other"))).post(TOKEN_REVIEWS).then()
                .statusCode(201).body("status.authenticated", equalTo(true)).body("status.audiences", equalTo(List.of("vault")));
        withToken(vaultToken).get("/api/v1/namespaces").then().statusCode(401);
    }

    @Test
    void reviewsAreCreatedOnlyAndNeedAnAuthenticatedCaller() {
        admin().get(TOKEN_REVIEWS).then().statusCode(405).body("reason", equalTo("MethodNotAllowed"));
        anonymous().contentType(ContentType.JSON).body(SELF_SUBJECT_REVIEW).post(SELF).then().statusCode(401);
        admin().contentType(ContentType.JSON).body("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\"}").post(SELF).then().statusCode(400);
    }

    private static final String ACCESS_REVIEWS = "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews";
    private static final String SUBJECT_ACCESS_REVIEWS = "/apis/authorization.k8s.io/v1/subjectaccessreviews";
    private static final String RULES_REVIEWS = "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews";

    private static String authorizationReview(String kind, String spec) {
        return "{\"apiVersion\":\"authorization.k8s.io/v1\",\"kind\":\"" + kind + "\",\"spec\":" + spec + "}";
    }

    /** No authorizer yet: every authenticated caller may do everything, and the reviews say so. */
    @Test
    void accessReviewsAllowEveryAuthenticatedSubject() {
        String deletePods = "{\"resourceAttributes\":{\"namespace\":\"" + ns + "\",\"verb\":\"delete\",\"resource\":\"pods\"}}";
        withToken(token("{}")).contentType(ContentType.JSON).body(authorizationReview("SelfSubjectAccessReview", deletePods))
                .post(ACCESS_REVIEWS).then().statusCode(201)
                .body("kind", equalTo("SelfSubjectAccessReview"))
                .body("spec.resourceAttributes.verb", equalTo("delete"))
                .body("status.allowed", equalTo(true));
        admin().contentType(ContentType.JSON).body(authorizationReview("SubjectAccessReview",
                "{\"user\":\"jane\",\"nonResourceAttributes\":{\"path\":\"/healthz\",\"verb\":\"get\"}}"))
                .post(SUBJECT_ACCESS_REVIEWS).then().statusCode(201).body("status.allowed", equalTo(true));
        anonymous().contentType(ContentType.JSON).body(authorizationReview("SelfSubjectAccessReview", deletePods))
                .post(ACCESS_REVIEWS).then().statusCode(401);
    }

    @Test
    void anAccessReviewNeedsOneKindOfAttributesAndASubjectReviewAUserOrGroup() {
        admin().contentType(ContentType.JSON).body(authorizationReview("SelfSubjectAccessReview", "{}")).post(ACCESS_REVIEWS).then()
                .statusCode(422).body("reason", equalTo("Invalid"))
                .body("message", equalTo("SelfSubjectAccessReview.authorization.k8s.io \"\" is invalid: spec.resourceAttributes: "
                        + "Invalid value: \"null\": exactly one of nonResourceAttributes or resourceAttributes must be specified"))
                .body("details.causes.field", equalTo(List.of("spec.resourceAttributes")));
        admin().contentType(ContentType.JSON).body(authorizationReview("SelfSubjectAccessReview",
                "{\"resourceAttributes\":{\"verb\":\"get\"},\"nonResourceAttributes\":{\"path\":\"/\",\"verb\":\"get\"}}"))
                .post(ACCESS_REVIEWS).then().statusCode(422).body("details.causes.field", equalTo(List.of("spec.nonResourceAttributes")));
        admin().contentType(ContentType.JSON).body(authorizationReview("SubjectAccessReview", "{\"resourceAttributes\":{\"verb\":\"get\"}}"))
                .post(SUBJECT_ACCESS_REVIEWS).then().statusCode(422).body("details.causes.field", equalTo(List.of("spec.user")));
    }

    @Test
    void aSelfSubjectAccessReviewInProtobuf() {
        byte[] body = ProtobufBodies.envelope("authorization.k8s.io/v1", "SelfSubjectAccessReview",
                V1Authorization.SelfSubjectAccessReview.newBuilder().setMetadata(Meta.ObjectMeta.newBuilder())
                        .setSpec(V1Authorization.SelfSubjectAccessReviewSpec.newBuilder()
                                .setResourceAttributes(V1Authorization.ResourceAttributes.newBuilder().setVerb("list").setResource("pods")))
                        .build());
        admin().contentType(ProtobufBodies.MEDIA_TYPE).body(body).post(ACCESS_REVIEWS).then().statusCode(201)
                .body("status.allowed", equalTo(true));
    }

    @Test
    void aRulesReviewGrantsEverythingInTheNamespaceItNames() {
        admin().contentType(ContentType.JSON).body(authorizationReview("SelfSubjectRulesReview", "{\"namespace\":\"" + ns + "\"}"))
                .post(RULES_REVIEWS).then().statusCode(201)
                .body("status.resourceRules", equalTo(List.of(java.util.Map.of("verbs", List.of("*"), "apiGroups", List.of("*"),
                        "resources", List.of("*")))))
                .body("status.nonResourceRules[0].nonResourceURLs", equalTo(List.of("*")))
                .body("status.incomplete", equalTo(false));
        admin().contentType(ContentType.JSON).body(authorizationReview("SelfSubjectRulesReview", "{}")).post(RULES_REVIEWS).then()
                .statusCode(400).body("message", equalTo("no namespace on request"));
    }

    @Test
    void discoveryListsTheReviews() {
        admin().get("/apis").then().statusCode(200).body("groups.name", hasItem("authentication.k8s.io"));
        admin().get("/apis/authentication.k8s.io").then().statusCode(200)
                .body("preferredVersion.groupVersion", equalTo("authentication.k8s.io/v1"));
        admin().get("/apis/authentication.k8s.io/v1").then().statusCode(200)
                .body("resources.find { it.name == 'tokenreviews' }.verbs", equalTo(List.of("create")))
                .body("resources.find { it.name == 'selfsubjectreviews' }.kind", equalTo("SelfSubjectReview"))
                .body("resources.find { it.name == 'selfsubjectreviews' }.namespaced", equalTo(false));
        admin().accept(Discovery.AGGREGATED_V2).get("/apis").then().statusCode(200)
                .body("items.find { it.metadata.name == 'authentication.k8s.io' }.versions[0].resources.resource",
                        equalTo(List.of("selfsubjectreviews", "tokenreviews")));
        admin().get("/apis/authorization.k8s.io/v1").then().statusCode(200)
                .body("resources.name", equalTo(List.of("selfsubjectaccessreviews", "selfsubjectrulesreviews", "subjectaccessreviews")))
                .body("resources.find { it.name == 'selfsubjectaccessreviews' }.verbs", equalTo(List.of("create")));
    }
}
