package io.quarkube.scheduler.framework;

import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;

/** metav1.LabelSelector against labels, as kube's LabelSelectorAsSelector: a null selector matches nothing, an empty one everything. */
public final class LabelSelectors {

    private LabelSelectors() {
    }

    public static boolean matches(LabelSelector selector, Map<String, String> labels) {
        if (selector == null) {
            return false;
        }
        Map<String, String> have = labels == null ? Map.of() : labels;
        if (selector.getMatchLabels() != null) {
            for (var wanted : selector.getMatchLabels().entrySet()) {
                if (!wanted.getValue().equals(have.get(wanted.getKey()))) {
                    return false;
                }
            }
        }
        if (selector.getMatchExpressions() != null) {
            for (LabelSelectorRequirement requirement : selector.getMatchExpressions()) {
                if (!matches(requirement.getKey(), requirement.getOperator(), requirement.getValues(), have)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** One requirement: In, NotIn, Exists, DoesNotExist; for node selectors also Gt and Lt (integers). */
    static boolean matches(String key, String operator, List<String> values, Map<String, String> labels) {
        List<String> options = values == null ? List.of() : values;
        String value = labels.get(key);
        return switch (operator) {
            case "In" -> value != null && options.contains(value);
            case "NotIn" -> value == null || !options.contains(value);
            case "Exists" -> value != null;
            case "DoesNotExist" -> value == null;
            case "Gt", "Lt" -> value != null && options.size() == 1 && compare(value, options.get(0), operator);
            default -> false;
        };
    }

    private static boolean compare(String value, String bound, String operator) {
        try {
            long have = Long.parseLong(value);
            long limit = Long.parseLong(bound);
            return operator.equals("Gt") ? have > limit : have < limit;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
