package io.quarkube.api;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkube.api.patch.PatchType;
import io.quarkube.api.patch.Patches;
import io.quarkube.api.table.IncludeObject;
import io.quarkube.api.table.TableConvertor;
import io.quarkube.json.Json;
import io.quarkube.registry.DeleteOptions;
import io.quarkube.registry.GenericStore;
import io.quarkube.registry.GenericStore.Part;
import io.quarkube.registry.ResourceService;
import io.quarkube.registry.ResourceType;
import io.quarkube.registry.StatusException;
import io.quarkube.registry.WriteOptions;
import io.quarkube.registry.WriteResult;
import io.quarkube.storage.ListResult;
import io.quarkube.storage.StorageException;
import io.quarkube.storage.StoredObject;
import io.quarkube.storage.WatchCache;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;

/**
 * The REST verbs on resources: get, list, watch, create, update, patch, delete and
 * deletecollection, with the status, scale, binding, eviction and token subresources. Handlers parse the request,
 * call the resource service and write the answer; they never validate objects themselves.
 */
@ApplicationScoped
public class ResourceRoutes {

    private static final long DEFAULT_WATCH_SECONDS = 1800;
    private static final long BOOKMARK_INTERVAL_MS = 60_000;

    @Inject
    ResourceService resources;
    @Inject
    WatchCache cache;
    @Inject
    io.vertx.core.Vertx vertx;

    /** Entry point for {@code /api/v1/...} (group "") and {@code /apis/G/V/...}. */
    void handle(RoutingContext ctx, String group, String version, String rest) {
        try {
            checkAcceptable(ctx.request().getHeader("Accept"));
            List<String> segments = Arrays.stream(rest.split("/")).filter(s -> !s.isEmpty()).toList();
            ApiPath path = ApiPath.parse(group, version, segments);
            dispatch(ctx, path).subscribe().with(ignored -> { }, failure -> Responses.failure(ctx, failure));
        } catch (RuntimeException e) {
            Responses.failure(ctx, e);
        }
    }

    private Uni<Void> dispatch(RoutingContext ctx, ApiPath path) {
        HttpMethod method = ctx.request().method();
        GenericStore store = resources.store(path.type());
        String sub = path.subresource();
        if (path.isCollection()) {
            if (method == HttpMethod.GET) {
                return isWatch(ctx) ? watch(ctx, store, path, "") : list(ctx, store, path);
            }
            if (method == HttpMethod.POST) {
                return create(ctx, store, path);
            }
            if (method == HttpMethod.DELETE) {
                return deleteCollection(ctx, store, path);
            }
            throw StatusException.methodNotAllowed();
        }
        if (sub.equals("scale")) {
            return ScaleSubresource.handle(ctx, store, path);
        }
        if (sub.equals("binding")) {
            if (method != HttpMethod.POST) {
                throw StatusException.methodNotAllowed();
            }
            return bind(ctx, store, path);
        }
        if (sub.equals("eviction")) {
            return EvictionSubresource.handle(ctx, resources.podEviction(), path);
        }
        if (sub.equals("token")) {
            return TokenRequestSubresource.handle(ctx, resources.serviceAccountTokens(), path);
        }
        Part part = switch (sub) {
            case "status" -> Part.STATUS;
            case "finalize" -> Part.FINALIZE;
            default -> Part.MAIN;
        };
        return switch (method.name()) {
            case "GET" -> isWatch(ctx) ? watch(ctx, store, path, path.name())
                    : store.get(path.namespace(), path.name()).invoke(object -> respondObject(ctx, path.type(), 200, object, List.of())).replaceWithVoid();
            case "PUT" -> update(ctx, store, path, part);
            case "PATCH" -> patch(ctx, store, path, part);
            case "DELETE" -> part == Part.MAIN ? delete(ctx, store, path) : Uni.createFrom().failure(StatusException.methodNotAllowed());
            default -> Uni.createFrom().failure(StatusException.methodNotAllowed());
        };
    }

    /** 406 when the client accepts none of the media types quarkube answers in (JSON, YAML, Tables as JSON). */
    static void checkAcceptable(String accept) {
        if (accept == null || accept.isBlank()) {
            return;
        }
        for (String range : accept.split(",")) {
            String type = range.split(";", 2)[0].trim().toLowerCase();
            if (List.of("*/*", "application/*", "application/json", "application/yaml").contains(type)) {
                return;
            }
        }
        throw new StatusException(406, "NotAcceptable", "only the following media types are accepted: "
                + "application/json, application/yaml, application/json;as=Table;v=v1;g=meta.k8s.io", null, null, null, null, null);
    }

    private static boolean isWatch(RoutingContext ctx) {
        return flag(ctx, "watch");
    }

    /**
     * A boolean query parameter read as kube-apiserver reads it (Go's strconv.ParseBool): the
     * Python client, for one, sends {@code watch=True}.
     */
    static boolean flag(RoutingContext ctx, String name) {
        return List.of("1", "t", "T", "true", "TRUE", "True").contains(param(ctx, name));
    }

    static WriteOptions writeOptions(RoutingContext ctx) {
        String dryRun = ctx.request().getParam("dryRun");
        if (dryRun != null && !dryRun.isEmpty() && !dryRun.equals("All")) {
            throw StatusException.badRequest("Invalid dryRun value: " + dryRun + ", only All is supported");
        }
        String validation = ctx.request().getParam("fieldValidation", "Warn");
        if (!List.of("Strict", "Warn", "Ignore").contains(validation)) {
            throw StatusException.badRequest("fieldValidation must be one of Ignore, Warn, Strict: " + validation);
        }
        return new WriteOptions("All".equals(dryRun), validation, ctx.request().getParam("fieldManager", ""));
    }

    // ---- reads -------------------------------------------------------------------------------

    private Uni<Void> list(RoutingContext ctx, GenericStore store, ApiPath path) {
        return store.list(path.namespace(), param(ctx, "resourceVersion"), param(ctx, "resourceVersionMatch"),
                limit(ctx), param(ctx, "continue"), param(ctx, "labelSelector"), param(ctx, "fieldSelector"))
                .invoke(result -> respondList(ctx, path.type(), result)).replaceWithVoid();
    }

    private static long limit(RoutingContext ctx) {
        String limit = param(ctx, "limit");
        try {
            return limit.isEmpty() ? 0 : Math.max(0, Long.parseLong(limit));
        } catch (NumberFormatException e) {
            throw StatusException.badRequest("invalid limit: " + limit);
        }
    }

    static String param(RoutingContext ctx, String name) {
        String value = ctx.request().getParam(name);
        return value == null ? "" : value;
    }

    private void respondList(RoutingContext ctx, ResourceType type, ListResult result) {
        List<ObjectNode> items = new ArrayList<>(result.items().size());
        for (StoredObject item : result.items()) {
            items.add(item.object());
        }
        IncludeObject table = tableRequest(ctx);
        if (table != null) {
            Responses.object(ctx, 200, TableConvertor.toTable(type, items, table, Instant.now(),
                    Long.toString(result.revision()), result.continueToken()));
            return;
        }
        ObjectNode list = Json.object().put("kind", type.listKind()).put("apiVersion", type.apiVersion());
        ObjectNode metadata = list.putObject("metadata").put("resourceVersion", Long.toString(result.revision()));
        if (!result.continueToken().isEmpty()) {
            metadata.put("continue", result.continueToken());
        }
        ArrayNode array = list.putArray("items");
        items.forEach(array::add);
        Responses.object(ctx, 200, list);
    }

    private void respondObject(RoutingContext ctx, ResourceType type, int code, ObjectNode object, List<String> warnings) {
        IncludeObject table = tableRequest(ctx);
        if (table != null) {
            Responses.object(ctx, code, TableConvertor.toTable(type, List.of(object), table, Instant.now(),
                    Json.text(object, "metadata", "resourceVersion"), null), warnings);
        } else {
            Responses.object(ctx, code, object, warnings);
        }
    }

    /** The Table form when the client's Accept asks for {@code as=Table}; null otherwise. */
    private static IncludeObject tableRequest(RoutingContext ctx) {
        String accept = ctx.request().getHeader("Accept");
        if (accept == null || !accept.contains("as=Table")) {
            return null;
        }
        try {
            return IncludeObject.parse(ctx.request().getParam("includeObject"));
        } catch (IllegalArgumentException e) {
            throw StatusException.badRequest(e.getMessage());
        }
    }

    // ---- watch -------------------------------------------------------------------------------

    private Uni<Void> watch(RoutingContext ctx, GenericStore store, ApiPath path, String name) {
        String fieldSelector = param(ctx, "fieldSelector");
        if (!name.isEmpty()) {
            fieldSelector = fieldSelector.isEmpty() ? "metadata.name=" + name : fieldSelector + ",metadata.name=" + name;
        }
        Predicate<ObjectNode> selects = store.selector(param(ctx, "labelSelector"), fieldSelector);
        String version = param(ctx, "resourceVersion");
        boolean sendInitial = flag(ctx, "sendInitialEvents");
        if (sendInitial && !"NotOlderThan".equals(param(ctx, "resourceVersionMatch"))) {
            throw StatusException.badRequest("sendInitialEvents requires resourceVersionMatch=NotOlderThan");
        }
        long from = 0;
        if (!version.isEmpty() && !version.equals("0")) {
            try {
                from = Long.parseLong(version);
            } catch (NumberFormatException e) {
                throw StatusException.badRequest("invalid resource version: " + version);
            }
        }
        boolean initialEvents = sendInitial || version.isEmpty() || version.equals("0");
        long timeoutSeconds = parseLong(param(ctx, "timeoutSeconds"), DEFAULT_WATCH_SECONDS);
        boolean bookmarks = flag(ctx, "allowWatchBookmarks");

        IncludeObject table = tableRequest(ctx);
        Uni<WatchTransport> transport;
        if ("websocket".equalsIgnoreCase(ctx.request().getHeader("Upgrade"))) {
            transport = Uni.createFrom().completionStage(ctx.request().toWebSocket().toCompletionStage())
                    .map(WatchTransport::of);
        } else {
            // setChunked frames HTTP/1.1; an explicit Transfer-Encoding header is forbidden on HTTP/2.
            ctx.response().setChunked(true).setStatusCode(200).putHeader("Content-Type", "application/json");
            ctx.response().write("");
            transport = Uni.createFrom().item(WatchTransport.of(ctx.response()));
        }
        long fromRevision = from;
        return transport.flatMap(sink -> {
            WatchStream stream = new WatchStream(sink, path.type(), store.storageResource(), store::toServed, path.namespace(),
                    selects, table);
            Uni<Long> started = sendInitial && fromRevision > 0
                    ? cache.awaitRevision(fromRevision).flatMap(ignored -> cache.watch(stream, 0, true))
                    : cache.watch(stream, fromRevision, initialEvents);
            return started.invoke(startRevision -> {
                if (sendInitial) {
                    stream.initialEventsEnd(startRevision);
                }
                long timeout = vertx.setTimer(Math.max(1, timeoutSeconds) * 1000, id -> stop(stream));
                long bookmarkTimer = bookmarks ? vertx.setPeriodic(BOOKMARK_INTERVAL_MS, id -> cache.bookmark(stream)) : -1;
                sink.onClosed(() -> {
                    stop(stream);
                    vertx.cancelTimer(timeout);
                    if (bookmarkTimer >= 0) {
                        vertx.cancelTimer(bookmarkTimer);
                    }
                });
            }).onFailure(StorageException.class).recoverWithItem(failure -> {
                // kube-apiserver reports an expired watch as an ERROR event, which clients answer by re-listing
                StorageException expired = (StorageException) failure;
                stream.write("ERROR", Responses.statusBody(StatusException.expired(expired.getMessage())));
                stream.close();
                return 0L;
            });
        }).replaceWithVoid();
    }

    private void stop(WatchStream stream) {
        cache.unwatch(stream);
        stream.close();
    }

    private static long parseLong(String value, long fallback) {
        try {
            return value.isEmpty() ? fallback : Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw StatusException.badRequest("invalid number: " + value);
        }
    }

    // ---- writes ------------------------------------------------------------------------------

    private Uni<Void> create(RoutingContext ctx, GenericStore store, ApiPath path) {
        WriteOptions options = writeOptions(ctx);
        ObjectNode body = RequestBodies.object(ctx);
        return store.create(path.namespace(), body, options)
                .invoke(result -> respondObject(ctx, path.type(), 201, result.object(), result.warnings())).replaceWithVoid();
    }

    private Uni<Void> update(RoutingContext ctx, GenericStore store, ApiPath path, Part part) {
        WriteOptions options = writeOptions(ctx);
        ObjectNode body = RequestBodies.object(ctx);
        return store.update(path.namespace(), path.name(), body, options, part)
                .invoke(result -> respondWrite(ctx, path, result)).replaceWithVoid();
    }

    private Uni<Void> patch(RoutingContext ctx, GenericStore store, ApiPath path, Part part) {
        WriteOptions options = writeOptions(ctx);
        String mediaType = RequestBodies.mediaType(ctx);
        PatchType type = PatchType.fromContentType(mediaType)
                .orElseThrow(() -> StatusException.unsupportedMediaType(mediaType));
        JsonNode patch = RequestBodies.tree(ctx, mediaType);
        if (type == PatchType.APPLY_PATCH) {
            throw new StatusException(415, "UnsupportedMediaType", "server-side apply is not supported yet; "
                    + "use client-side apply (kubectl apply without --server-side)", null, null, null, null, null);
        }
        Class<?> model = path.type().modelClass();
        return store.modify(path.namespace(), path.name(), options, part,
                current -> (ObjectNode) Patches.apply(type, current, patch, model))
                .invoke(result -> respondWrite(ctx, path, result)).replaceWithVoid();
    }

    private void respondWrite(RoutingContext ctx, ApiPath path, WriteResult result) {
        respondObject(ctx, path.type(), result.created() ? 201 : 200, result.object(), result.warnings());
    }

    private Uni<Void> bind(RoutingContext ctx, GenericStore store, ApiPath path) {
        WriteOptions options = writeOptions(ctx);
        ObjectNode binding = RequestBodies.object(ctx);
        String node = binding.path("target").path("name").asText("");
        if (node.isEmpty()) {
            throw StatusException.invalid(path.type(), path.name(), List.of(io.quarkube.registry.FieldError.required("target.name")));
        }
        return store.modify(path.namespace(), path.name(), options, Part.BINDING,
                pod -> {
                    Json.with(pod, "spec").put("nodeName", node);
                    return pod;
                })
                .invoke(bound -> Responses.object(ctx, 201, Responses.success(path.name(), "", "pods", null)))
                .replaceWithVoid();
    }

    private Uni<Void> delete(RoutingContext ctx, GenericStore store, ApiPath path) {
        DeleteOptions options = deleteOptions(ctx);
        return store.delete(path.namespace(), path.name(), options).invoke(result -> {
            if (result.pending() || path.type().groupResource().equals("pods")) {
                Responses.object(ctx, 200, result.object());
            } else {
                Responses.object(ctx, 200, Responses.success(path.name(), path.type().group(), path.type().plural(),
                        Json.text(result.object(), "metadata", "uid")));
            }
        }).replaceWithVoid();
    }

    private Uni<Void> deleteCollection(RoutingContext ctx, GenericStore store, ApiPath path) {
        return store.deleteCollection(path.namespace(), param(ctx, "labelSelector"), param(ctx, "fieldSelector"),
                deleteOptions(ctx)).invoke(deleted -> {
                    ObjectNode list = Json.object().put("kind", path.type().listKind()).put("apiVersion", path.type().apiVersion());
                    list.putObject("metadata");
                    ArrayNode items = list.putArray("items");
                    deleted.forEach(items::add);
                    Responses.object(ctx, 200, list);
                }).replaceWithVoid();
    }

    private static DeleteOptions deleteOptions(RoutingContext ctx) {
        JsonNode body = Json.object();
        if (ctx.body() != null && ctx.body().length() > 0) {
            body = RequestBodies.object(ctx);
        }
        return DeleteOptions.parse(body, name -> param(ctx, name));
    }
}
