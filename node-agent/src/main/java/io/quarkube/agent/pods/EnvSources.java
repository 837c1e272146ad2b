package io.quarkube.agent.pods;

import java.util.Optional;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;

/** Where a pod's env and volumes read ConfigMaps and Secrets from (the API, or a table in tests). */
public interface EnvSources {

    Optional<ConfigMap> configMap(String namespace, String name);

    Optional<Secret> secret(String namespace, String name);
}
