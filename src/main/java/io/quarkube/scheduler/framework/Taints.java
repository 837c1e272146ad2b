package io.quarkube.scheduler.framework;

import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;

/** Whether tolerations tolerate taints, as kube's v1helper ToleratesTaint. */
public final class Taints {

    public static final String UNSCHEDULABLE = "node.kubernetes.io/unschedulable";
    public static final String NOT_READY = "node.kubernetes.io/not-ready";
    public static final String UNREACHABLE = "node.kubernetes.io/unreachable";

    private Taints() {
    }

    public static boolean tolerates(Toleration toleration, Taint taint) {
        String effect = toleration.getEffect();
        if (effect != null && !effect.isEmpty() && !effect.equals(taint.getEffect())) {
            return false;
        }
        String key = toleration.getKey();
        if (key != null && !key.isEmpty() && !key.equals(taint.getKey())) {
            return false;
        }
        String operator = toleration.getOperator() == null || toleration.getOperator().isEmpty() ? "Equal" : toleration.getOperator();
        return switch (operator) {
            case "Exists" -> true;
            case "Equal" -> Objects.equals(emptyIfNull(toleration.getValue()), emptyIfNull(taint.getValue()));
            default -> false;
        };
    }

    /** The toleration of the pod that tolerates the taint, or null. */
    public static Toleration toleration(List<Toleration> tolerations, Taint taint) {
        if (tolerations != null) {
            for (Toleration toleration : tolerations) {
                if (tolerates(toleration, taint)) {
                    return toleration;
                }
            }
        }
        return null;
    }

    /** The first taint accepted by the filter that no toleration tolerates, or null. */
    public static Taint firstUntolerated(List<Taint> taints, List<Toleration> tolerations, Predicate<Taint> considered) {
        if (taints != null) {
            for (Taint taint : taints) {
                if (considered.test(taint) && toleration(tolerations, taint) == null) {
                    return taint;
                }
            }
        }
        return null;
    }

    private static String emptyIfNull(String value) {
        return value == null ? "" : value;
    }
}
