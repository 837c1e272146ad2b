package io.quarkube.api.patch;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.type.TypeFactory;

/**
 * The Java types behind the JSON fields of the Fabric8 model, found the way Jackson binds them
 * ({@code @JsonProperty} names, {@code List<X>} and {@code Map<String, X>} element types), so strategic
 * merge patch knows which class owns each nested field. Unknown fields have the type {@link Object},
 * under which every map merges and every list is replaced.
 */
final class ModelSchema {

    static final JavaType UNKNOWN = TypeFactory.defaultInstance().constructType(Object.class);

    /** Used only to introspect classes; it never reads or writes JSON. */
    private static final ObjectMapper INTROSPECTOR = new ObjectMapper();

    private static final Map<JavaType, Map<String, JavaType>> FIELDS = new ConcurrentHashMap<>();

    private ModelSchema() {
    }

    static JavaType of(Class<?> modelClass) {
        return modelClass == null ? UNKNOWN : TypeFactory.defaultInstance().constructType(modelClass);
    }

    /** The type of {@code jsonField} inside a value of type {@code owner}; for maps, the value type. */
    static JavaType field(JavaType owner, String jsonField) {
        if (owner.isMapLikeType()) {
            return owner.getContentType();
        }
        if (!isBean(owner)) {
            return UNKNOWN;
        }
        return FIELDS.computeIfAbsent(owner, ModelSchema::introspect).getOrDefault(jsonField, UNKNOWN);
    }

    /** The element type of a list-typed value, or {@link #UNKNOWN}. */
    static JavaType element(JavaType listType) {
        return listType.isCollectionLikeType() || listType.isArrayType() ? listType.getContentType() : UNKNOWN;
    }

    /** The patch strategy of {@code jsonField} when {@code owner} is a model class. */
    static Optional<PatchMetadata.FieldPatchStrategy> strategy(JavaType owner, String jsonField) {
        return isBean(owner) ? PatchMetadata.strategy(owner.getRawClass(), jsonField) : Optional.empty();
    }

    private static boolean isBean(JavaType type) {
        return !type.isContainerType() && !type.isPrimitive() && !type.isJavaLangObject()
                && !type.getRawClass().getName().startsWith("java.");
    }

    private static Map<String, JavaType> introspect(JavaType type) {
        BeanDescription description = INTROSPECTOR.getDeserializationConfig().introspect(type);
        return description.findProperties().stream()
                .collect(Collectors.toMap(BeanPropertyDefinition::getName, BeanPropertyDefinition::getPrimaryType, (a, b) -> a));
    }
}
