package io.quarkube.scheduler.framework;

import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeSelector;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.Pod;

/**
 * A pod's node selection against a node: spec.nodeSelector (every label equal) and the required
 * node affinity (terms ORed; a term's expressions and fields ANDed; an empty term matches nothing;
 * the only field is metadata.name).
 */
public final class NodeSelectors {

    private NodeSelectors() {
    }

    /** True when the node satisfies the pod's nodeSelector and required node affinity. */
    public static boolean podMatchesNode(Pod pod, Node node) {
        Map<String, String> labels = labels(node);
        Map<String, String> nodeSelector = pod.getSpec().getNodeSelector();
        if (nodeSelector != null) {
            for (var wanted : nodeSelector.entrySet()) {
                if (!wanted.getValue().equals(labels.get(wanted.getKey()))) {
                    return false;
                }
            }
        }
        var affinity = pod.getSpec().getAffinity();
        if (affinity == null || affinity.getNodeAffinity() == null) {
            return true;
        }
        NodeSelector required = affinity.getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution();
        return required == null || matchesAny(required.getNodeSelectorTerms(), node);
    }

    public static boolean matchesAny(List<NodeSelectorTerm> terms, Node node) {
        if (terms == null) {
            return false;
        }
        for (NodeSelectorTerm term : terms) {
            if (matches(term, node)) {
                return true;
            }
        }
        return false;
    }

    public static boolean matches(NodeSelectorTerm term, Node node) {
        List<NodeSelectorRequirement> expressions = term.getMatchExpressions() == null ? List.of() : term.getMatchExpressions();
        List<NodeSelectorRequirement> fields = term.getMatchFields() == null ? List.of() : term.getMatchFields();
        if (expressions.isEmpty() && fields.isEmpty()) {
            return false;
        }
        Map<String, String> labels = labels(node);
        for (NodeSelectorRequirement requirement : expressions) {
            if (!LabelSelectors.matches(requirement.getKey(), requirement.getOperator(), requirement.getValues(), labels)) {
                return false;
            }
        }
        Map<String, String> nodeFields = Map.of("metadata.name", node.getMetadata().getName());
        for (NodeSelectorRequirement requirement : fields) {
            if (!List.of("In", "NotIn").contains(requirement.getOperator())
                    || !LabelSelectors.matches(requirement.getKey(), requirement.getOperator(), requirement.getValues(), nodeFields)) {
                return false;
            }
        }
        return true;
    }

    public static Map<String, String> labels(Node node) {
        Map<String, String> labels = node.getMetadata().getLabels();
        return labels == null ? Map.of() : labels;
    }
}
