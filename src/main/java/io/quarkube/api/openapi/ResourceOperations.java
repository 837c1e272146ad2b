package io.quarkube.api.openapi;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.fabric8.kubernetes.api.model.Binding;
import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.autoscaling.v1.Scale;
import io.quarkube.api.openapi.ApiOperation.Body;
import io.quarkube.api.openapi.ApiOperation.QueryParameter;
import io.quarkube.registry.ResourceType;

/** The paths and operations kube-apiserver documents for one resource and its subresources. */
final class ResourceOperations {

    private static final List<QueryParameter> WRITE = List.of(
            string("dryRun"), string("fieldManager"), string("fieldValidation"));
    /** As kube-apiserver documents them, less {@code force}, which only server-side apply (not served) takes. */
    private static final List<QueryParameter> PATCH = WRITE;
    private static final List<QueryParameter> DELETE = List.of(
            string("dryRun"), integer("gracePeriodSeconds"), bool("orphanDependents"), string("propagationPolicy"));
    private static final List<QueryParameter> LIST_SELECTION = List.of(
            string("continue"), string("fieldSelector"), string("labelSelector"), integer("limit"),
            string("resourceVersion"), string("resourceVersionMatch"), bool("sendInitialEvents"),
            integer("timeoutSeconds"));
    private static final List<QueryParameter> LIST = Stream.concat(
            Stream.of(bool("allowWatchBookmarks")),
            Stream.concat(LIST_SELECTION.stream(), Stream.of(bool("watch")))).toList();
    private static final List<QueryParameter> DELETE_COLLECTION = Stream.concat(
            DELETE.stream(), LIST_SELECTION.stream()).toList();
    private static final List<String> OK = List.of("200");

    private final ResourceType type;
    private final ModelSchemas schemas;
    private final String kindSchema;
    private final ObjectNode gvk;
    private final String idScope;

    private ResourceOperations(ResourceType type, ModelSchemas schemas) {
        this.type = type;
        this.schemas = schemas;
        this.kindSchema = schemas.register(type.modelClass());
        this.gvk = ModelSchemas.gvk(type.group(), type.version(), type.kind());
        this.idScope = groupVersionId(type.group(), type.version()) + (type.namespaced() ? "Namespaced" : "");
    }

    static List<ApiPath> of(ResourceType type, ModelSchemas schemas) {
        return new ResourceOperations(type, schemas).paths();
    }

    /** "CoreV1", "AppsV1", "RbacAuthorizationV1": the group-version part of operation ids. */
    static String groupVersionId(String group, String version) {
        String groupId = group.isEmpty() ? "Core" : Stream.of(group.replace(".k8s.io", "").split("\\."))
                .map(ResourceOperations::capitalize).reduce("", String::concat);
        return groupId + capitalize(version);
    }

    /** "/api/v1" or "/apis/apps/v1". */
    static String prefix(String group, String version) {
        return group.isEmpty() ? "/api/" + version : "/apis/" + group + "/" + version;
    }

    private List<ApiPath> paths() {
        String prefix = prefix(type.group(), type.version());
        String scope = type.namespaced() ? "/namespaces/{namespace}" : "";
        String collection = prefix + scope + "/" + type.plural();
        String item = collection + "/{name}";
        String watchCollection = prefix + "/watch" + scope + "/" + type.plural();
        String listSchema = schemas.register(listClass());
        String kind = type.kind();

        List<ApiPath> paths = new ArrayList<>();
        paths.add(new ApiPath(collection, List.of(
                op("get", "list", "list" + idScope + kind, LIST, Body.NONE, listSchema, OK),
                op("post", "post", "create" + idScope + kind, WRITE, Body.required(kindSchema), kindSchema,
                        List.of("200", "201", "202")),
                op("delete", "deletecollection", "delete" + groupVersionId() + "Collection" + scopeWord() + kind,
                        DELETE_COLLECTION, Body.optional(SchemaNames.DELETE_OPTIONS), SchemaNames.STATUS, OK))));
        paths.add(new ApiPath(item, List.of(
                op("get", "get", "read" + idScope + kind, List.of(), Body.NONE, kindSchema, OK),
                op("put", "put", "replace" + idScope + kind, WRITE, Body.required(kindSchema), kindSchema,
                        List.of("200", "201")),
                op("patch", "patch", "patch" + idScope + kind, PATCH, Body.patch(), kindSchema, List.of("200", "201")),
                op("delete", "delete", "delete" + idScope + kind, DELETE, Body.optional(SchemaNames.DELETE_OPTIONS),
                        SchemaNames.STATUS, List.of("200", "202")))));
        paths.addAll(subresourcePaths(item));
        paths.add(new ApiPath(watchCollection, List.of(
                op("get", "watchlist", "watch" + idScope + kind + "List", LIST, Body.NONE, SchemaNames.WATCH_EVENT, OK))));
        paths.add(new ApiPath(watchCollection + "/{name}", List.of(
                op("get", "watch", "watch" + idScope + kind, LIST, Body.NONE, SchemaNames.WATCH_EVENT, OK))));
        if (type.namespaced()) {
            paths.add(new ApiPath(prefix + "/" + type.plural(), List.of(
                    op("get", "list", "list" + groupVersionId() + kind + "ForAllNamespaces", LIST, Body.NONE,
                            listSchema, OK))));
            paths.add(new ApiPath(prefix + "/watch/" + type.plural(), List.of(
                    op("get", "watchlist", "watch" + groupVersionId() + kind + "ListForAllNamespaces", LIST,
                            Body.NONE, SchemaNames.WATCH_EVENT, OK))));
        }
        return paths;
    }

    private List<ApiPath> subresourcePaths(String item) {
        List<ApiPath> paths = new ArrayList<>();
        for (String subresource : type.subresources()) {
            switch (subresource) {
                case "status" -> paths.add(readReplacePatch(item + "/status", "Status", kindSchema, gvk));
                case "scale" -> paths.add(readReplacePatch(item + "/scale", "Scale", schemas.register(Scale.class),
                        ModelSchemas.gvk("autoscaling", "v1", "Scale")));
                case "binding" -> {
                    String binding = schemas.register(Binding.class);
                    paths.add(new ApiPath(item + "/binding", List.of(new ApiOperation("post", "post",
                            "create" + idScope + type.kind() + "Binding", Optional.of(ModelSchemas.gvk("", "v1", "Binding")),
                            WRITE, Body.required(binding), binding, List.of("200", "201", "202")))));
                }
                case "token" -> {
                    String tokenRequest = schemas.register(TokenRequest.class);
                    paths.add(new ApiPath(item + "/token", List.of(new ApiOperation("post", "post",
                            "create" + idScope + type.kind() + "Token", Optional.of(ModelSchemas.gvk("authentication.k8s.io", "v1", "TokenRequest")),
                            WRITE, Body.required(tokenRequest), tokenRequest, List.of("200", "201", "202")))));
                }
                case "finalize" -> paths.add(new ApiPath(item + "/finalize", List.of(
                        op("put", "put", "replace" + idScope + type.kind() + "Finalize", WRITE,
                                Body.required(kindSchema), kindSchema, List.of("200", "201")))));
                default -> {
                    // Streaming subresources (log, exec, ...) are not part of the catalog's list.
                }
            }
        }
        return paths;
    }

    private ApiPath readReplacePatch(String path, String suffix, String schema, ObjectNode subresourceGvk) {
        String name = idScope + type.kind() + suffix;
        Optional<ObjectNode> gvkOfPath = Optional.of(subresourceGvk);
        return new ApiPath(path, List.of(
                new ApiOperation("get", "get", "read" + name, gvkOfPath, List.of(), Body.NONE, schema, OK),
                new ApiOperation("put", "put", "replace" + name, gvkOfPath, WRITE, Body.required(schema), schema,
                        List.of("200", "201")),
                new ApiOperation("patch", "patch", "patch" + name, gvkOfPath, PATCH, Body.patch(), schema,
                        List.of("200", "201"))));
    }

    private ApiOperation op(String method, String action, String id, List<QueryParameter> query, Body body,
            String response, List<String> codes) {
        return new ApiOperation(method, action, id, Optional.of(gvk), query, body, response, codes);
    }

    private String groupVersionId() {
        return groupVersionId(type.group(), type.version());
    }

    private String scopeWord() {
        return type.namespaced() ? "Namespaced" : "";
    }

    private Class<?> listClass() {
        String name = type.modelClass().getName() + "List";
        try {
            return Class.forName(name, false, type.modelClass().getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("Fabric8 has no list class " + name, e);
        }
    }

    private static String capitalize(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    private static QueryParameter string(String name) {
        return new QueryParameter(name, "string");
    }

    private static QueryParameter integer(String name) {
        return new QueryParameter(name, "integer");
    }

    private static QueryParameter bool(String name) {
        return new QueryParameter(name, "boolean");
    }
}
