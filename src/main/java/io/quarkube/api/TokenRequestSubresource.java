package io.quarkube.api;

import io.quarkube.registry.StatusException;
import io.quarkube.registry.core.ServiceAccountTokenRequests;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;

/**
 * The {@code serviceaccounts/token} subresource: a POST of an authentication.k8s.io/v1
 * TokenRequest, JSON or protobuf (kubectl create token). The rules live in
 * {@link ServiceAccountTokenRequests}; this only reads the request and answers 201 with the
 * TokenRequest and its token.
 */
final class TokenRequestSubresource {

    private TokenRequestSubresource() {
    }

    static Uni<Void> handle(RoutingContext ctx, ServiceAccountTokenRequests tokens, ApiPath path) {
        if (ctx.request().method() != HttpMethod.POST) {
            throw StatusException.methodNotAllowed();
        }
        boolean dryRun = ResourceRoutes.writeOptions(ctx).dryRun();
        return tokens.create(path.namespace(), path.name(), RequestBodies.object(ctx), dryRun)
                .invoke(answer -> Responses.object(ctx, 201, answer)).replaceWithVoid();
    }
}
