package io.quarkube.api;

import java.util.HashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkube.json.Json;
import io.quarkube.registry.StatusException;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/** {@code /version}, {@code /api}, {@code /apis} and the per-group documents. */
@ApplicationScoped
public class DiscoveryRoutes {

    /** The Kubernetes release whose API quarkube serves; kubectl's dispatcher picks its binary by this minor. */
    static final String MAJOR = "1";
    static final String MINOR = "33";
    static final String GIT_VERSION = "v1.33.0+quarkube";

    private final ObjectNode version = Json.object().put("major", MAJOR).put("minor", MINOR)
            .put("gitVersion", GIT_VERSION).put("gitCommit", "quarkube").put("gitTreeState", "clean")
            .put("buildDate", "2026-11-26T00:00:00Z").put("goVersion", "java" + Runtime.version().feature())
            .put("compiler", "quarkus").put("platform", "linux/amd64");

    void mount(Router router) {
        router.get("/version").handler(ctx -> Responses.object(ctx, 200, version));
        router.get("/api").handler(ctx -> discovery(ctx, true));
        router.get("/apis").handler(ctx -> discovery(ctx, false));
        router.get("/api/v1").handler(ctx -> Responses.object(ctx, 200, Discovery.resourceList("", "v1")));
        router.getWithRegex("/apis/([^/]+)/?").handler(ctx -> {
            String group = ctx.pathParam("param0");
            if (!Discovery.groups().contains(group)) {
                Responses.failure(ctx, StatusException.notFound("the server could not find the requested resource"));
                return;
            }
            Responses.object(ctx, 200, Discovery.group(group));
        });
        router.getWithRegex("/apis/([^/]+)/([^/]+)/?").handler(ctx -> {
            String group = ctx.pathParam("param0");
            String version = ctx.pathParam("param1");
            if (!Discovery.versions(group).contains(version)) {
                Responses.failure(ctx, StatusException.notFound("the server could not find the requested resource"));
                return;
            }
            Responses.object(ctx, 200, Discovery.resourceList(group, version));
        });
    }

    /** Aggregated discovery when the client asks for it (repeating its media type), else the legacy form. */
    private void discovery(RoutingContext ctx, boolean core) {
        String accept = ctx.request().getHeader("Accept");
        String aggregated = aggregatedType(accept);
        if (aggregated != null) {
            String apiVersion = aggregated.contains("v=v2beta1") ? "apidiscovery.k8s.io/v2beta1" : "apidiscovery.k8s.io/v2";
            ctx.response().putHeader("Vary", "Accept");
            Responses.raw(ctx, 200, aggregated, Json.bytes(Discovery.aggregated(core, apiVersion)));
            return;
        }
        String address = ctx.request().localAddress().host() + ":" + ctx.request().localAddress().port();
        Responses.object(ctx, 200, core ? Discovery.coreVersions(address) : Discovery.groupList());
    }

    /** The first aggregated media type in the Accept header, in the client's order of preference. */
    static String aggregatedType(String accept) {
        if (accept == null) {
            return null;
        }
        for (String part : accept.split(",")) {
            Map<String, String> parameters = new HashMap<>();
            String[] pieces = part.split(";");
            for (int i = 1; i < pieces.length; i++) {
                String[] pair = pieces[i].trim().split("=", 2);
                parameters.put(pair[0], pair.length > 1 ? pair[1] : "");
            }
            // Only the versions quarkube serves, and only as JSON; anything else falls to the next choice.
            if (pieces[0].trim().equals("application/json") && "APIGroupDiscoveryList".equals(parameters.get("as"))
                    && "apidiscovery.k8s.io".equals(parameters.get("g"))) {
                String version = parameters.get("v");
                if ("v2".equals(version)) {
                    return Discovery.AGGREGATED_V2;
                }
                if ("v2beta1".equals(version)) {
                    return Discovery.AGGREGATED_V2BETA1;
                }
            }
        }
        return null;
    }
}
