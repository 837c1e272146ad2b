package io.quarkube.scheduler.framework;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Why no node fits a pod: each node's rejection. Its message reads as kube-scheduler's:
 * {@code 0/3 nodes are available: 1 Insufficient cpu, 2 node(s) had untolerated taint {k: v}.} —
 * every reason counted over the nodes that gave it, the "count reason" strings sorted.
 */
public record FitError(int nodeCount, Map<String, Status> rejections) {

    public FitError {
        rejections = Map.copyOf(rejections);
    }

    public String message() {
        if (nodeCount == 0) {
            return "no nodes available to schedule pods";
        }
        Map<String, Integer> histogram = new TreeMap<>();
        for (Status status : rejections.values()) {
            for (String reason : status.reasons()) {
                histogram.merge(reason, 1, Integer::sum);
            }
        }
        List<String> counted = new ArrayList<>();
        histogram.forEach((reason, count) -> counted.add(count + " " + reason));
        counted.sort(null);
        return "0/" + nodeCount + " nodes are available: " + String.join(", ", counted) + ".";
    }
}
