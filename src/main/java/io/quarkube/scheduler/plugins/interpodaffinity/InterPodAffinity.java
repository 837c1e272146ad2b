package io.quarkube.scheduler.plugins.interpodaffinity;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodAffinityTerm;
import io.fabric8.kubernetes.api.model.WeightedPodAffinityTerm;
import io.quarkube.scheduler.framework.CycleState;
import io.quarkube.scheduler.framework.FilterPlugin;
import io.quarkube.scheduler.framework.LabelSelectors;
import io.quarkube.scheduler.framework.NodeInfo;
import io.quarkube.scheduler.framework.NodeSelectors;
import io.quarkube.scheduler.framework.PreFilterPlugin;
import io.quarkube.scheduler.framework.ScorePlugin;
import io.quarkube.scheduler.framework.Snapshot;
import io.quarkube.scheduler.framework.Status;
import io.quarkube.scheduler.plugins.PodMatching;

/**
 * Pod affinity and anti-affinity between pods, by topology domain (the value of a term's
 * topologyKey on the node). Filter, from counts made once in PreFilter, in kube-scheduler's order
 * (the first failing rule names the reason): the pod's required affinity terms must each find a
 * matching pod in the node's domain (or, when no pod matches anywhere, the pod matches itself —
 * the first of a group); its required anti-affinity terms must find none; existing pods' required
 * anti-affinity must not match the pod in the node's domain. Score: the weights of preferred
 * terms, added for each matching pod in the node's domain (anti-affinity subtracts), scaled
 * between the lowest and highest node.
 * Term namespaces: the listed ones, else the pod's own; an empty namespaceSelector means all.
 */
public final class InterPodAffinity implements PreFilterPlugin, FilterPlugin, ScorePlugin {

    public static final String NAME = "InterPodAffinity";
    static final String AFFINITY = "node(s) didn't match pod affinity rules";
    static final String ANTI_AFFINITY = "node(s) didn't match pod anti-affinity rules";
    static final String EXISTING_ANTI_AFFINITY = "node(s) didn't satisfy existing pods anti-affinity rules";

    /** A topology domain: label key and value. */
    private record Domain(String key, String value) {
    }

    private record Required(Set<Domain> forbiddenByExisting, List<Map<Domain, Integer>> affinity,
            boolean noPodMatchesAffinity, List<Map<Domain, Integer>> antiAffinity) {
    }

    private record Preferred(Map<Domain, Long> weights) {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Status preFilter(CycleState state, Pod pod, Snapshot snapshot) {
        List<PodAffinityTerm> affinity = requiredAffinity(pod);
        List<PodAffinityTerm> antiAffinity = requiredAntiAffinity(pod);
        Set<Domain> forbidden = new HashSet<>();
        List<Map<Domain, Integer>> affinityCounts = new ArrayList<>();
        List<Map<Domain, Integer>> antiCounts = new ArrayList<>();
        affinity.forEach(term -> affinityCounts.add(new HashMap<>()));
        antiAffinity.forEach(term -> antiCounts.add(new HashMap<>()));
        boolean anyAffinityMatch = false;
        boolean ownTerms = !affinity.isEmpty() || !antiAffinity.isEmpty();
        // only the nodes that run pods with required anti-affinity: usually none, so a pod without
        // terms of its own costs nothing here however many nodes there are
        for (NodeInfo node : snapshot.havePodsWithRequiredAntiAffinity()) {
            Map<String, String> labels = NodeSelectors.labels(node.node());
            for (Pod existing : node.podsWithRequiredAntiAffinity()) {
                for (PodAffinityTerm term : requiredAntiAffinity(existing)) {
                    String value = labels.get(term.getTopologyKey());
                    if (value != null && matches(term, existing, pod)) {
                        forbidden.add(new Domain(term.getTopologyKey(), value));
                    }
                }
            }
        }
        for (NodeInfo node : ownTerms ? snapshot.nodes() : List.<NodeInfo> of()) {
            Map<String, String> labels = NodeSelectors.labels(node.node());
            for (Pod existing : node.pods()) {
                for (int i = 0; i < affinity.size(); i++) {
                    PodAffinityTerm term = affinity.get(i);
                    if (matches(term, pod, existing)) {
                        anyAffinityMatch = true;
                        String value = labels.get(term.getTopologyKey());
                        if (value != null) {
                            affinityCounts.get(i).merge(new Domain(term.getTopologyKey(), value), 1, Integer::sum);
                        }
                    }
                }
                for (int i = 0; i < antiAffinity.size(); i++) {
                    PodAffinityTerm term = antiAffinity.get(i);
                    String value = labels.get(term.getTopologyKey());
                    if (value != null && matches(term, pod, existing)) {
                        antiCounts.get(i).merge(new Domain(term.getTopologyKey(), value), 1, Integer::sum);
                    }
                }
            }
        }
        if (!ownTerms && forbidden.isEmpty()) {
            return Status.skip();
        }
        state.write(Required.class, new Required(forbidden, affinityCounts, !anyAffinityMatch, antiCounts));
        return Status.success();
    }

    @Override
    public Status filter(CycleState state, Pod pod, NodeInfo node) {
        Required required = state.read(Required.class);
        if (required == null) {
            return Status.success();
        }
        Map<String, String> labels = NodeSelectors.labels(node.node());
        List<PodAffinityTerm> affinity = requiredAffinity(pod);
        boolean selfMatch = required.noPodMatchesAffinity() && affinity.stream().allMatch(term -> matches(term, pod, pod));
        for (int i = 0; i < affinity.size(); i++) {
            String value = labels.get(affinity.get(i).getTopologyKey());
            boolean found = value != null && required.affinity().get(i).getOrDefault(new Domain(affinity.get(i).getTopologyKey(), value), 0) > 0;
            if (!found && !(selfMatch && value != null)) {
                return Status.unschedulable(AFFINITY);
            }
        }
        List<PodAffinityTerm> antiAffinity = requiredAntiAffinity(pod);
        for (int i = 0; i < antiAffinity.size(); i++) {
            String value = labels.get(antiAffinity.get(i).getTopologyKey());
            if (value != null && required.antiAffinity().get(i).getOrDefault(new Domain(antiAffinity.get(i).getTopologyKey(), value), 0) > 0) {
                return Status.unschedulable(ANTI_AFFINITY);
            }
        }
        for (Domain domain : required.forbiddenByExisting()) {
            if (domain.value().equals(labels.get(domain.key()))) {
                return Status.unschedulable(EXISTING_ANTI_AFFINITY);
            }
        }
        return Status.success();
    }

    @Override
    public Status preScore(CycleState state, Pod pod, List<NodeInfo> feasible, Snapshot snapshot) {
        var podAffinity = pod.getSpec().getAffinity();
        List<WeightedPodAffinityTerm> preferred = podAffinity == null || podAffinity.getPodAffinity() == null ? List.of()
                : orEmpty(podAffinity.getPodAffinity().getPreferredDuringSchedulingIgnoredDuringExecution());
        List<WeightedPodAffinityTerm> preferredAnti = podAffinity == null || podAffinity.getPodAntiAffinity() == null ? List.of()
                : orEmpty(podAffinity.getPodAntiAffinity().getPreferredDuringSchedulingIgnoredDuringExecution());
        if (preferred.isEmpty() && preferredAnti.isEmpty()) {
            return Status.skip();
        }
        Map<Domain, Long> weights = new HashMap<>();
        for (NodeInfo node : snapshot.nodes()) {
            Map<String, String> labels = NodeSelectors.labels(node.node());
            for (Pod existing : node.pods()) {
                add(weights, preferred, pod, existing, labels, 1);
                add(weights, preferredAnti, pod, existing, labels, -1);
            }
        }
        state.write(Preferred.class, new Preferred(weights));
        return Status.success();
    }

    private static void add(Map<Domain, Long> weights, List<WeightedPodAffinityTerm> terms, Pod pod, Pod existing,
            Map<String, String> labels, int sign) {
        for (WeightedPodAffinityTerm weighted : terms) {
            PodAffinityTerm term = weighted.getPodAffinityTerm();
            String value = labels.get(term.getTopologyKey());
            if (value != null && matches(term, pod, existing)) {
                weights.merge(new Domain(term.getTopologyKey(), value), (long) sign * weighted.getWeight(), Long::sum);
            }
        }
    }

    @Override
    public long score(CycleState state, Pod pod, NodeInfo node) {
        long score = 0;
        for (var entry : state.read(Preferred.class).weights().entrySet()) {
            if (entry.getKey().value().equals(NodeSelectors.labels(node.node()).get(entry.getKey().key()))) {
                score += entry.getValue();
            }
        }
        return score;
    }

    @Override
    public void normalize(CycleState state, Pod pod, long[] scores) {
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (long score : scores) {
            min = Math.min(min, score);
            max = Math.max(max, score);
        }
        for (int i = 0; i < scores.length; i++) {
            scores[i] = max == min ? 0 : MAX_SCORE * (scores[i] - min) / (max - min);
        }
    }

    /** Whether the term, written on owner, selects the other pod. */
    static boolean matches(PodAffinityTerm term, Pod owner, Pod other) {
        String namespace = other.getMetadata().getNamespace();
        boolean allNamespaces = term.getNamespaceSelector() != null
                && (term.getNamespaceSelector().getMatchLabels() == null || term.getNamespaceSelector().getMatchLabels().isEmpty())
                && (term.getNamespaceSelector().getMatchExpressions() == null || term.getNamespaceSelector().getMatchExpressions().isEmpty());
        List<String> namespaces = term.getNamespaces() == null || term.getNamespaces().isEmpty()
                ? List.of(owner.getMetadata().getNamespace()) : term.getNamespaces();
        if (!allNamespaces && !namespaces.contains(namespace)) {
            return false;
        }
        return other.getMetadata().getDeletionTimestamp() == null
                && LabelSelectors.matches(term.getLabelSelector(), PodMatching.labels(other));
    }

    private static List<PodAffinityTerm> requiredAffinity(Pod pod) {
        var affinity = pod.getSpec().getAffinity();
        return affinity == null || affinity.getPodAffinity() == null ? List.of()
                : orEmpty(affinity.getPodAffinity().getRequiredDuringSchedulingIgnoredDuringExecution());
    }

    private static List<PodAffinityTerm> requiredAntiAffinity(Pod pod) {
        var affinity = pod.getSpec().getAffinity();
        return affinity == null || affinity.getPodAntiAffinity() == null ? List.of()
                : orEmpty(affinity.getPodAntiAffinity().getRequiredDuringSchedulingIgnoredDuringExecution());
    }

    private static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }
}
