package io.quarkube.api.openapi;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.fabric8.kubernetes.api.model.DeleteOptions;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.WatchEvent;
import io.quarkube.registry.ResourceCatalog;
import io.quarkube.registry.ResourceType;

/**
 * The OpenAPI documents quarkube serves, generated from the Fabric8 model classes of the kinds in
 * {@link ResourceCatalog}: {@code /openapi/v3} (root and one document per group-version) and
 * {@code /openapi/v2} (JSON and gnostic protobuf). Immutable and thread-safe. The v3 documents
 * are built by {@link #build()}; v2, which only kubectl 1.27 and 1.28 fetch, on its first request.
 */
public final class OpenApiDocuments {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, byte[]> v3ByPath;
    private final Map<String, String> v3HashByPath;
    private final ObjectNode v3Root;
    private final List<ApiPath> allPaths;
    private final Map<String, ObjectNode> allSchemas;
    private V2 v2;

    /** The two encodings of the one Swagger 2.0 document. */
    private record V2(byte[] json, byte[] protobuf) {
    }

    private OpenApiDocuments(Map<String, byte[]> v3ByPath, Map<String, String> v3HashByPath, ObjectNode v3Root,
            List<ApiPath> allPaths, Map<String, ObjectNode> allSchemas) {
        this.v3ByPath = v3ByPath;
        this.v3HashByPath = v3HashByPath;
        this.v3Root = v3Root;
        this.allPaths = allPaths;
        this.allSchemas = allSchemas;
    }

    public static OpenApiDocuments build() {
        ModelSchemas schemas = new ModelSchemas();
        // Answers and bodies every group-version refers to.
        schemas.register(Status.class);
        schemas.register(DeleteOptions.class);
        schemas.register(WatchEvent.class);
        schemas.register(io.fabric8.kubernetes.api.model.Patch.class);

        Map<String, List<ApiPath>> pathsByGroupVersion = new LinkedHashMap<>();
        List<ApiPath> allPaths = new ArrayList<>();
        for (ResourceType type : ResourceCatalog.all()) {
            List<ApiPath> paths = ResourceOperations.of(type, schemas);
            pathsByGroupVersion.computeIfAbsent(documentPath(type), k -> new ArrayList<>()).addAll(paths);
            allPaths.addAll(paths);
        }
        Map<String, ObjectNode> allSchemas = schemas.all();

        Map<String, byte[]> v3ByPath = new LinkedHashMap<>();
        Map<String, String> v3HashByPath = new LinkedHashMap<>();
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        ObjectNode rootPaths = root.putObject("paths");
        pathsByGroupVersion.forEach((path, paths) -> {
            byte[] document = bytes(V3Document.write(paths, allSchemas));
            String hash = sha512(document);
            v3ByPath.put(path, document);
            v3HashByPath.put(path, hash);
            rootPaths.putObject(path).put("serverRelativeURL", "/openapi/v3/" + path + "?hash=" + hash);
        });
        return new OpenApiDocuments(Map.copyOf(v3ByPath), Map.copyOf(v3HashByPath), root, List.copyOf(allPaths),
                Collections.unmodifiableMap(allSchemas));
    }

    /** The {@code /openapi/v3} discovery document: every group-version with its hashed URL. A copy. */
    public ObjectNode v3Root() {
        return v3Root.deepCopy();
    }

    /** The JSON document of "api/v1" or "apis/apps/v1"; empty for a group-version quarkube does not serve. */
    public Optional<byte[]> v3GroupVersion(String path) {
        return Optional.ofNullable(v3ByPath.get(path)).map(byte[]::clone);
    }

    /** The content hash of a group-version document (upper-case SHA-512 hex, like kube-apiserver); null if unknown. */
    public String v3Hash(String path) {
        return v3HashByPath.get(path);
    }

    /** {@code /openapi/v2} as JSON. */
    public byte[] v2Json() {
        return v2().json().clone();
    }

    /** {@code /openapi/v2} as the gnostic {@code openapi.v2.Document} protobuf. */
    public byte[] v2Protobuf() {
        return v2().protobuf().clone();
    }

    /** Built on first use; writing only reads the shared paths and schemas, which nothing mutates. */
    private synchronized V2 v2() {
        if (v2 == null) {
            ObjectNode document = V2Document.write(allPaths, allSchemas);
            v2 = new V2(bytes(document), GnosticV2Encoder.encode(document));
        }
        return v2;
    }

    /** "api/v1" or "apis/apps/v1". */
    static String documentPath(ResourceType type) {
        return ResourceOperations.prefix(type.group(), type.version()).substring(1);
    }

    private static byte[] bytes(ObjectNode document) {
        try {
            return JSON.writeValueAsBytes(document);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize an OpenAPI document", e);
        }
    }

    private static String sha512(byte[] content) {
        try {
            return HexFormat.of().withUpperCase().formatHex(MessageDigest.getInstance("SHA-512").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-512", e);
        }
    }
}
