package io.quarkube.agent.pods;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

/** Reads ConfigMaps and Secrets from the API when a container is created (the kubelet's "Get" strategy). */
public record ApiEnvSources(KubernetesClient client) implements EnvSources {

    @Override
    public Optional<ConfigMap> configMap(String namespace, String name) {
        return Optional.ofNullable(client.configMaps().inNamespace(namespace).withName(name).get());
    }

    @Override
    public Optional<Secret> secret(String namespace, String name) {
        return Optional.ofNullable(client.secrets().inNamespace(namespace).withName(name).get());
    }

    @Override
    public Optional<IssuedToken> serviceAccountToken(Pod pod, String serviceAccount, String audience, long expirationSeconds) {
        TokenRequest request = new TokenRequestBuilder().withNewSpec()
                .withAudiences(audience == null ? List.of() : List.of(audience))
                .withExpirationSeconds(expirationSeconds)
                .withNewBoundObjectRef().withApiVersion("v1").withKind("Pod").withName(pod.getMetadata().getName())
                .withUid(pod.getMetadata().getUid()).endBoundObjectRef()
                .endSpec().build();
        try {
            TokenRequest issued = client.serviceAccounts().inNamespace(pod.getMetadata().getNamespace()).withName(serviceAccount)
                    .tokenRequest(request);
            return Optional.of(new IssuedToken(issued.getStatus().getToken(), Instant.parse(issued.getStatus().getExpirationTimestamp())));
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }
}
