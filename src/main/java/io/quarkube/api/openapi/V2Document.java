package io.quarkube.api.openapi;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkube.api.openapi.ApiOperation.Body;
import io.quarkube.api.openapi.ApiOperation.QueryParameter;

/**
 * Writes the Swagger 2.0 document of every group-version, as served at {@code /openapi/v2}.
 * Refs stay plain {@code $ref}s: kubectl 1.27 apply panics on {@code allOf:[{$ref}]}.
 */
final class V2Document {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private V2Document() {
    }

    static ObjectNode write(List<ApiPath> paths, Map<String, ObjectNode> schemas) {
        ObjectNode document = JSON.objectNode().put("swagger", "2.0");
        document.putObject("info").put("title", "Kubernetes").put("version", "unversioned");
        ObjectNode pathsNode = document.putObject("paths");
        for (ApiPath path : paths) {
            pathsNode.set(path.path(), pathItem(path));
        }
        ObjectNode definitions = SchemaRefs.closure(pathsNode, schemas);
        document.set("paths", SchemaRefs.toV2(pathsNode));
        document.set("definitions", SchemaRefs.toV2(definitions));
        document.putObject("securityDefinitions").putObject("BearerToken")
                .put("type", "apiKey").put("name", "authorization").put("in", "header");
        document.putArray("security").addObject().putArray("BearerToken");
        return document;
    }

    private static ObjectNode pathItem(ApiPath path) {
        ObjectNode item = JSON.objectNode();
        for (ApiOperation operation : path.operations()) {
            item.set(operation.method(), operation(operation));
        }
        ArrayNode parameters = item.putArray("parameters");
        for (String name : path.pathParameters()) {
            parameters.addObject().put("name", name).put("in", "path").put("required", true)
                    .put("type", "string").put("uniqueItems", true);
        }
        parameters.addObject().put("name", "pretty").put("in", "query").put("type", "string").put("uniqueItems", true);
        return item;
    }

    private static ObjectNode operation(ApiOperation operation) {
        ObjectNode node = JSON.objectNode();
        if (operation.body().kind() != Body.Kind.NONE) {
            strings(node.putArray("consumes"), operation.consumes());
        }
        strings(node.putArray("produces"), operation.produces());
        node.putArray("schemes").add("https");
        node.put("operationId", operation.operationId());
        ArrayNode parameters = node.putArray("parameters");
        if (operation.body().kind() != Body.Kind.NONE) {
            ObjectNode body = parameters.addObject().put("name", "body").put("in", "body");
            if (operation.body().kind() != Body.Kind.OPTIONAL) {
                body.put("required", true);
            }
            body.set("schema", ModelSchemas.ref(operation.body().schema()));
        }
        for (QueryParameter parameter : operation.query()) {
            parameters.addObject().put("name", parameter.name()).put("in", "query")
                    .put("type", parameter.type()).put("uniqueItems", true);
        }
        ObjectNode responses = node.putObject("responses");
        for (String code : operation.responseCodes()) {
            responses.putObject(code).put("description", Responses.description(code))
                    .set("schema", ModelSchemas.ref(operation.responseSchema()));
        }
        node.put("x-kubernetes-action", operation.action());
        operation.groupVersionKind().ifPresent(gvk -> node.set("x-kubernetes-group-version-kind", gvk.deepCopy()));
        return node;
    }

    private static void strings(ArrayNode array, List<String> values) {
        values.forEach(array::add);
    }
}
