package io.quarkube.controllers.daemonset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TolerationBuilder;

class DaemonPlacementTest {

    private static Node node(Map<String, String> labels, Taint... taints) {
        return new NodeBuilder().withNewMetadata().withName("n1").withLabels(labels).endMetadata()
                .withNewSpec().withTaints(taints).endSpec().build();
    }

    private static Taint taint(String key, String effect) {
        return new Taint(effect, key, null, null);
    }

    private static PodTemplateSpec template(Map<String, String> nodeSelector) {
        return new PodTemplateSpecBuilder().withNewSpec().withNodeSelector(nodeSelector).addNewContainer().withName("c").endContainer()
                .endSpec().build();
    }

    private static PodTemplateSpec tolerating(String key, String effect) {
        PodTemplateSpec template = template(Map.of());
        template.getSpec().setTolerations(List.of(new TolerationBuilder().withKey(key).withOperator("Exists").withEffect(effect).build()));
        return template;
    }

    static Stream<Arguments> eligibility() {
        return Stream.of(
                argumentSet("any node", template(Map.of()), node(Map.of()), true, true),
                argumentSet("node selector matches", template(Map.of("role", "edge")), node(Map.of("role", "edge")), true, true),
                argumentSet("node selector differs", template(Map.of("role", "edge")), node(Map.of("role", "core")), false, false),
                argumentSet("NoSchedule taint: no new pod, the old may stay", template(Map.of()), node(Map.of(), taint("dedicated", "NoSchedule")),
                        false, true),
                argumentSet("NoExecute taint: neither", template(Map.of()), node(Map.of(), taint("dedicated", "NoExecute")), false, false),
                argumentSet("tolerated NoExecute taint", tolerating("dedicated", "NoExecute"), node(Map.of(), taint("dedicated", "NoExecute")),
                        true, true),
                argumentSet("PreferNoSchedule taint ignored", template(Map.of()), node(Map.of(), taint("dedicated", "PreferNoSchedule")), true, true),
                argumentSet("unschedulable tolerated by default", template(Map.of()),
                        node(Map.of(), taint("node.kubernetes.io/unschedulable", "NoSchedule")), true, true),
                argumentSet("not-ready NoExecute tolerated by default", template(Map.of()),
                        node(Map.of(), taint("node.kubernetes.io/not-ready", "NoExecute")), true, true),
                argumentSet("unreachable NoSchedule is not", template(Map.of()),
                        node(Map.of(), taint("node.kubernetes.io/unreachable", "NoSchedule")), false, true),
                argumentSet("memory-pressure tolerated by default", template(Map.of()),
                        node(Map.of(), taint("node.kubernetes.io/memory-pressure", "NoSchedule")), true, true));
    }

    @ParameterizedTest
    @MethodSource
    void eligibility(PodTemplateSpec template, Node node, boolean shouldRun, boolean mayStay) {
        assertEquals(shouldRun, DaemonPlacement.shouldRun(template, node));
        assertEquals(mayStay, DaemonPlacement.shouldContinueRunning(template, node));
    }

    static Stream<Arguments> maxUnavailable() {
        return Stream.of(
                argumentSet("default", null, 10, 1),
                argumentSet("number", new IntOrString(3), 10, 3),
                argumentSet("percent rounds up", new IntOrString("25%"), 10, 3),
                argumentSet("percent of none", new IntOrString("50%"), 0, 0));
    }

    @ParameterizedTest
    @MethodSource
    void maxUnavailable(IntOrString value, int desired, int expected) {
        assertEquals(expected, DaemonPlacement.maxUnavailable(value, desired));
    }

    @Test
    void podSpecIsPinnedToItsNodeAndTargetNodeReadsItBack() {
        PodTemplateSpec template = template(Map.of("role", "edge"));
        Pod pod = new Pod();
        pod.setSpec(DaemonPlacement.specFor(template, "n7"));
        assertEquals("n7", DaemonPlacement.targetNode(pod));
        assertEquals(null, template.getSpec().getAffinity(), "the template itself is left alone");
        pod.getSpec().setNodeName("n8");
        assertEquals("n8", DaemonPlacement.targetNode(pod));
    }

    @Test
    void templateHashChangesWithTheTemplateOnly() {
        PodTemplateSpec one = template(Map.of("role", "edge"));
        PodTemplateSpec same = template(Map.of("role", "edge"));
        PodTemplateSpec other = template(Map.of("role", "core"));
        assertEquals(DaemonPlacement.templateHash(one), DaemonPlacement.templateHash(same));
        assertNotEquals(DaemonPlacement.templateHash(one), DaemonPlacement.templateHash(other));
    }
}
