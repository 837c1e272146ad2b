package io.quarkube.api;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkube.api.openapi.OpenApiDocuments;
import io.quarkube.registry.StatusException;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code /openapi/v3} (root and one document per group/version) and {@code /openapi/v2} (JSON, or
 * protobuf for kubectl 1.27 and 1.28), generated from the model classes once and then cached.
 */
@ApplicationScoped
public class OpenApiRoutes {

    private static final String V2_PROTOBUF = "application/com.github.proto-openapi.spec.v2";

    private volatile OpenApiDocuments documents;

    void mount(Router router) {
        router.get("/openapi/v3").handler(ctx -> blocking(ctx, () -> Responses.object(ctx, 200, documents().v3Root())));
        router.getWithRegex("/openapi/v3/(.+)").handler(ctx -> blocking(ctx, () -> {
            String path = ctx.pathParam("param0");
            byte[] document = documents().v3GroupVersion(path)
                    .orElseThrow(() -> StatusException.notFound("the server could not find the requested resource"));
            ctx.response().putHeader("Cache-Control", "public, immutable").putHeader("Etag", "\"" + documents().v3Hash(path) + "\"");
            Responses.raw(ctx, 200, "application/json", document);
        }));
        router.get("/openapi/v2").handler(ctx -> blocking(ctx, () -> {
            String accept = ctx.request().getHeader("Accept");
            if (accept != null && accept.contains(V2_PROTOBUF)) {
                // kubectl 1.27/1.28 failed to parse the answer under the long protobuf media type
                Responses.raw(ctx, 200, "application/octet-stream", documents().v2Protobuf());
            } else {
                Responses.raw(ctx, 200, "application/json", documents().v2Json());
            }
        }));
    }

    /** Builds on a worker thread: the first generation takes a few hundred milliseconds. */
    private void blocking(RoutingContext ctx, Runnable respond) {
        ctx.vertx().executeBlocking(() -> {
            respond.run();
            return null;
        }, false).onFailure(failure -> Responses.failure(ctx, failure));
    }

    OpenApiDocuments documents() {
        OpenApiDocuments built = documents;
        if (built == null) {
            synchronized (this) {
                if (documents == null) {
                    documents = OpenApiDocuments.build();
                }
                built = documents;
            }
        }
        return built;
    }
}
