package io.quarkube.api;

import java.io.IOException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkube.api.protobuf.KubernetesProtobuf;
import io.quarkube.json.Json;
import io.quarkube.registry.StatusException;
import io.vertx.ext.web.RoutingContext;

/** Decodes request bodies by Content-Type: JSON, YAML or the Kubernetes protobuf envelope. */
final class RequestBodies {

    private RequestBodies() {
    }

    static String mediaType(RoutingContext ctx) {
        String contentType = ctx.request().getHeader("Content-Type");
        if (contentType == null) {
            return "application/json";
        }
        int semicolon = contentType.indexOf(';');
        return (semicolon >= 0 ? contentType.substring(0, semicolon) : contentType).trim().toLowerCase();
    }

    /** The body as an object; 400 for malformed input, 415 for an unknown Content-Type. */
    static ObjectNode object(RoutingContext ctx) {
        JsonNode node = tree(ctx, mediaType(ctx));
        if (!(node instanceof ObjectNode object)) {
            throw StatusException.badRequest("the request body must be a JSON object");
        }
        return object;
    }

    static JsonNode tree(RoutingContext ctx, String mediaType) {
        byte[] body = ctx.body() == null || ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
        if (body.length == 0) {
            throw StatusException.badRequest("the request body is empty");
        }
        try {
            return switch (mediaType) {
                case "application/json", "application/json-patch+json", "application/merge-patch+json",
                        "application/strategic-merge-patch+json", "*/*", "text/plain" -> Json.MAPPER.readTree(body);
                case "application/yaml", "application/apply-patch+yaml", "application/x-yaml", "text/yaml" -> Json.YAML.readTree(body);
                case KubernetesProtobuf.MEDIA_TYPE -> KubernetesProtobuf.decode(body);
                default -> throw StatusException.unsupportedMediaType(mediaType);
            };
        } catch (IOException e) {
            throw StatusException.badRequest("error decoding request body: " + e.getMessage().lines().findFirst().orElse(""));
        }
    }
}
