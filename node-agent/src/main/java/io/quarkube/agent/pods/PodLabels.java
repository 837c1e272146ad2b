package io.quarkube.agent.pods;

/**
 * The labels and annotations the kubelet puts on sandboxes and containers, by which a restarted
 * agent finds what it started before.
 */
public final class PodLabels {

    public static final String POD_NAME = "io.kubernetes.pod.name";
    public static final String POD_NAMESPACE = "io.kubernetes.pod.namespace";
    public static final String POD_UID = "io.kubernetes.pod.uid";
    public static final String CONTAINER_NAME = "io.kubernetes.container.name";
    /** "POD" marks the sandbox in the kubelet's labels. */
    public static final String SANDBOX_CONTAINER_NAME = "POD";
    public static final String RESTART_COUNT = "io.kubernetes.container.restartCount";
    public static final String TERMINATION_GRACE_PERIOD = "io.kubernetes.pod.terminationGracePeriod";
    public static final String TERMINATION_MESSAGE_PATH = "io.kubernetes.container.terminationMessagePath";
    public static final String TERMINATION_MESSAGE_POLICY = "io.kubernetes.container.terminationMessagePolicy";
    /** The sandbox's node, so several simulated nodes can share one runtime without mixing pods. */
    public static final String NODE_NAME = "io.quarkube.node.name";

    private PodLabels() {
    }
}
