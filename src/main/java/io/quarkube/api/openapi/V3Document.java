package io.quarkube.api.openapi;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkube.api.openapi.ApiOperation.Body;
import io.quarkube.api.openapi.ApiOperation.QueryParameter;

/** Writes the OpenAPI 3.0 document of one group-version, as served at {@code /openapi/v3/apis/G/V}. */
final class V3Document {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private V3Document() {
    }

    static ObjectNode write(List<ApiPath> paths, Map<String, ObjectNode> schemas) {
        ObjectNode document = JSON.objectNode().put("openapi", "3.0.0");
        document.putObject("info").put("title", "Kubernetes").put("version", "unversioned");
        ObjectNode pathsNode = document.putObject("paths");
        for (ApiPath path : paths) {
            pathsNode.set(path.path(), pathItem(path));
        }
        ObjectNode components = document.putObject("components");
        components.set("schemas", SchemaRefs.closure(pathsNode, schemas));
        components.putObject("securitySchemes").putObject("BearerToken")
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
                    .putObject("schema").put("type", "string").put("uniqueItems", true);
        }
        parameters.addObject().put("name", "pretty").put("in", "query")
                .putObject("schema").put("type", "string").put("uniqueItems", true);
        return item;
    }

    private static ObjectNode operation(ApiOperation operation) {
        ObjectNode node = JSON.objectNode().put("operationId", operation.operationId());
        if (!operation.query().isEmpty()) {
            ArrayNode parameters = node.putArray("parameters");
            for (QueryParameter parameter : operation.query()) {
                parameters.addObject().put("name", parameter.name()).put("in", "query")
                        .putObject("schema").put("type", parameter.type()).put("uniqueItems", true);
            }
        }
        if (operation.body().kind() != Body.Kind.NONE) {
            ObjectNode requestBody = node.putObject("requestBody");
            requestBody.set("content", content(operation.consumes(), operation.body().schema()));
            if (operation.body().kind() != Body.Kind.OPTIONAL) {
                requestBody.put("required", true);
            }
        }
        ObjectNode responses = node.putObject("responses");
        for (String code : operation.responseCodes()) {
            responses.putObject(code).put("description", Responses.description(code))
                    .set("content", content(operation.produces(), operation.responseSchema()));
        }
        node.put("x-kubernetes-action", operation.action());
        operation.groupVersionKind().ifPresent(gvk -> node.set("x-kubernetes-group-version-kind", gvk.deepCopy()));
        return node;
    }

    private static ObjectNode content(List<String> mediaTypes, String schema) {
        ObjectNode content = JSON.objectNode();
        for (String mediaType : mediaTypes) {
            content.putObject(mediaType).set("schema", ModelSchemas.ref(schema));
        }
        return content;
    }
}
