package io.quarkube.registry;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.TemporalAccessor;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.MicroTime;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.Quantity;
import io.quarkube.json.Json;

/**
 * Finds and removes the fields of an object that its kind does not define, as kube-apiserver's
 * decoder drops them (and reports them under fieldValidation Warn or Strict). The schema is the
 * Fabric8 model class, read through Jackson's own view of its properties.
 */
public final class KnownFields {

    private static final Map<Class<?>, Map<String, JavaType>> PROPERTIES = new ConcurrentHashMap<>();

    private KnownFields() {
    }

    /**
     * Removes unknown fields from object (in place) and returns their paths, e.g. "spec.foo".
     * Fails with {@link FieldTypeMismatch} where a value has the wrong JSON type for its field, as
     * kube-apiserver's decoder does ("cannot unmarshal string into ... of type int32").
     */
    public static List<String> prune(ObjectNode object, Class<?> modelClass) {
        List<String> unknown = new ArrayList<>();
        walk(object, Json.MAPPER.constructType(modelClass), "", unknown);
        return unknown;
    }

    /** A value whose JSON type does not fit its field. */
    public static final class FieldTypeMismatch extends RuntimeException {
        FieldTypeMismatch(String path, JsonNode value, String expected) {
            super("json: cannot unmarshal " + jsonType(value) + " into Go struct field " + path + " of type " + expected,
                    null, false, false);
        }

        private static String jsonType(JsonNode value) {
            return value.isTextual() ? "string" : value.isNumber() ? "number" : value.isBoolean() ? "bool"
                    : value.isArray() ? "array" : "object";
        }
    }

    private static void walk(JsonNode node, JavaType type, String path, List<String> unknown) {
        if (node == null || node.isNull()) {
            return;
        }
        if (type.isContainerType()) {
            JavaType content = type.getContentType();
            if (type.isMapLikeType()) {
                require(node.isObject(), path, node, "map");
                node.fields().forEachRemaining(e -> walk(e.getValue(), content, path + "[" + e.getKey() + "]", unknown));
            } else if (type.isCollectionLikeType() || type.isArrayType()) {
                require(node.isArray(), path, node, "array");
                for (int i = 0; i < node.size(); i++) {
                    walk(node.get(i), content, path + "[" + i + "]", unknown);
                }
            }
            return;
        }
        Class<?> raw = type.getRawClass();
        if (checkScalar(node, raw, path)) {
            return;
        }
        if (isLeaf(raw)) {
            return;
        }
        require(node.isObject(), path, node, "object");
        Map<String, JavaType> properties = properties(type);
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> field = it.next();
            String fieldPath = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
            JavaType fieldType = properties.get(field.getKey());
            if (fieldType == null) {
                unknown.add(fieldPath);
                it.remove();
            } else {
                walk(field.getValue(), fieldType, fieldPath, unknown);
            }
        }
    }

    /** Checks a scalar field's value; false when the type is not a scalar. */
    private static boolean checkScalar(JsonNode node, Class<?> raw, String path) {
        if (raw == String.class) {
            require(node.isTextual(), path, node, "string");
        } else if (raw == Integer.class || raw == int.class || raw == Long.class || raw == long.class) {
            require(node.isIntegralNumber(), path, node, raw == Integer.class || raw == int.class ? "int32" : "int64");
        } else if (raw == Boolean.class || raw == boolean.class) {
            require(node.isBoolean(), path, node, "bool");
        } else if (raw == Double.class || raw == double.class || raw == Float.class || raw == float.class) {
            require(node.isNumber(), path, node, "float64");
        } else if (raw == IntOrString.class) {
            require(node.isIntegralNumber() || node.isTextual(), path, node, "intstr.IntOrString");
        } else if (raw == Quantity.class) {
            require(node.isTextual() || node.isNumber(), path, node, "resource.Quantity");
        } else if (TemporalAccessor.class.isAssignableFrom(raw)) {
            require(node.isTextual() && parsesAsTime(node.asText()), path, node, "metav1.Time");
        } else if (raw == MicroTime.class) {
            // an object in the Fabric8 model, an RFC 3339 string with microseconds on the wire
            require(node.isTextual() && parsesAsTime(node.asText()), path, node, "metav1.MicroTime");
        } else {
            return false;
        }
        return true;
    }

    private static boolean parsesAsTime(String text) {
        try {
            DateTimeFormatter.ISO_OFFSET_DATE_TIME.parse(text);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    private static void require(boolean fits, String path, JsonNode value, String expected) {
        if (!fits) {
            throw new FieldTypeMismatch(path, value, expected);
        }
    }

    /** Types whose JSON is free-form or scalar: nothing inside them is checked. */
    private static boolean isLeaf(Class<?> raw) {
        return raw == Object.class || raw == IntOrString.class || raw == Quantity.class || raw.isInterface()
                || raw == KubernetesResource.class || !raw.getName().startsWith("io.fabric8.kubernetes.api.model")
                || raw.getSimpleName().equals("RawExtension") || raw.getSimpleName().equals("FieldsV1")
                || raw.getSimpleName().equals("JSONSchemaPropsOrBool");
    }

    private static Map<String, JavaType> properties(JavaType type) {
        return PROPERTIES.computeIfAbsent(type.getRawClass(), raw -> {
            BeanDescription description = Json.MAPPER.getDeserializationConfig().introspect(type);
            Map<String, JavaType> properties = new LinkedHashMap<>();
            for (BeanPropertyDefinition property : description.findProperties()) {
                if (property.hasSetter() || property.hasField() || property.hasConstructorParameter()) {
                    properties.put(property.getName(), property.getPrimaryType());
                }
            }
            return properties;
        });
    }
}
