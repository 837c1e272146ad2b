package io.quarkube.agent.volumes;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ServiceAccountTokenProjection;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.quarkube.agent.pods.ContainerConfigError;
import io.quarkube.agent.pods.EnvSources;
import io.quarkube.agent.pods.EnvSources.IssuedToken;

/**
 * The service account tokens of projected {@code serviceAccountToken} sources, as the kubelet's
 * token manager keeps them: one TokenRequest per pod, account, audience and lifetime, bound to the
 * pod, asked for again once 80% of its lifetime has passed or it is a day old, so the file a
 * container reads is renewed well before it expires (a pod's volumes are rewritten on every sync).
 */
final class ProjectedTokens {

    /** The kubelet's default lifetime of a projected token (the API's default expirationSeconds). */
    static final long DEFAULT_EXPIRATION_SECONDS = 3600;
    private static final Duration MAX_AGE = Duration.ofHours(24);

    private record Key(String podUid, String serviceAccount, String audience, long expirationSeconds) {
    }

    private record Held(IssuedToken token, Instant issued) {
    }

    private final Clock clock;
    private final Map<Key, Held> tokens = new ConcurrentHashMap<>();

    ProjectedTokens(Clock clock) {
        this.clock = clock;
    }

    /** The token for one projection of the pod's volume, from the cache while it is fresh. */
    byte[] token(Pod pod, String volume, ServiceAccountTokenProjection projection, EnvSources sources) {
        String serviceAccount = Optional.ofNullable(pod.getSpec().getServiceAccountName()).filter(s -> !s.isEmpty()).orElse("default");
        long expiration = projection.getExpirationSeconds() == null ? DEFAULT_EXPIRATION_SECONDS : projection.getExpirationSeconds();
        String audience = projection.getAudience() == null || projection.getAudience().isEmpty() ? null : projection.getAudience();
        Key key = new Key(pod.getMetadata().getUid(), serviceAccount, audience, expiration);
        Instant now = clock.instant();
        Held held = tokens.get(key);
        if (held == null || needsRenewal(held, now)) {
            Optional<IssuedToken> issued;
            try {
                issued = sources.serviceAccountToken(pod, serviceAccount, audience, expiration);
            } catch (KubernetesClientException e) {
                throw new ContainerConfigError("MountVolume.SetUp failed for volume \"" + volume + "\" : failed to fetch token: " + e.getMessage());
            }
            if (issued.isEmpty()) {
                throw new ContainerConfigError("MountVolume.SetUp failed for volume \"" + volume + "\" : failed to fetch token: serviceaccounts \""
                        + serviceAccount + "\" not found");
            }
            held = new Held(issued.get(), now);
            tokens.put(key, held);
        }
        return held.token().token().getBytes(StandardCharsets.UTF_8);
    }

    private static boolean needsRenewal(Held held, Instant now) {
        Duration lifetime = Duration.between(held.issued(), held.token().expiration());
        Instant renewAt = held.issued().plus(lifetime.multipliedBy(8).dividedBy(10));
        return !now.isBefore(renewAt) || !now.isBefore(held.issued().plus(MAX_AGE));
    }

    /** Forgets the tokens of a pod that is gone. */
    void forget(String podUid) {
        tokens.keySet().removeIf(key -> key.podUid().equals(podUid));
    }
}
