package io.quarkube.api.openapi;

import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One REST operation as kube-apiserver documents it, independent of the OpenAPI version it is
 * written in.
 *
 * @param method         "get", "post", "put", "patch" or "delete"
 * @param action         the {@code x-kubernetes-action}: get, list, post, put, patch, delete, deletecollection, watch, watchlist
 * @param operationId    e.g. "patchAppsV1NamespacedDeployment"
 * @param groupVersionKind the {@code x-kubernetes-group-version-kind} object, absent for discovery
 * @param query          query parameters
 * @param body           what the request body carries
 * @param responseSchema schema name of the 2xx answers
 * @param responseCodes  the documented 2xx codes
 */
record ApiOperation(
        String method,
        String action,
        String operationId,
        Optional<ObjectNode> groupVersionKind,
        List<QueryParameter> query,
        Body body,
        String responseSchema,
        List<String> responseCodes) {

    /** A query parameter of a primitive type ("string", "integer", "boolean"). */
    record QueryParameter(String name, String type) {
    }

    /** The request body: none, an object of a schema, or a patch document. */
    record Body(Kind kind, String schema) {
        enum Kind { NONE, REQUIRED, OPTIONAL, PATCH }

        static final Body NONE = new Body(Kind.NONE, null);

        static Body required(String schema) {
            return new Body(Kind.REQUIRED, schema);
        }

        static Body optional(String schema) {
            return new Body(Kind.OPTIONAL, schema);
        }

        static Body patch() {
            return new Body(Kind.PATCH, SchemaNames.PATCH);
        }
    }

    /** The patch types served; server-side apply (application/apply-patch+yaml) is refused with 415, so not listed. */
    static final List<String> PATCH_MEDIA_TYPES = List.of(
            "application/json-patch+json", "application/merge-patch+json", "application/strategic-merge-patch+json");

    static final List<String> OBJECT_MEDIA_TYPES = List.of(
            "application/json", "application/yaml", "application/vnd.kubernetes.protobuf");

    static final List<String> STREAM_MEDIA_TYPES = List.of(
            "application/json", "application/yaml", "application/vnd.kubernetes.protobuf",
            "application/json;stream=watch", "application/vnd.kubernetes.protobuf;stream=watch");

    /** Media types the answer comes in: lists and watches may stream. */
    List<String> produces() {
        return action.startsWith("watch") || action.equals("list") ? STREAM_MEDIA_TYPES : OBJECT_MEDIA_TYPES;
    }

    /** Media types the request body may come in. */
    List<String> consumes() {
        return body.kind() == Body.Kind.PATCH ? PATCH_MEDIA_TYPES : List.of("*/*");
    }
}
