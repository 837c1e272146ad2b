package io.quarkube.registry;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.fabric8.kubernetes.api.model.IntOrString;
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

    /** Removes unknown fields from object (in place) and returns their paths, e.g. "spec.foo". */
    public static List<String> prune(ObjectNode object, Class<?> modelClass) {
        List<String> unknown = new ArrayList<>();
        walk(object, Json.MAPPER.constructType(modelClass), "", unknown);
        return unknown;
    }

    private static void walk(JsonNode node, JavaType type, String path, List<String> unknown) {
        if (node == null || node.isNull()) {
            return;
        }
        if (type.isContainerType()) {
            JavaType content = type.getContentType();
            if (type.isMapLikeType() && node.isObject()) {
                node.fields().forEachRemaining(e -> walk(e.getValue(), content, path + "[" + e.getKey() + "]", unknown));
            } else if (type.isCollectionLikeType() && node.isArray()) {
                for (int i = 0; i < node.size(); i++) {
                    walk(node.get(i), content, path + "[" + i + "]", unknown);
                }
            }
            return;
        }
        if (!(node instanceof ObjectNode object) || isLeaf(type.getRawClass())) {
            return;
        }
        Map<String, JavaType> properties = properties(type);
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext();) {
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
