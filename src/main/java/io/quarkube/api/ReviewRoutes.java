package io.quarkube.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkube.json.Json;
import io.quarkube.json.Timestamps;
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
 * The authentication.k8s.io/v1 reviews: resources that answer a create with what the server
 * knows and store nothing. A TokenReview says whether a bearer token authenticates and as whom (as
 * a webhook token authenticator or a component checking its callers asks); a SelfSubjectReview
 * says who the caller is ({@code kubectl auth whoami}).
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
    static final List<Review> ALL = List.of(SELF_SUBJECT_REVIEW, TOKEN_REVIEW);

    @Inject
    ResourceService resources;

    void mount(Router router) {
        route(router, TOKEN_REVIEW, this::tokenReview);
        route(router, SELF_SUBJECT_REVIEW, this::selfSubjectReview);
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
