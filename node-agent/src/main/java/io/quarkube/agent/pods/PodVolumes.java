package io.quarkube.agent.pods;

import java.nio.file.Path;
import java.util.Map;

import io.fabric8.kubernetes.api.model.Pod;

/** Makes a pod's volumes exist on the host and says where; removes them when the pod is gone. */
public interface PodVolumes {

    /**
     * Creates or refreshes the pod's volumes.
     *
     * @return volume name → host path to mount
     * @throws ContainerConfigError when a volume's source (ConfigMap, Secret...) is missing
     */
    Map<String, String> prepare(Pod pod, ContainerConfigs.PodContext context);

    /** An empty file for one container instance to write its termination message into (its terminationMessagePath). */
    Path terminationMessageFile(String podUid, String containerName, int attempt);

    void cleanUp(String podUid);
}
