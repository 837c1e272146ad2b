package io.quarkube.api.patch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JavaType;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;

class ModelSchemaTest {

    static Stream<Arguments> paths() {
        return Stream.of(
                argumentSet("a nested object", Pod.class, new String[] {"spec"}, PodSpec.class),
                argumentSet("the element of a list", Pod.class, new String[] {"spec", "containers", "[]"}, Container.class),
                argumentSet("a deployment's pod template", Deployment.class, new String[] {"spec", "template", "spec"}, PodSpec.class),
                argumentSet("the value of a map", Container.class, new String[] {"resources", "limits", "cpu"}, Quantity.class),
                argumentSet("metadata", Deployment.class, new String[] {"metadata"}, ObjectMeta.class),
                argumentSet("a field the model does not have", Pod.class, new String[] {"bogus"}, Object.class),
                argumentSet("fields under an unknown type", Pod.class, new String[] {"bogus", "deeper"}, Object.class));
    }

    @ParameterizedTest
    @MethodSource("paths")
    void findsFieldTypesLikeJacksonBindsThem(Class<?> root, String[] path, Class<?> expected) {
        JavaType type = ModelSchema.of(root);
        for (String step : path) {
            type = step.equals("[]") ? ModelSchema.element(type) : ModelSchema.field(type, step);
        }
        assertEquals(expected, type.getRawClass());
    }

}
