package io.quarkube.api;

import java.util.List;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkube.api.patch.PatchException;
import io.quarkube.api.protobuf.ProtobufDecodeException;
import io.quarkube.json.Json;
import io.quarkube.registry.FieldError;
import io.quarkube.registry.StatusException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/** Writes objects in the client's format and failures as {@code metav1.Status}. */
public final class Responses {

    private static final Logger LOG = Logger.getLogger(Responses.class);

    private Responses() {
    }

    static boolean wantsYaml(RoutingContext ctx) {
        String accept = ctx.request().getHeader("Accept");
        return accept != null && accept.startsWith("application/yaml");
    }

    static void object(RoutingContext ctx, int code, JsonNode body) {
        object(ctx, code, body, List.of());
    }

    static void object(RoutingContext ctx, int code, JsonNode body, List<String> warnings) {
        HttpServerResponse response = ctx.response();
        if (response.ended()) {
            return;
        }
        for (String warning : warnings) {
            response.headers().add("Warning", "299 - \"" + warning.replace("\"", "\\\"") + "\"");
        }
        response.setStatusCode(code);
        if (wantsYaml(ctx)) {
            response.putHeader("Content-Type", "application/yaml").end(Json.yaml(body));
        } else {
            response.putHeader("Content-Type", "application/json").end(Buffer.buffer(Json.bytes(body)));
        }
    }

    static void raw(RoutingContext ctx, int code, String contentType, byte[] body) {
        ctx.response().setStatusCode(code).putHeader("Content-Type", contentType).end(Buffer.buffer(body));
    }

    /** Answers a failed request: client mistakes as their Status, anything else as a logged 500. */
    public static void failure(RoutingContext ctx, Throwable failure) {
        if (ctx.response().ended() || ctx.response().headWritten()) {
            if (!(failure instanceof StatusException)) {
                LOG.errorf(failure, "%s %s failed after the response started", ctx.request().method(), ctx.request().uri());
            }
            ctx.response().reset();
            return;
        }
        StatusException status = asStatus(failure);
        if (status.code() >= 500) {
            LOG.errorf(failure, "%s %s failed", ctx.request().method(), ctx.request().uri());
        } else {
            LOG.debugf("%s %s: %d %s", ctx.request().method(), ctx.request().uri(), status.code(), status.getMessage());
        }
        if (status.retryAfterSeconds() != null) {
            ctx.response().putHeader("Retry-After", status.retryAfterSeconds().toString());
        }
        object(ctx, status.code(), statusBody(status));
    }

    static StatusException asStatus(Throwable failure) {
        if (failure instanceof StatusException status) {
            return status;
        }
        if (failure instanceof PatchException patch) {
            return new StatusException(patch.status(), reasonFor(patch.status()), patch.getMessage(), null, null, null, null, null);
        }
        if (failure instanceof ProtobufDecodeException decode) {
            return StatusException.badRequest(decode.getMessage());
        }
        return new StatusException(500, "InternalError", "Internal error occurred: " + failure.getMessage(),
                null, null, null, null, null);
    }

    private static String reasonFor(int code) {
        return switch (code) {
            case 400 -> "BadRequest";
            case 409 -> "Conflict";
            case 413 -> "RequestEntityTooLarge";
            case 415 -> "UnsupportedMediaType";
            case 422 -> "Invalid";
            default -> "InternalError";
        };
    }

    static ObjectNode statusBody(StatusException status) {
        ObjectNode body = Json.object().put("kind", "Status").put("apiVersion", "v1");
        body.putObject("metadata");
        body.put("status", "Failure").put("message", status.getMessage());
        // a Status without reason is one kube-apiserver returns as is (the eviction's "more than one budget")
        if (status.reason() != null) {
            body.put("reason", status.reason());
        }
        if (status.name() != null || status.kind() != null || !status.causes().isEmpty() || status.retryAfterSeconds() != null) {
            ObjectNode details = body.putObject("details");
            if (status.name() != null) {
                details.put("name", status.name());
            }
            if (status.group() != null && !status.group().isEmpty()) {
                details.put("group", status.group());
            }
            if (status.kind() != null) {
                details.put("kind", status.kind());
            }
            if (!status.causes().isEmpty()) {
                ArrayNode causes = details.putArray("causes");
                for (FieldError cause : status.causes()) {
                    ObjectNode written = causes.addObject().put("reason", cause.reason()).put("message", cause.message());
                    if (cause.field() != null) {
                        written.put("field", cause.field());
                    }
                }
            }
            if (status.retryAfterSeconds() != null) {
                details.put("retryAfterSeconds", status.retryAfterSeconds());
            }
        }
        body.put("code", status.code());
        return body;
    }

    static ObjectNode success(String name, String group, String kind, String uid) {
        ObjectNode body = Json.object().put("kind", "Status").put("apiVersion", "v1");
        body.putObject("metadata");
        body.put("status", "Success");
        ObjectNode details = body.putObject("details").put("name", name);
        if (!group.isEmpty()) {
            details.put("group", group);
        }
        details.put("kind", kind);
        if (uid != null) {
            details.put("uid", uid);
        }
        return body;
    }
}
