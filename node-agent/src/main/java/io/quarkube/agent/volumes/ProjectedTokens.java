package io.quarkube.agent.volumes;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.jboss.logging.Logger;

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
 * A renewal that fails leaves the current token in place until it expires.
 */
final class ProjectedTokens {

    private static final Logger LOG = Logger.getLogger(ProjectedTokens.class);

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
            String failure;
            try {
                Optional<IssuedToken> issued = sources.serviceAccountToken(pod, serviceAccount, audience, expiration);
                failure = issued.isPresent() ? null : "serviceaccounts \"" + serviceAccount + "\" not found";
                if (issued.isPresent()) {
                    held = new Held(issued.get(), now);
                    tokens.put(key, held);
                }
            } catch (KubernetesClientException e) {
                failure = e.getMessage();
            }
            if (failure != null) {
                // as the kubelet: a renewal that fails keeps the token the pod has until it expires
                if (held == null || !now.isBefore(held.token().expiration())) {
                    throw new ContainerConfigError("MountVolume.SetUp failed for volume \"" + volume + "\" : failed to fetch token: " + failure);
                }
                LOG.warnf("pod %s/%s: renewing the token of volume %s failed, the current one stays until %s: %s",
                        pod.getMetadata().getNamespace(), pod.getMetadata().getName(), volume, held.token().expiration(), failure);
            }
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
