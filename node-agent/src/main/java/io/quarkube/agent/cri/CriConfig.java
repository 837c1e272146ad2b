package io.quarkube.agent.cri;

import java.nio.file.Path;
import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Where the node's CRI runtime listens and how long its calls may take. */
@ConfigMapping(prefix = "quarkube.agent.cri")
public interface CriConfig {

    /** The runtime's unix socket: containerd's by default, {@code /var/run/crio/crio.sock} for CRI-O. */
    @WithDefault("/run/containerd/containerd.sock")
    Path socket();

    /** Deadline of each CRI call, as the kubelet's {@code --runtime-request-timeout}. */
    @WithDefault("2m")
    Duration requestTimeout();

    /** Deadline of an image pull, which may take much longer than other calls. */
    @WithDefault("30m")
    Duration imagePullTimeout();

    default CriRuntimeSettings settings() {
        return new CriRuntimeSettings(socket(), requestTimeout(), imagePullTimeout());
    }
}
