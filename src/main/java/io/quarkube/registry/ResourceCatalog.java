package io.quarkube.registry;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import io.fabric8.kubernetes.api.model.HasMetadata;

/** The built-in kinds quarkube serves, with the names, scopes and short names kube-apiserver gives them. */
public final class ResourceCatalog {

    private static final List<String> ALL = List.of("all");

    private static final List<ResourceType> TYPES = List.of(
            core("Namespace", "namespaces", false, List.of("ns"), List.of(), List.of("status", "finalize"), io.fabric8.kubernetes.api.model.Namespace.class),
            core("Pod", "pods", true, List.of("po"), ALL, List.of("status", "binding", "eviction", "attach", "exec", "log", "portforward"), io.fabric8.kubernetes.api.model.Pod.class),
            core("Service", "services", true, List.of("svc"), ALL, List.of("status"), io.fabric8.kubernetes.api.model.Service.class),
            core("Endpoints", "endpoints", true, List.of("ep"), List.of(), List.of(), io.fabric8.kubernetes.api.model.Endpoints.class),
            core("Node", "nodes", false, List.of("no"), List.of(), List.of("status"), io.fabric8.kubernetes.api.model.Node.class),
            core("ConfigMap", "configmaps", true, List.of("cm"), List.of(), List.of(), io.fabric8.kubernetes.api.model.ConfigMap.class),
            core("Secret", "secrets", true, List.of(), List.of(), List.of(), io.fabric8.kubernetes.api.model.Secret.class),
            core("ServiceAccount", "serviceaccounts", true, List.of("sa"), List.of(), List.of("token"), io.fabric8.kubernetes.api.model.ServiceAccount.class),
            core("Event", "events", true, List.of("ev"), List.of(), List.of(), io.fabric8.kubernetes.api.model.Event.class),
            core("LimitRange", "limitranges", true, List.of("limits"), List.of(), List.of(), io.fabric8.kubernetes.api.model.LimitRange.class),
            core("ResourceQuota", "resourcequotas", true, List.of("quota"), List.of(), List.of("status"), io.fabric8.kubernetes.api.model.ResourceQuota.class),
            core("PersistentVolume", "persistentvolumes", false, List.of("pv"), List.of(), List.of("status"), io.fabric8.kubernetes.api.model.PersistentVolume.class),
            core("PersistentVolumeClaim", "persistentvolumeclaims", true, List.of("pvc"), List.of(), List.of("status"), io.fabric8.kubernetes.api.model.PersistentVolumeClaim.class),
            type("apps", "v1", "Deployment", "deployments", true, List.of("deploy"), ALL, List.of("status", "scale"), io.fabric8.kubernetes.api.model.apps.Deployment.class),
            type("apps", "v1", "ReplicaSet", "replicasets", true, List.of("rs"), ALL, List.of("status", "scale"), io.fabric8.kubernetes.api.model.apps.ReplicaSet.class),
            type("apps", "v1", "DaemonSet", "daemonsets", true, List.of("ds"), ALL, List.of("status"), io.fabric8.kubernetes.api.model.apps.DaemonSet.class),
            type("apps", "v1", "StatefulSet", "statefulsets", true, List.of("sts"), ALL, List.of("status", "scale"), io.fabric8.kubernetes.api.model.apps.StatefulSet.class),
            type("apps", "v1", "ControllerRevision", "controllerrevisions", true, List.of(), List.of(), List.of(), io.fabric8.kubernetes.api.model.apps.ControllerRevision.class),
            type("batch", "v1", "Job", "jobs", true, List.of(), ALL, List.of("status"), io.fabric8.kubernetes.api.model.batch.v1.Job.class),
            type("batch", "v1", "CronJob", "cronjobs", true, List.of("cj"), ALL, List.of("status"), io.fabric8.kubernetes.api.model.batch.v1.CronJob.class),
            type("coordination.k8s.io", "v1", "Lease", "leases", true, List.of(), List.of(), List.of(), io.fabric8.kubernetes.api.model.coordination.v1.Lease.class),
            type("networking.k8s.io", "v1", "IPAddress", "ipaddresses", false, List.of("ip"), List.of(), List.of(), io.fabric8.kubernetes.api.model.networking.v1.IPAddress.class),
            type("networking.k8s.io", "v1", "ServiceCIDR", "servicecidrs", false, List.of(), List.of(), List.of("status"), io.fabric8.kubernetes.api.model.networking.v1.ServiceCIDR.class),
            type("discovery.k8s.io", "v1", "EndpointSlice", "endpointslices", true, List.of(), List.of(), List.of(), io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice.class),
            type("events.k8s.io", "v1", "Event", "events", true, List.of("ev"), List.of(), List.of(), io.fabric8.kubernetes.api.model.events.v1.Event.class),
            type("rbac.authorization.k8s.io", "v1", "Role", "roles", true, List.of(), List.of(), List.of(), io.fabric8.kubernetes.api.model.rbac.Role.class),
            type("rbac.authorization.k8s.io", "v1", "RoleBinding", "rolebindings", true, List.of(), List.of(), List.of(), io.fabric8.kubernetes.api.model.rbac.RoleBinding.class),
            type("rbac.authorization.k8s.io", "v1", "ClusterRole", "clusterroles", false, List.of(), List.of(), List.of(), io.fabric8.kubernetes.api.model.rbac.ClusterRole.class),
            type("rbac.authorization.k8s.io", "v1", "ClusterRoleBinding", "clusterrolebindings", false, List.of(), List.of(), List.of(), io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding.class),
            type("policy", "v1", "PodDisruptionBudget", "poddisruptionbudgets", true, List.of("pdb"), List.of(), List.of("status"), io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget.class),
            type("autoscaling", "v2", "HorizontalPodAutoscaler", "horizontalpodautoscalers", true, List.of("hpa"), ALL, List.of("status"), io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler.class));

    /** Kinds stored through the resource service but not served over the API. */
    private static final List<ResourceType> INTERNAL = List.of(
            type("internal.quarkube.io", "v1", "ServiceNodePort", "servicenodeports", false, List.of(), List.of(), List.of(),
                    io.quarkube.registry.service.ServiceNodePort.class));

    private static final Map<String, ResourceType> BY_GROUP_VERSION_RESOURCE = TYPES.stream()
            .collect(Collectors.toMap(t -> t.apiVersion() + "/" + t.plural(), t -> t, (a, b) -> a, LinkedHashMap::new));

    /**
     * Resources kept in another resource's storage, as kube-apiserver keeps them: events.k8s.io/v1
     * Events are the core/v1 Events, converted.
     */
    private static final Map<String, String> STORED_AS = Map.of("events.events.k8s.io", "events");

    private ResourceCatalog() {
    }

    private static ResourceType core(String kind, String plural, boolean namespaced, List<String> shortNames,
            List<String> categories, List<String> subresources, Class<? extends HasMetadata> model) {
        return type("", "v1", kind, plural, namespaced, shortNames, categories, subresources, model);
    }

    private static ResourceType type(String group, String version, String kind, String plural, boolean namespaced,
            List<String> shortNames, List<String> categories, List<String> subresources, Class<? extends HasMetadata> model) {
        return new ResourceType(group, version, kind, plural, kind.toLowerCase(), namespaced, shortNames, categories,
                subresources, model);
    }

    /** Every served resource, in discovery order. */
    public static List<ResourceType> all() {
        return TYPES;
    }

    /** Kinds the control plane stores for itself and never serves (node port allocations). */
    public static List<ResourceType> internal() {
        return INTERNAL;
    }

    /** The internal kind of this resource, e.g. "servicenodeports.internal.quarkube.io". */
    public static ResourceType internal(String groupResource) {
        return INTERNAL.stream().filter(t -> t.groupResource().equals(groupResource)).findFirst().orElseThrow();
    }

    /** The resource whose storage holds this resource's objects: itself, or the one it is a view of. */
    public static ResourceType storedAs(ResourceType type) {
        String stored = STORED_AS.get(type.groupResource());
        return stored == null ? type : TYPES.stream().filter(t -> t.groupResource().equals(stored)).findFirst().orElseThrow();
    }

    /** Every resource with storage of its own: each stored object belongs to exactly one of them. */
    public static List<ResourceType> stored() {
        return TYPES.stream().filter(t -> storedAs(t) == t).toList();
    }

    /** The resource served at {@code /api/v1/pods} ("", "v1", "pods") or {@code /apis/apps/v1/deployments}. */
    public static Optional<ResourceType> find(String group, String version, String plural) {
        String apiVersion = group.isEmpty() ? version : group + "/" + version;
        return Optional.ofNullable(BY_GROUP_VERSION_RESOURCE.get(apiVersion + "/" + plural));
    }

    /** The resource of an object with this apiVersion and kind. */
    public static Optional<ResourceType> byKind(String apiVersion, String kind) {
        return TYPES.stream().filter(t -> t.apiVersion().equals(apiVersion) && t.kind().equals(kind)).findFirst();
    }

    /** The served group names in discovery order, core group excluded. */
    public static List<String> groups() {
        return TYPES.stream().map(ResourceType::group).filter(g -> !g.isEmpty()).distinct().toList();
    }

    /** The versions served for a group, preferred first. */
    public static List<String> versions(String group) {
        return TYPES.stream().filter(t -> t.group().equals(group)).map(ResourceType::version).distinct()
                .sorted(Comparator.reverseOrder()).toList();
    }
}
