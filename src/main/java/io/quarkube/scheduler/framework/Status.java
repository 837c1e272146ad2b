package io.quarkube.scheduler.framework;

import java.util.List;

/**
 * What a plugin says about a pod (and a node): success, or why not, in words kube-scheduler
 * uses (they end up in the FailedScheduling event). Unresolvable means no change to the pods on a
 * node can make it fit (the node's labels or taints are at fault).
 */
public record Status(Code code, List<String> reasons) {

    public enum Code { SUCCESS, UNSCHEDULABLE, UNSCHEDULABLE_AND_UNRESOLVABLE, ERROR, SKIP }

    private static final Status SUCCESS = new Status(Code.SUCCESS, List.of());
    private static final Status SKIP = new Status(Code.SKIP, List.of());

    public Status {
        reasons = List.copyOf(reasons);
    }

    public static Status success() {
        return SUCCESS;
    }

    public static Status skip() {
        return SKIP;
    }

    public static Status unschedulable(String... reasons) {
        return new Status(Code.UNSCHEDULABLE, List.of(reasons));
    }

    public static Status unresolvable(String... reasons) {
        return new Status(Code.UNSCHEDULABLE_AND_UNRESOLVABLE, List.of(reasons));
    }

    public static Status error(String reason) {
        return new Status(Code.ERROR, List.of(reason));
    }

    public boolean isSuccess() {
        return code == Code.SUCCESS;
    }

    public boolean isSkip() {
        return code == Code.SKIP;
    }

    public boolean isRejection() {
        return code == Code.UNSCHEDULABLE || code == Code.UNSCHEDULABLE_AND_UNRESOLVABLE;
    }
}
