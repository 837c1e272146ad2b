package io.quarkube.api.patch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.NodeSpec;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.ServiceSpec;
import io.fabric8.kubernetes.api.model.apps.DeploymentSpec;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.quarkube.api.patch.PatchMetadata.FieldPatchStrategy;

class PatchMetadataTest {

    static Stream<Arguments> fields() {
        return Stream.of(
                argumentSet("containers merge by name", PodSpec.class, "containers", Optional.of(new FieldPatchStrategy("merge", "name"))),
                argumentSet("volumes merge by name and retain keys", PodSpec.class, "volumes", Optional.of(new FieldPatchStrategy("merge,retainKeys", "name"))),
                argumentSet("container ports merge by containerPort", Container.class, "ports", Optional.of(new FieldPatchStrategy("merge", "containerPort"))),
                argumentSet("service ports merge by port", ServiceSpec.class, "ports", Optional.of(new FieldPatchStrategy("merge", "port"))),
                argumentSet("finalizers merge as primitives", ObjectMeta.class, "finalizers", Optional.of(new FieldPatchStrategy("merge", null))),
                argumentSet("deployment strategy retains keys", DeploymentSpec.class, "strategy", Optional.of(new FieldPatchStrategy("retainKeys", null))),
                argumentSet("deployment conditions merge by type", DeploymentStatus.class, "conditions", Optional.of(new FieldPatchStrategy("merge", "type"))),
                argumentSet("tolerations are replaced", PodSpec.class, "tolerations", Optional.empty()),
                argumentSet("taints are replaced", NodeSpec.class, "taints", Optional.empty()),
                argumentSet("an unknown class has no strategies", String.class, "containers", Optional.empty()));
    }

    @ParameterizedTest
    @MethodSource("fields")
    void knowsTheTagsOfTheGoTypes(Class<?> owner, String field, Optional<FieldPatchStrategy> expected) {
        assertEquals(expected, PatchMetadata.strategy(owner, field));
    }
}
