package io.quarkube.registry;

import java.util.List;

import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * One served resource: what discovery advertises and what the REST layer routes on.
 *
 * @param group       API group, "" for the core group
 * @param version     served version, e.g. "v1"
 * @param kind        object kind, e.g. "Deployment"
 * @param plural      resource name in URLs, e.g. "deployments"
 * @param singular    singular name, e.g. "deployment"
 * @param namespaced  whether objects live in a namespace
 * @param shortNames  kubectl short names, e.g. "deploy"
 * @param categories  discovery categories, e.g. "all"
 * @param subresources served subresources, e.g. "status", "scale"
 * @param modelClass  the Fabric8 model class of the kind
 */
public record ResourceType(
        String group,
        String version,
        String kind,
        String plural,
        String singular,
        boolean namespaced,
        List<String> shortNames,
        List<String> categories,
        List<String> subresources,
        Class<? extends HasMetadata> modelClass) {

    public static final List<String> VERBS = List.of(
            "create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");

    /** "v1" for the core group, "apps/v1" otherwise. */
    public String apiVersion() {
        return group.isEmpty() ? version : group + "/" + version;
    }

    /** "pods" for the core group, "deployments.apps" otherwise: the resource's storage prefix. */
    public String groupResource() {
        return group.isEmpty() ? plural : plural + "." + group;
    }

    public String listKind() {
        return kind + "List";
    }

    public boolean hasSubresource(String name) {
        return subresources.contains(name);
    }
}
