package io.quarkube.api.openapi;

import java.math.BigDecimal;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Version;
import io.quarkube.api.patch.PatchMetadata;

/**
 * Collects the OpenAPI schemas of Fabric8 model classes, named as Kubernetes names them and
 * derived from their Jackson properties. Refs are written in OpenAPI v3 form
 * ({@code #/components/schemas/...}). Not thread-safe: used once while the documents are built.
 */
final class ModelSchemas {

    static final String V3_REF_PREFIX = "#/components/schemas/";

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    /** Schemas of types that are scalars on the wire though Fabric8 models them as classes. */
    private static final Map<String, ObjectNode> WIRE_SCALARS = Map.of(
            SchemaNames.QUANTITY, JSON.objectNode().put("type", "string"),
            SchemaNames.INT_OR_STRING, JSON.objectNode().put("type", "string").put("format", "int-or-string")
                    .put("x-kubernetes-int-or-string", true),
            SchemaNames.TIME, JSON.objectNode().put("type", "string").put("format", "date-time"),
            SchemaNames.MICRO_TIME, JSON.objectNode().put("type", "string").put("format", "date-time"),
            SchemaNames.RAW_EXTENSION, JSON.objectNode().put("type", "object"),
            SchemaNames.META + "FieldsV1", JSON.objectNode().put("type", "object"),
            SchemaNames.PATCH, JSON.objectNode().put("type", "object"));

    private final ObjectMapper mapper = new ObjectMapper();
    private final Map<String, ObjectNode> schemas = new LinkedHashMap<>();
    private final Deque<Class<?>> pending = new ArrayDeque<>();

    /** Registers the class (and, when {@link #all()} runs, everything it refers to); returns its schema name. */
    String register(Class<?> model) {
        String name = SchemaNames.of(model);
        if (!schemas.containsKey(name)) {
            schemas.put(name, null);
            pending.add(model);
        }
        return name;
    }

    /** Every registered schema by name, in registration order. */
    Map<String, ObjectNode> all() {
        while (!pending.isEmpty()) {
            Class<?> model = pending.poll();
            String name = SchemaNames.of(model);
            schemas.put(name, WIRE_SCALARS.containsKey(name) ? WIRE_SCALARS.get(name).deepCopy() : objectSchema(name, model));
        }
        return schemas;
    }

    static ObjectNode ref(String schemaName) {
        return JSON.objectNode().put("$ref", V3_REF_PREFIX + schemaName);
    }

    private ObjectNode objectSchema(String name, Class<?> model) {
        ObjectNode schema = JSON.objectNode().put("type", "object");
        ObjectNode properties = schema.putObject("properties");
        BeanDescription bean = mapper.getSerializationConfig().introspect(mapper.constructType(model));
        for (BeanPropertyDefinition property : bean.findProperties()) {
            // Fabric8 annotates every wire field; other getters are Java conveniences.
            if (property.isExplicitlyIncluded()) {
                properties.set(property.getName(),
                        propertySchema(model, name, property.getName(), property.getPrimaryType()));
            }
        }
        List<String> required = KubernetesSchemaFacts.required(name).stream().filter(properties::has).toList();
        if (!required.isEmpty()) {
            ArrayNode array = schema.putArray("required");
            required.forEach(array::add);
        }
        if (KubernetesSchemaFacts.isAtomicMap(name)) {
            schema.put("x-kubernetes-map-type", "atomic");
        }
        groupVersionKind(model).ifPresent(gvk -> schema.putArray("x-kubernetes-group-version-kind").add(gvk));
        return schema;
    }

    private ObjectNode propertySchema(Class<?> ownerClass, String owner, String field, JavaType type) {
        ObjectNode schema = typeSchema(owner, field, type);
        // Mostly lists, but struct fields may say retainKeys too (DeploymentSpec.strategy).
        PatchMetadata.strategy(ownerClass, field).ifPresent(strategy -> {
            if (strategy.mergeKey() != null) {
                schema.put("x-kubernetes-patch-merge-key", strategy.mergeKey());
            }
            schema.put("x-kubernetes-patch-strategy", strategy.strategy());
        });
        if (type.isCollectionLikeType() || type.isArrayType()) {
            KubernetesSchemaFacts.listType(owner, field).ifPresent(listType -> {
                if (!listType.mapKeys().isEmpty()) {
                    ArrayNode keys = schema.putArray("x-kubernetes-list-map-keys");
                    listType.mapKeys().forEach(keys::add);
                }
                schema.put("x-kubernetes-list-type", listType.type());
            });
        }
        return schema;
    }

    private ObjectNode typeSchema(String owner, String field, JavaType type) {
        Class<?> raw = type.getRawClass();
        if (type.isArrayType() && raw.getComponentType() == byte.class) {
            return JSON.objectNode().put("type", "string").put("format", "byte");
        }
        if (type.isCollectionLikeType() || type.isArrayType()) {
            ObjectNode array = JSON.objectNode().put("type", "array");
            array.set("items", typeSchema(owner, field, type.getContentType()));
            return array;
        }
        if (type.isMapLikeType()) {
            ObjectNode map = JSON.objectNode().put("type", "object");
            map.set("additionalProperties", typeSchema(owner, field, type.getContentType()));
            return map;
        }
        if (raw == String.class) {
            if (KubernetesSchemaFacts.isTime(owner, field)) {
                return reference(SchemaNames.TIME);
            }
            ObjectNode string = JSON.objectNode().put("type", "string");
            return KubernetesSchemaFacts.isBytes(owner, field) ? string.put("format", "byte") : string;
        }
        if (raw == Integer.class || raw == int.class || raw == Short.class || raw == short.class) {
            return JSON.objectNode().put("type", "integer").put("format", "int32");
        }
        if (raw == Long.class || raw == long.class) {
            return JSON.objectNode().put("type", "integer").put("format", "int64");
        }
        if (raw == Boolean.class || raw == boolean.class) {
            return JSON.objectNode().put("type", "boolean");
        }
        if (raw == Double.class || raw == double.class || raw == Float.class || raw == float.class
                || raw == BigDecimal.class) {
            return JSON.objectNode().put("type", "number").put("format", "double");
        }
        if (java.time.temporal.Temporal.class.isAssignableFrom(raw)) {
            // Fabric8 models the MicroTime fields of Lease as ZonedDateTime.
            return reference(SchemaNames.MICRO_TIME);
        }
        if (raw.isEnum()) {
            return JSON.objectNode().put("type", "string");
        }
        if (raw == Object.class || raw.isInterface()) {
            // Embedded objects of any kind (ControllerRevision.data, WatchEvent.object).
            return reference(SchemaNames.RAW_EXTENSION);
        }
        return ref(register(raw));
    }

    private ObjectNode reference(String wireScalarName) {
        schemas.putIfAbsent(wireScalarName, WIRE_SCALARS.get(wireScalarName).deepCopy());
        return ref(wireScalarName);
    }

    /** Kubernetes marks kinds, and only kinds, with their group, version and kind. */
    static Optional<ObjectNode> groupVersionKind(Class<?> model) {
        Version version = model.getAnnotation(Version.class);
        if (version == null || !KubernetesResource.class.isAssignableFrom(model)) {
            return Optional.empty();
        }
        Group group = model.getAnnotation(Group.class);
        Kind kind = model.getAnnotation(Kind.class);
        return Optional.of(gvk(group == null ? "" : group.value(), version.value(),
                kind == null ? model.getSimpleName() : kind.value()));
    }

    static ObjectNode gvk(String group, String version, String kind) {
        return JSON.objectNode().put("group", group).put("kind", kind).put("version", version);
    }
}
