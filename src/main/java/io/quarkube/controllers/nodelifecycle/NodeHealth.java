package io.quarkube.controllers.nodelifecycle;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import io.quarkube.scheduler.framework.Taints;

/**
 * The pure decisions of the node lifecycle controller: the conditions of a node that stopped
 * reporting, the taints a node's Ready condition calls for, and when a pod on a NoExecute-tainted
 * node is to be evicted.
 */
public final class NodeHealth {

    static final List<String> KUBELET_CONDITIONS = List.of("Ready", "MemoryPressure", "DiskPressure", "PIDPressure");

    private NodeHealth() {
    }

    /** The Ready condition's status ("True", "False", "Unknown"), "Unknown" when missing. */
    public static String readyStatus(Node node) {
        NodeCondition ready = condition(node, "Ready");
        return ready == null || ready.getStatus() == null ? "Unknown" : ready.getStatus();
    }

    static NodeCondition condition(Node node, String type) {
        if (node.getStatus() == null || node.getStatus().getConditions() == null) {
            return null;
        }
        return node.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
    }

    /**
     * The node's conditions once its agent stopped reporting: each kubelet condition Unknown with
     * reason NodeStatusUnknown (NodeStatusNeverUpdated when it never reported one), as kube's
     * node lifecycle controller writes them. Returns false when nothing changes.
     */
    static boolean markUnknown(Node node, String now) {
        List<NodeCondition> conditions = node.getStatus().getConditions() == null ? new ArrayList<>()
                : new ArrayList<>(node.getStatus().getConditions());
        boolean changed = false;
        for (String type : KUBELET_CONDITIONS) {
            NodeCondition condition = conditions.stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
            if (condition == null) {
                conditions.add(new io.fabric8.kubernetes.api.model.NodeConditionBuilder().withType(type).withStatus("Unknown")
                        .withReason("NodeStatusNeverUpdated").withMessage("Kubelet never posted node status.")
                        .withLastHeartbeatTime(now).withLastTransitionTime(now).build());
                changed = true;
            } else if (!"Unknown".equals(condition.getStatus())) {
                condition.setStatus("Unknown");
                condition.setReason("NodeStatusUnknown");
                condition.setMessage("Kubelet stopped posting node status.");
                condition.setLastTransitionTime(now);
                changed = true;
            }
        }
        node.getStatus().setConditions(conditions);
        return changed;
    }

    /** The not-ready or unreachable taints a node's Ready status calls for (none when Ready is True). */
    static List<String> wantedTaintKeys(String readyStatus) {
        return switch (readyStatus) {
            case "True" -> List.of();
            case "False" -> List.of(Taints.NOT_READY);
            default -> List.of(Taints.UNREACHABLE);
        };
    }

    /**
     * The node's taints with the lifecycle taints (not-ready, unreachable; NoSchedule and NoExecute)
     * set to exactly the wanted keys; other taints kept, kept ones keep their timeAdded.
     */
    static List<Taint> withLifecycleTaints(List<Taint> current, List<String> wantedKeys, String now) {
        List<Taint> result = new ArrayList<>();
        for (Taint taint : current == null ? List.<Taint> of() : current) {
            boolean lifecycle = Taints.NOT_READY.equals(taint.getKey()) || Taints.UNREACHABLE.equals(taint.getKey());
            if (!lifecycle || wantedKeys.contains(taint.getKey())) {
                result.add(taint);
            }
        }
        for (String key : wantedKeys) {
            for (String effect : List.of("NoSchedule", "NoExecute")) {
                boolean present = result.stream().anyMatch(t -> key.equals(t.getKey()) && effect.equals(t.getEffect()));
                if (!present) {
                    result.add(new io.fabric8.kubernetes.api.model.TaintBuilder().withKey(key).withEffect(effect)
                            .withTimeAdded(effect.equals("NoExecute") ? now : null).build());
                }
            }
        }
        return result;
    }

    /**
     * How many milliseconds after the NoExecute taints were added the pod is to be evicted, as
     * kube's taint eviction: 0 when some NoExecute taint is not tolerated; else the smallest
     * tolerationSeconds among the tolerations that tolerate them (0 or less: at once); -1 when none
     * of those sets tolerationSeconds (tolerated forever) or there is no NoExecute taint.
     */
    static long evictAfterMillis(Pod pod, List<Taint> taints) {
        List<Toleration> tolerations = pod.getSpec().getTolerations() == null ? List.of() : pod.getSpec().getTolerations();
        List<Toleration> used = new ArrayList<>();
        for (Taint taint : taints == null ? List.<Taint> of() : taints) {
            if (!"NoExecute".equals(taint.getEffect())) {
                continue;
            }
            boolean tolerated = false;
            for (Toleration toleration : tolerations) {
                if (Taints.tolerates(toleration, taint)) {
                    tolerated = true;
                    used.add(toleration);
                }
            }
            if (!tolerated) {
                return 0;
            }
        }
        long min = Long.MAX_VALUE;
        for (Toleration toleration : used) {
            if (toleration.getTolerationSeconds() != null) {
                if (toleration.getTolerationSeconds() <= 0) {
                    return 0;
                }
                min = Math.min(min, toleration.getTolerationSeconds());
            }
        }
        return min == Long.MAX_VALUE ? -1 : min * 1000;
    }

    /**
     * A pod on a node that is not Ready is not ready either (kube's MarkPodsNotReady): its Ready
     * condition becomes False, so Services stop sending it traffic. False when nothing changes.
     */
    static boolean markNotReady(Pod pod, String now) {
        if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
            return false;
        }
        boolean changed = false;
        for (io.fabric8.kubernetes.api.model.PodCondition condition : pod.getStatus().getConditions()) {
            if ("Ready".equals(condition.getType()) && !"False".equals(condition.getStatus())) {
                condition.setStatus("False");
                condition.setLastTransitionTime(now);
                changed = true;
            }
        }
        return changed;
    }

    static boolean sameTaints(List<Taint> a, List<Taint> b) {
        return Objects.equals(a == null ? List.of() : a, b == null ? List.of() : b);
    }
}
