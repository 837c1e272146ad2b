package io.quarkube.controllers.daemonset;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAffinity;
import io.fabric8.kubernetes.api.model.NodeSelector;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirementBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorTermBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.quarkube.json.Json;
import io.quarkube.scheduler.framework.NodeSelectors;
import io.quarkube.scheduler.framework.Taints;

/**
 * Where a DaemonSet's pods belong, as kube's daemon controller decides: a node is eligible when
 * it satisfies the template's nodeSelector and required node affinity and every NoSchedule and
 * NoExecute taint is tolerated (by the template's tolerations plus those kube adds to every
 * daemon pod); a pod already there may keep running as long as its NoExecute taints are
 * tolerated. Pure functions.
 */
final class DaemonPlacement {

    static final String REVISION_HASH = "controller-revision-hash";
    private static final String ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

    private DaemonPlacement() {
    }

    /** The tolerations kube's daemon controller adds to every daemon pod (network-unavailable only with hostNetwork). */
    static List<Toleration> defaultTolerations(PodSpec spec) {
        List<Toleration> tolerations = new ArrayList<>();
        tolerations.add(exists("node.kubernetes.io/not-ready", "NoExecute"));
        tolerations.add(exists("node.kubernetes.io/unreachable", "NoExecute"));
        tolerations.add(exists("node.kubernetes.io/disk-pressure", "NoSchedule"));
        tolerations.add(exists("node.kubernetes.io/memory-pressure", "NoSchedule"));
        tolerations.add(exists("node.kubernetes.io/pid-pressure", "NoSchedule"));
        tolerations.add(exists("node.kubernetes.io/unschedulable", "NoSchedule"));
        if (Boolean.TRUE.equals(spec.getHostNetwork())) {
            tolerations.add(exists("node.kubernetes.io/network-unavailable", "NoSchedule"));
        }
        return tolerations;
    }

    private static Toleration exists(String key, String effect) {
        return new TolerationBuilder().withKey(key).withOperator("Exists").withEffect(effect).build();
    }

    /** The template's tolerations with the defaults added where the template has no toleration of the same key and effect. */
    static List<Toleration> withDefaultTolerations(PodSpec spec) {
        List<Toleration> tolerations = new ArrayList<>(Objects.requireNonNullElse(spec.getTolerations(), List.of()));
        for (Toleration extra : defaultTolerations(spec)) {
            boolean present = tolerations.stream().anyMatch(t -> Objects.equals(t.getKey(), extra.getKey())
                    && Objects.equals(t.getEffect(), extra.getEffect()));
            if (!present) {
                tolerations.add(extra);
            }
        }
        return tolerations;
    }

    /** A daemon pod should be created on the node. */
    static boolean shouldRun(PodTemplateSpec template, Node node) {
        return fits(template, node, taint -> "NoSchedule".equals(taint.getEffect()) || "NoExecute".equals(taint.getEffect()));
    }

    /** A daemon pod already on the node may stay. */
    static boolean shouldContinueRunning(PodTemplateSpec template, Node node) {
        return fits(template, node, taint -> "NoExecute".equals(taint.getEffect()));
    }

    private static boolean fits(PodTemplateSpec template, Node node, java.util.function.Predicate<Taint> considered) {
        Pod probe = new Pod();
        probe.setSpec(template.getSpec());
        if (!NodeSelectors.podMatchesNode(probe, node)) {
            return false;
        }
        List<Taint> taints = node.getSpec() == null ? null : node.getSpec().getTaints();
        return Taints.firstUntolerated(taints, withDefaultTolerations(template.getSpec()), considered) == null;
    }

    /**
     * The pod's spec for a node: a copy of the template's with the default tolerations and the
     * required node affinity replaced by one term matching the node's name, as kube does, so the
     * scheduler places it there.
     */
    static PodSpec specFor(PodTemplateSpec template, String nodeName) {
        PodSpec spec = Json.MAPPER.convertValue(Json.MAPPER.valueToTree(template.getSpec()), PodSpec.class);
        spec.setTolerations(withDefaultTolerations(spec));
        Affinity affinity = spec.getAffinity() == null ? new Affinity() : spec.getAffinity();
        NodeAffinity nodeAffinity = affinity.getNodeAffinity() == null ? new NodeAffinity() : affinity.getNodeAffinity();
        nodeAffinity.setRequiredDuringSchedulingIgnoredDuringExecution(new NodeSelector(List.of(new NodeSelectorTermBuilder()
                .withMatchFields(new NodeSelectorRequirementBuilder().withKey("metadata.name").withOperator("In").withValues(nodeName).build())
                .build())));
        affinity.setNodeAffinity(nodeAffinity);
        spec.setAffinity(affinity);
        return spec;
    }

    /** The node a daemon pod is for: spec.nodeName once bound, else the name its node affinity asks for. */
    static String targetNode(Pod pod) {
        if (pod.getSpec().getNodeName() != null && !pod.getSpec().getNodeName().isEmpty()) {
            return pod.getSpec().getNodeName();
        }
        var affinity = pod.getSpec().getAffinity();
        if (affinity == null || affinity.getNodeAffinity() == null
                || affinity.getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution() == null) {
            return null;
        }
        for (var term : affinity.getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution().getNodeSelectorTerms()) {
            for (var field : Objects.requireNonNullElse(term.getMatchFields(), List.<io.fabric8.kubernetes.api.model.NodeSelectorRequirement> of())) {
                if ("metadata.name".equals(field.getKey()) && "In".equals(field.getOperator()) && field.getValues() != null
                        && field.getValues().size() == 1) {
                    return field.getValues().get(0);
                }
            }
        }
        return null;
    }

    /** A hash of the template (without the hash label) that names its revision, in kube's safe alphabet. */
    static String templateHash(PodTemplateSpec template) {
        ObjectNode node = Json.MAPPER.valueToTree(template);
        ObjectNode metadata = Json.with(node, "metadata");
        if (metadata.path("labels").isObject()) {
            ((ObjectNode) metadata.get("labels")).remove(REVISION_HASH);
        }
        int hash = 0x811c9dc5;
        for (byte b : Json.write(node).getBytes(StandardCharsets.UTF_8)) {
            hash ^= b & 0xff;
            hash *= 0x01000193;
        }
        StringBuilder encoded = new StringBuilder();
        for (char c : Integer.toUnsignedString(hash).toCharArray()) {
            encoded.append(ALPHABET.charAt(c % ALPHABET.length()));
        }
        return encoded.toString();
    }

    /** maxUnavailable as a number of nodes: an int, or a percentage of the desired nodes rounded up (kube's default 1). */
    static int maxUnavailable(IntOrString value, int desired) {
        if (value == null || (value.getIntVal() == null && value.getStrVal() == null)) {
            return 1;
        }
        if (value.getIntVal() != null) {
            return value.getIntVal();
        }
        String text = value.getStrVal();
        if (text.endsWith("%")) {
            return (int) Math.ceil(Integer.parseInt(text.substring(0, text.length() - 1)) * desired / 100.0);
        }
        return Integer.parseInt(text);
    }
}
