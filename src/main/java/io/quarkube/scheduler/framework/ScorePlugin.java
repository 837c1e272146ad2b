package io.quarkube.scheduler.framework;

import java.util.List;

import io.fabric8.kubernetes.api.model.Pod;

/**
 * Ranks the nodes that passed the filters. {@link #preScore} runs once per pod (over the feasible
 * nodes); {@link #score} per node; {@link #normalize} maps the raw scores onto 0..{@link #MAX_SCORE}
 * in place. The framework multiplies by the plugin's weight and sums.
 */
public interface ScorePlugin extends Plugin {

    long MAX_SCORE = 100;

    default Status preScore(CycleState state, Pod pod, List<NodeInfo> feasible, Snapshot snapshot) {
        return Status.success();
    }

    long score(CycleState state, Pod pod, NodeInfo node);

    default void normalize(CycleState state, Pod pod, long[] scores) {
    }

    /** Scales scores so the highest becomes MAX_SCORE (reversed: the lowest), as kube's DefaultNormalizeScore. */
    static void normalizeToMax(long[] scores, boolean reverse) {
        long max = 0;
        for (long score : scores) {
            max = Math.max(max, score);
        }
        for (int i = 0; i < scores.length; i++) {
            if (max == 0) {
                scores[i] = reverse ? MAX_SCORE : 0;
            } else {
                long scaled = MAX_SCORE * scores[i] / max;
                scores[i] = reverse ? MAX_SCORE - scaled : scaled;
            }
        }
    }
}
