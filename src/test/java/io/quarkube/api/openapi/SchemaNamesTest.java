package io.quarkube.api.openapi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SchemaNamesTest {

    static Stream<Arguments> names() {
        return Stream.of(
                Arguments.argumentSet("core kind", io.fabric8.kubernetes.api.model.Pod.class, "io.k8s.api.core.v1.Pod"),
                Arguments.argumentSet("meta type beside core", io.fabric8.kubernetes.api.model.ObjectMeta.class,
                        "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"),
                Arguments.argumentSet("meta condition", io.fabric8.kubernetes.api.model.Condition.class,
                        "io.k8s.apimachinery.pkg.apis.meta.v1.Condition"),
                Arguments.argumentSet("quantity", io.fabric8.kubernetes.api.model.Quantity.class,
                        "io.k8s.apimachinery.pkg.api.resource.Quantity"),
                Arguments.argumentSet("int or string", io.fabric8.kubernetes.api.model.IntOrString.class,
                        "io.k8s.apimachinery.pkg.util.intstr.IntOrString"),
                Arguments.argumentSet("raw extension", io.fabric8.kubernetes.api.model.runtime.RawExtension.class,
                        "io.k8s.apimachinery.pkg.runtime.RawExtension"),
                Arguments.argumentSet("apps without version package", io.fabric8.kubernetes.api.model.apps.DeploymentSpec.class,
                        "io.k8s.api.apps.v1.DeploymentSpec"),
                Arguments.argumentSet("rbac without version package", io.fabric8.kubernetes.api.model.rbac.PolicyRule.class,
                        "io.k8s.api.rbac.v1.PolicyRule"),
                Arguments.argumentSet("versioned package", io.fabric8.kubernetes.api.model.batch.v1.CronJob.class,
                        "io.k8s.api.batch.v1.CronJob"),
                Arguments.argumentSet("autoscaling v1 scale", io.fabric8.kubernetes.api.model.autoscaling.v1.Scale.class,
                        "io.k8s.api.autoscaling.v1.Scale"),
                Arguments.argumentSet("events v1 beside core event", io.fabric8.kubernetes.api.model.events.v1.Event.class,
                        "io.k8s.api.events.v1.Event"));
    }

    @ParameterizedTest
    @MethodSource("names")
    void namesTheClassAsKubernetesDoes(Class<?> model, String expected) {
        assertEquals(expected, SchemaNames.of(model));
    }
}
