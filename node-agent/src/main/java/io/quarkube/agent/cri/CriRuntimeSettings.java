package io.quarkube.agent.cri;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Where the CRI runtime listens and how long calls may take.
 *
 * @param socket the runtime's unix socket, e.g. {@code /run/containerd/containerd.sock}
 * @param requestTimeout deadline of each call (the kubelet's {@code --runtime-request-timeout}, 2 minutes by default)
 * @param imagePullTimeout deadline of PullImage, which may take much longer than other calls
 */
public record CriRuntimeSettings(Path socket, Duration requestTimeout, Duration imagePullTimeout) {

    public static final Path DEFAULT_SOCKET = Path.of("/run/containerd/containerd.sock");
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofMinutes(2);
    public static final Duration DEFAULT_IMAGE_PULL_TIMEOUT = Duration.ofMinutes(30);

    public CriRuntimeSettings {
        Objects.requireNonNull(socket, "socket");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        Objects.requireNonNull(imagePullTimeout, "imagePullTimeout");
        if (requestTimeout.isNegative() || requestTimeout.isZero() || imagePullTimeout.isNegative() || imagePullTimeout.isZero()) {
            throw new IllegalArgumentException("CRI timeouts must be positive");
        }
    }

    public static CriRuntimeSettings of(Path socket) {
        return new CriRuntimeSettings(socket, DEFAULT_REQUEST_TIMEOUT, DEFAULT_IMAGE_PULL_TIMEOUT);
    }

    public CriRuntimeSettings withRequestTimeout(Duration timeout) {
        return new CriRuntimeSettings(socket, timeout, imagePullTimeout);
    }

    public CriRuntimeSettings withImagePullTimeout(Duration timeout) {
        return new CriRuntimeSettings(socket, requestTimeout, timeout);
    }
}
