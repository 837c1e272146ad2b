package io.quarkube.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.fabric8.kubernetes.api.model.autoscaling.v1.Scale;
import io.quarkube.api.patch.PatchType;
import io.quarkube.api.patch.Patches;
import io.quarkube.json.Json;
import io.quarkube.registry.FieldError;
import io.quarkube.registry.GenericStore;
import io.quarkube.registry.GenericStore.Part;
import io.quarkube.registry.LabelSelector;
import io.quarkube.registry.StatusException;
import io.quarkube.registry.WriteOptions;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

/** The {@code scale} subresource: an autoscaling/v1 Scale view of spec.replicas of a workload. */
final class ScaleSubresource {

    private ScaleSubresource() {
    }

    static Uni<Void> handle(RoutingContext ctx, GenericStore store, ApiPath path) {
        return switch (ctx.request().method().name()) {
            case "GET" -> store.get(path.namespace(), path.name()).invoke(o -> Responses.object(ctx, 200, scaleOf(o))).replaceWithVoid();
            case "PUT" -> {
                WriteOptions options = ResourceRoutes.writeOptions(ctx);
                ObjectNode scale = RequestBodies.object(ctx);
                yield write(ctx, store, path, options, current -> scale);
            }
            case "PATCH" -> {
                WriteOptions options = ResourceRoutes.writeOptions(ctx);
                String mediaType = RequestBodies.mediaType(ctx);
                PatchType type = PatchType.fromContentType(mediaType).filter(t -> t != PatchType.APPLY_PATCH)
                        .orElseThrow(() -> StatusException.unsupportedMediaType(mediaType));
                JsonNode patch = RequestBodies.tree(ctx, mediaType);
                yield write(ctx, store, path, options, current -> (ObjectNode) Patches.apply(type, current, patch, Scale.class));
            }
            default -> Uni.createFrom().failure(StatusException.methodNotAllowed());
        };
    }

    private static Uni<Void> write(RoutingContext ctx, GenericStore store, ApiPath path, WriteOptions options,
            java.util.function.UnaryOperator<ObjectNode> newScale) {
        return store.modify(path.namespace(), path.name(), options, Part.MAIN, object -> {
            ObjectNode scale = newScale.apply(scaleOf(object));
            String version = Json.text(scale, "metadata", "resourceVersion");
            if (version != null && !version.isEmpty() && !version.equals(Json.text(object, "metadata", "resourceVersion"))) {
                throw StatusException.conflict(store.type(), path.name(),
                        "the object has been modified; please apply your changes to the latest version and try again");
            }
            JsonNode replicas = scale.path("spec").path("replicas");
            if (!replicas.isMissingNode() && (!replicas.canConvertToInt() || replicas.asInt() < 0)) {
                throw StatusException.invalid(store.type(), path.name(), java.util.List.of(
                        FieldError.invalid("spec.replicas", replicas.asText(), "must be greater than or equal to 0")));
            }
            Json.with(object, "spec").put("replicas", replicas.asInt(0));
            return object;
        }).invoke(result -> Responses.object(ctx, 200, scaleOf(result.object()))).replaceWithVoid();
    }

    static ObjectNode scaleOf(ObjectNode object) {
        ObjectNode scale = Json.object().put("kind", "Scale").put("apiVersion", "autoscaling/v1");
        ObjectNode metadata = scale.putObject("metadata");
        for (String field : new String[] {"name", "namespace", "uid", "resourceVersion", "creationTimestamp"}) {
            if (object.path("metadata").has(field)) {
                metadata.set(field, object.path("metadata").get(field));
            }
        }
        scale.putObject("spec").put("replicas", object.path("spec").path("replicas").asInt(0));
        ObjectNode status = scale.putObject("status").put("replicas", object.path("status").path("replicas").asInt(0));
        String selector = LabelSelector.textOf(object.path("spec").path("selector"));
        if (!selector.isEmpty()) {
            status.put("selector", selector);
        }
        return scale;
    }
}
