package io.quarkube.api;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkube.json.Json;
import io.quarkube.registry.DeleteOptions;
import io.quarkube.registry.StatusException;
import io.quarkube.registry.pod.PodEviction;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;

/**
 * The {@code pods/eviction} subresource: a POST of a policy/v1 (or v1beta1) Eviction, JSON or
 * protobuf. The rules live in {@link PodEviction}; this only reads the request and answers
 * kube-apiserver's Success Status.
 */
final class EvictionSubresource {

    private EvictionSubresource() {
    }

    static Uni<Void> handle(RoutingContext ctx, PodEviction eviction, ApiPath path) {
        if (ctx.request().method() != HttpMethod.POST) {
            throw StatusException.methodNotAllowed();
        }
        boolean dryRun = ResourceRoutes.writeOptions(ctx).dryRun();
        DeleteOptions options = PodEviction.deleteOptions(RequestBodies.object(ctx), path.namespace(), path.name(), dryRun);
        return eviction.evict(path.namespace(), path.name(), options).invoke(() -> Responses.object(ctx, 201, success()));
    }

    private static ObjectNode success() {
        ObjectNode status = Json.object().put("kind", "Status").put("apiVersion", "v1");
        status.putObject("metadata");
        return status.put("status", "Success").put("code", 201);
    }
}
