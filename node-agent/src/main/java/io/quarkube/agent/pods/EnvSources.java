package io.quarkube.agent.pods;

import java.time.Instant;
import java.util.Optional;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;

/** Where a pod's env and volumes read ConfigMaps and Secrets, and get service account tokens, from (the API, or a table in tests). */
public interface EnvSources {

    Optional<ConfigMap> configMap(String namespace, String name);

    Optional<Secret> secret(String namespace, String name);

    /**
     * A token of the pod's service account bound to the pod (a TokenRequest), for a projected
     * {@code serviceAccountToken} source; empty when the service account does not exist.
     *
     * @param audience          the one audience asked for, or null for the API server's
     * @param expirationSeconds the lifetime asked for (the API server may shorten it)
     */
    Optional<IssuedToken> serviceAccountToken(Pod pod, String serviceAccount, String audience, long expirationSeconds);

    /** A token and when it expires, as the TokenRequest's status gives them. */
    record IssuedToken(String token, Instant expiration) {
    }
}
