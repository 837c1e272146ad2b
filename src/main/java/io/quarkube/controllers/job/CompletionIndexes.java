package io.quarkube.controllers.job;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import io.fabric8.kubernetes.api.model.Pod;

/**
 * Completion indexes of an Indexed Job: the pod annotation that carries a pod's index, and
 * status.completedIndexes in kube's compressed form ("1,3-5,7").
 */
final class CompletionIndexes {

    static final String ANNOTATION = "batch.kubernetes.io/job-completion-index";

    private CompletionIndexes() {
    }

    /** The pod's index, or -1 when it has none (or a malformed one). */
    static int of(Pod pod) {
        Map<String, String> annotations = pod.getMetadata().getAnnotations();
        String value = annotations == null ? null : annotations.get(ANNOTATION);
        if (value == null) {
            return -1;
        }
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    static TreeSet<Integer> parse(String text) {
        TreeSet<Integer> indexes = new TreeSet<>();
        if (text == null || text.isBlank()) {
            return indexes;
        }
        for (String part : text.split(",")) {
            String[] bounds = part.trim().split("-");
            int start = Integer.parseInt(bounds[0]);
            int end = bounds.length > 1 ? Integer.parseInt(bounds[1]) : start;
            for (int i = start; i <= end; i++) {
                indexes.add(i);
            }
        }
        return indexes;
    }

    /** Runs of consecutive indexes as "a-b", single ones as "a", joined by commas; null when empty. */
    static String format(TreeSet<Integer> indexes) {
        if (indexes.isEmpty()) {
            return null;
        }
        List<String> runs = new ArrayList<>();
        Integer start = null;
        Integer previous = null;
        for (int index : indexes) {
            if (start == null) {
                start = index;
            } else if (index != previous + 1) {
                runs.add(start.equals(previous) ? start.toString() : start + "-" + previous);
                start = index;
            }
            previous = index;
        }
        runs.add(start.equals(previous) ? start.toString() : start + "-" + previous);
        return String.join(",", runs);
    }
}
