package io.quarkube.scheduler;

import java.util.ArrayList;
import java.util.List;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.quarkube.json.Timestamps;

/** Pure facts about pods as the scheduler sees them: whether it places them, and their PodScheduled condition. */
final class PodScheduling {

    private PodScheduling() {
    }

    static boolean assigned(Pod pod) {
        return pod.getSpec().getNodeName() != null && !pod.getSpec().getNodeName().isEmpty();
    }

    /** Pods this scheduler places: pending, not being deleted, asking for the default scheduler. */
    static boolean responsible(Pod pod) {
        String name = pod.getSpec().getSchedulerName();
        return (name == null || name.isEmpty() || Scheduler.NAME.equals(name)) && pod.getMetadata().getDeletionTimestamp() == null
                && !SchedulerCache.terminal(pod);
    }

    /** Whether the pod already carries PodScheduled=False (Unschedulable) with this message. */
    static boolean sameCondition(Pod pod, String message) {
        PodCondition condition = scheduledCondition(pod);
        return condition != null && "False".equals(condition.getStatus()) && "Unschedulable".equals(condition.getReason())
                && message.equals(condition.getMessage());
    }

    private static PodCondition scheduledCondition(Pod pod) {
        if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
            return null;
        }
        return pod.getStatus().getConditions().stream().filter(c -> "PodScheduled".equals(c.getType())).findFirst().orElse(null);
    }

    /** The pod with PodScheduled=False (Unschedulable) and the message; the transition time kept while it stays False. */
    static Pod withUnschedulable(Pod pod, String message) {
        if (assigned(pod)) {
            return pod;
        }
        PodCondition existing = scheduledCondition(pod);
        String now = Timestamps.now();
        String transition = existing != null && "False".equals(existing.getStatus()) && existing.getLastTransitionTime() != null
                ? existing.getLastTransitionTime() : now;
        PodCondition condition = new PodConditionBuilder().withType("PodScheduled")
                .withStatus("False").withReason("Unschedulable").withMessage(message).withLastTransitionTime(transition).build();
        List<PodCondition> conditions = new ArrayList<>();
        if (pod.getStatus().getConditions() != null) {
            pod.getStatus().getConditions().stream().filter(c -> !"PodScheduled".equals(c.getType())).forEach(conditions::add);
        }
        conditions.add(condition);
        pod.getStatus().setConditions(conditions);
        return pod;
    }
}
