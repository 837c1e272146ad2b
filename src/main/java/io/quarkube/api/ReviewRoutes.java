package io.quarkube.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkube.json.Json;
import io.quarkube.json.Timestamps;
import io.quarkube.registry.FieldError;
import io.quarkube.registry.ResourceService;
import io.quarkube.registry.StatusException;
import io.quarkube.registry.Validation;
import io.quarkube.registry.core.ServiceAccountTokenRequests.Reviewed;
import io.quarkube.security.ServiceAccountTokens;
import io.quarkube.security.UserInfo;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The authentication.k8s.io/v1 and authorization.k8s.io/v1 reviews: resources that answer a create
 * with what the server knows and store nothing. A TokenReview says whether a bearer token
 * authenticates and as whom (as a webhook token authenticator or a component checking its callers
 * asks); a SelfSubjectReview says who the caller is ({@code kubectl auth whoami}). The access and
 * rules reviews say what a subject may do ({@code kubectl auth can-i}, also {@code --list}).
 */
@ApplicationScoped
public class ReviewRoutes {

    /** A create-only resource that stores nothing, served beside the catalog's kinds. */
    record Review(String group, String version, String kind, String plural) {
        String apiVersion() {
            return group + "/" + version;
        }

        String path() {
            return "/apis/" + apiVersion() + "/" + plural;
        }
    }

    static final Review TOKEN_REVIEW = new Review("authentication.k8s.io", "v1", "TokenReview", "tokenreviews");
    static final Review SELF_SUBJECT_REVIEW = new Review("authentication.k8s.io", "v1", "SelfSubjectReview", "selfsubjectreviews");
    static final Review SUBJECT_ACCESS_REVIEW = new Review("authorization.k8s.io", "v1", "SubjectAccessReview", "subjectaccessreviews");
    static final Review SELF_SUBJECT_ACCESS_REVIEW = new Review("authorization.k8s.io", "v1", "SelfSubjectAccessReview",
            "selfsubjectaccessreviews");
    static final Review SELF_SUBJECT_RULES_REVIEW = new Review("authorization.k8s.io", "v1", "SelfSubjectRulesReview",
            "selfsubjectrulesreviews");
    static final List<Review> ALL = List.of(SELF_SUBJECT_REVIEW, TOKEN_REVIEW, SELF_SUBJECT_ACCESS_REVIEW, SELF_SUBJECT_RULES_REVIEW,
            SUBJECT_ACCESS_REVIEW);

    @Inject
    ResourceService resources;

    void mount(Router router) {
        route(router, TOKEN_REVIEW, this::tokenReview);
        route(router, SELF_SUBJECT_REVIEW, this::selfSubjectReview);
        route(router, SELF_SUBJECT_ACCESS_REVIEW, (ctx, body) -> accessReview(SELF_SUBJECT_ACCESS_REVIEW, body, false));
        route(router, SUBJECT_ACCESS_REVIEW, (ctx, body) -> accessReview(SUBJECT_ACCESS_REVIEW, body, true));
        route(router, SELF_SUBJECT_RULES_REVIEW, (ctx, body) -> rulesReview(body));
    }

    private interface Handler {
        Uni<ObjectNode> answer(RoutingContext ctx, ObjectNode review);
    }

    private static void route(Router router, Review review, Handler handler) {
        router.route(review.path()).handler(ctx -> {
            try {
                if (ctx.request().method() != HttpMethod.POST) {
                    throw StatusException.methodNotAllowed();
                }
                ResourceRoutes.checkAcceptable(ctx.request().getHeader("Accept"));
                ObjectNode body = RequestBodies.object(ctx);
                Validation.requireKind(body, review.kind(), List.of(review.apiVersion()));
                handler.answer(ctx, body).subscribe().with(answer -> Responses.object(ctx, 201, answer),
                        failure -> Responses.failure(ctx, failure));
            } catch (RuntimeException e) {
                Responses.failure(ctx, e);
            }
        });
    }

    /** The review as sent, with kind and apiVersion, a creation time, and no status of the client's. */
    private static ObjectNode answerTo(Review review, ObjectNode body) {
        ObjectNode answer = body.deepCopy();
        answer.put("kind", review.kind()).put("apiVersion", review.apiVersion());
        Json.with(answer, "metadata").put("creationTimestamp", Timestamps.now());
        answer.remove("status");
        return answer;
    }

    private Uni<ObjectNode> selfSubjectReview(RoutingContext ctx, ObjectNode body) {
        ObjectNode answer = answerTo(SELF_SUBJECT_REVIEW, body);
        answer.putObject("status").set("userInfo", userInfo(ApiRouter.user(ctx)));
        return Uni.createFrom().item(answer);
    }

    private Uni<ObjectNode> tokenReview(RoutingContext ctx, ObjectNode body) {
        ObjectNode answer = answerTo(TOKEN_REVIEW, body);
        String token = body.path("spec").path("token").asText("");
        List<String> audiences = new ArrayList<>();
        body.path("spec").path("audiences").forEach(audience -> audiences.add(audience.asText()));
        List<String> asked = audiences.isEmpty() ? ServiceAccountTokens.API_AUDIENCES : audiences;
        return resources.serviceAccountTokens().review(token, asked).map(reviewed -> {
            ObjectNode status = answer.putObject("status");
            if (reviewed.isEmpty()) {
                // kube-apiserver's answer for a token that no authenticator accepts
                status.put("authenticated", false).put("error", "[invalid bearer token, token lookup failed]");
                return answer;
            }
            Reviewed accepted = reviewed.get();
            status.put("authenticated", true).set("user", userInfo(accepted.user()));
            ArrayNode matched = status.putArray("audiences");
            accepted.audiences().forEach(matched::add);
            return answer;
        });
    }

    /**
     * Whether a subject may do something. quarkube has no authorizer yet: every authenticated
     * client may do everything, so the answer is allowed, as kube-apiserver's with
     * {@code --authorization-mode=AlwaysAllow}. The spec is validated as kube-apiserver validates it.
     */
    private static Uni<ObjectNode> accessReview(Review review, ObjectNode body, boolean namesSubject) {
        JsonNode spec = body.path("spec");
        List<FieldError> errors = new ArrayList<>();
        boolean resource = spec.path("resourceAttributes").isObject();
        boolean nonResource = spec.path("nonResourceAttributes").isObject();
        if (resource && nonResource) {
            errors.add(FieldError.invalid("spec.nonResourceAttributes", spec.path("nonResourceAttributes").toString(),
                    "cannot be specified in combination with resourceAttributes"));
        } else if (!resource && !nonResource) {
            errors.add(FieldError.invalid("spec.resourceAttributes", "null",
                    "exactly one of nonResourceAttributes or resourceAttributes must be specified"));
        }
        if (namesSubject && spec.path("user").asText("").isEmpty() && spec.path("groups").isEmpty()) {
            errors.add(FieldError.invalid("spec.user", "", "at least one of user or group must be specified"));
        }
        if (!errors.isEmpty()) {
            throw StatusException.invalid(review.group(), review.kind(), "", errors);
        }
        ObjectNode answer = answerTo(review, body);
        answer.putObject("status").put("allowed", true);
        return Uni.createFrom().item(answer);
    }

    /** What the caller may do in a namespace: everything, for the same reason as {@link #accessReview}. */
    private static Uni<ObjectNode> rulesReview(ObjectNode body) {
        if (body.path("spec").path("namespace").asText("").isEmpty()) {
            throw StatusException.badRequest("no namespace on request");
        }
        ObjectNode answer = answerTo(SELF_SUBJECT_RULES_REVIEW, body);
        ObjectNode status = answer.putObject("status");
        ObjectNode resourceRule = status.putArray("resourceRules").addObject();
        resourceRule.putArray("verbs").add("*");
        resourceRule.putArray("apiGroups").add("*");
        resourceRule.putArray("resources").add("*");
        ObjectNode nonResourceRule = status.putArray("nonResourceRules").addObject();
        nonResourceRule.putArray("verbs").add("*");
        nonResourceRule.putArray("nonResourceURLs").add("*");
        status.put("incomplete", false);
        return Uni.createFrom().item(answer);
    }

    /** authentication.k8s.io/v1 UserInfo. */
    private static ObjectNode userInfo(UserInfo user) {
        ObjectNode info = Json.object().put("username", user.name());
        if (!user.uid().isEmpty()) {
            info.put("uid", user.uid());
        }
        ArrayNode groups = info.putArray("groups");
        user.groupsWithAuthenticated().forEach(groups::add);
        if (!user.extra().isEmpty()) {
            ObjectNode extra = info.putObject("extra");
            for (Map.Entry<String, List<String>> entry : user.extra().entrySet()) {
                ArrayNode values = extra.putArray(entry.getKey());
                entry.getValue().forEach(values::add);
            }
        }
        return info;
    }
}
