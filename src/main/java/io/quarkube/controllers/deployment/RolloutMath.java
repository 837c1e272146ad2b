package io.quarkube.controllers.deployment;

import io.fabric8.kubernetes.api.model.IntOrString;

/** The rolling update's arithmetic, as kube's deployment controller does it (pure functions). */
final class RolloutMath {

    private RolloutMath() {
    }

    /** maxSurge and maxUnavailable as pod counts: percentages of replicas, surge rounded up, unavailable down; never both 0. */
    static int[] fenceposts(IntOrString maxSurge, IntOrString maxUnavailable, int replicas) {
        int surge = scaled(maxSurge, replicas, true, 25);
        int unavailable = scaled(maxUnavailable, replicas, false, 25);
        if (surge == 0 && unavailable == 0) {
            unavailable = 1;
        }
        return new int[] {surge, unavailable};
    }

    static int scaled(IntOrString value, int total, boolean roundUp, int defaultPercent) {
        if (value == null) {
            return percent(defaultPercent, total, roundUp);
        }
        if (value.getIntVal() != null) {
            return value.getIntVal();
        }
        String text = value.getStrVal();
        if (text != null && text.endsWith("%")) {
            return percent(Integer.parseInt(text.substring(0, text.length() - 1)), total, roundUp);
        }
        return text == null ? 0 : Integer.parseInt(text);
    }

    private static int percent(int percent, int total, boolean roundUp) {
        return roundUp ? (int) Math.ceil(percent * total / 100.0) : (int) Math.floor(percent * total / 100.0);
    }

    /**
     * The new ReplicaSet's next size: up towards replicas while every ReplicaSet's pods together
     * stay within replicas + maxSurge.
     */
    static int newReplicaSetSize(int replicas, int maxSurge, int newSize, int allPods) {
        if (newSize >= replicas) {
            return replicas;
        }
        int room = replicas + maxSurge - allPods;
        return room <= 0 ? newSize : newSize + Math.min(room, replicas - newSize);
    }

    /**
     * How many old pods may go now: all pods minus those that must stay available minus the new
     * ReplicaSet's pods that are not available yet (they cannot count towards availability).
     */
    static int oldScaleDownBudget(int replicas, int maxUnavailable, int allPods, int newSize, int newAvailable) {
        int minAvailable = replicas - maxUnavailable;
        int newUnavailable = Math.max(newSize - newAvailable, 0);
        return Math.max(allPods - minAvailable - newUnavailable, 0);
    }
}
