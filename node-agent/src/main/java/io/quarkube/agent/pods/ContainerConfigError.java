package io.quarkube.agent.pods;

/**
 * A container's configuration cannot be built (a referenced ConfigMap, Secret or key is missing):
 * the kubelet's CreateContainerConfigError, shown as the container's waiting message.
 */
public class ContainerConfigError extends RuntimeException {

    public ContainerConfigError(String message) {
        super(message);
    }
}
