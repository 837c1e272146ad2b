package io.quarkube.api.openapi;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the Go API types say and the Fabric8 classes do not: required fields, which string fields
 * are timestamps, byte fields, list and map topology. Keyed by Kubernetes schema name and JSON field.
 */
final class KubernetesSchemaFacts {

    /** {@code x-kubernetes-list-type} and, for "map", {@code x-kubernetes-list-map-keys}. */
    record ListType(String type, List<String> mapKeys) {
        static ListType map(String... keys) {
            return new ListType("map", List.of(keys));
        }
    }

    private static final String CORE = "io.k8s.api.core.v1.";
    private static final String APPS = "io.k8s.api.apps.v1.";
    private static final String META = SchemaNames.META;

    private static final Map<String, List<String>> REQUIRED = Map.ofEntries(
            Map.entry(CORE + "Container", List.of("name")),
            Map.entry(CORE + "EphemeralContainer", List.of("name")),
            Map.entry(CORE + "ContainerPort", List.of("containerPort")),
            Map.entry(CORE + "EnvVar", List.of("name")),
            Map.entry(CORE + "Volume", List.of("name")),
            Map.entry(CORE + "VolumeMount", List.of("name", "mountPath")),
            Map.entry(CORE + "VolumeDevice", List.of("name", "devicePath")),
            Map.entry(CORE + "PodSpec", List.of("containers")),
            Map.entry(CORE + "ServicePort", List.of("port")),
            Map.entry(CORE + "EndpointPort", List.of("port")),
            Map.entry(CORE + "EndpointAddress", List.of("ip")),
            Map.entry(CORE + "ConfigMapKeySelector", List.of("key")),
            Map.entry(CORE + "SecretKeySelector", List.of("key")),
            Map.entry(CORE + "ObjectFieldSelector", List.of("fieldPath")),
            Map.entry(CORE + "ResourceFieldSelector", List.of("resource")),
            Map.entry(CORE + "KeyToPath", List.of("key", "path")),
            Map.entry(CORE + "HTTPGetAction", List.of("port")),
            Map.entry(CORE + "HTTPHeader", List.of("name", "value")),
            Map.entry(CORE + "TCPSocketAction", List.of("port")),
            Map.entry(CORE + "GRPCAction", List.of("port")),
            Map.entry(CORE + "NodeSelector", List.of("nodeSelectorTerms")),
            Map.entry(CORE + "NodeSelectorRequirement", List.of("key", "operator")),
            Map.entry(CORE + "PreferredSchedulingTerm", List.of("weight", "preference")),
            Map.entry(CORE + "WeightedPodAffinityTerm", List.of("weight", "podAffinityTerm")),
            Map.entry(CORE + "PodAffinityTerm", List.of("topologyKey")),
            Map.entry(CORE + "TopologySpreadConstraint", List.of("maxSkew", "topologyKey", "whenUnsatisfiable")),
            Map.entry(CORE + "Taint", List.of("key", "effect")),
            Map.entry(CORE + "Sysctl", List.of("name", "value")),
            Map.entry(CORE + "HostAlias", List.of("ip")),
            Map.entry(CORE + "PodCondition", List.of("type", "status")),
            Map.entry(CORE + "NodeCondition", List.of("type", "status")),
            Map.entry(CORE + "NodeAddress", List.of("type", "address")),
            Map.entry(CORE + "ContainerStatus", List.of("name", "ready", "restartCount", "image", "imageID")),
            Map.entry(CORE + "PersistentVolumeClaimVolumeSource", List.of("claimName")),
            Map.entry(CORE + "LimitRangeSpec", List.of("limits")),
            Map.entry(CORE + "LimitRangeItem", List.of("type")),
            Map.entry(CORE + "Binding", List.of("target")),
            Map.entry(CORE + "Event", List.of("metadata", "involvedObject")),
            Map.entry(APPS + "DeploymentSpec", List.of("selector", "template")),
            Map.entry(APPS + "ReplicaSetSpec", List.of("selector")),
            Map.entry(APPS + "DaemonSetSpec", List.of("selector", "template")),
            Map.entry(APPS + "StatefulSetSpec", List.of("selector", "template")),
            Map.entry(APPS + "ControllerRevision", List.of("revision")),
            Map.entry(APPS + "DeploymentCondition", List.of("type", "status")),
            Map.entry("io.k8s.api.batch.v1.JobSpec", List.of("template")),
            Map.entry("io.k8s.api.batch.v1.CronJobSpec", List.of("schedule", "jobTemplate")),
            Map.entry("io.k8s.api.rbac.v1.PolicyRule", List.of("verbs")),
            Map.entry("io.k8s.api.rbac.v1.RoleRef", List.of("apiGroup", "kind", "name")),
            Map.entry("io.k8s.api.rbac.v1.Subject", List.of("kind", "name")),
            Map.entry("io.k8s.api.rbac.v1.RoleBinding", List.of("roleRef")),
            Map.entry("io.k8s.api.rbac.v1.ClusterRoleBinding", List.of("roleRef")),
            Map.entry("io.k8s.api.discovery.v1.EndpointSlice", List.of("addressType", "endpoints")),
            Map.entry("io.k8s.api.discovery.v1.Endpoint", List.of("addresses")),
            Map.entry("io.k8s.api.events.v1.Event", List.of("eventTime")),
            Map.entry("io.k8s.api.autoscaling.v2.HorizontalPodAutoscalerSpec", List.of("scaleTargetRef", "maxReplicas")),
            Map.entry("io.k8s.api.autoscaling.v2.CrossVersionObjectReference", List.of("kind", "name")),
            Map.entry("io.k8s.api.autoscaling.v2.MetricSpec", List.of("type")),
            Map.entry(META + "OwnerReference", List.of("apiVersion", "kind", "name", "uid")),
            Map.entry(META + "LabelSelectorRequirement", List.of("key", "operator")),
            Map.entry(META + "Condition", List.of("type", "status", "lastTransitionTime", "reason", "message")),
            Map.entry(META + "WatchEvent", List.of("type", "object")));

    /** String fields that hold a metav1.Time. */
    private static final Set<String> TIME_FIELDS = Set.of(
            "creationTimestamp", "deletionTimestamp", "lastTransitionTime", "lastProbeTime", "lastHeartbeatTime",
            "startTime", "startedAt", "finishedAt", "completionTime", "lastScheduleTime", "lastSuccessfulTime",
            "lastUpdateTime", "firstTimestamp", "lastTimestamp", "deprecatedFirstTimestamp",
            "deprecatedLastTimestamp", "lastObservedTime", "timeAdded");

    /** Base64 string fields ({@code format: byte}), also as map values. */
    private static final Set<String> BYTE_FIELDS = Set.of(
            CORE + "Secret.data", CORE + "ConfigMap.binaryData");

    private static final Map<String, ListType> LIST_TYPES = Map.ofEntries(
            Map.entry(META + "ObjectMeta.finalizers", new ListType("set", List.of())),
            Map.entry(META + "ObjectMeta.ownerReferences", ListType.map("uid")),
            Map.entry(CORE + "PodSpec.containers", ListType.map("name")),
            Map.entry(CORE + "PodSpec.initContainers", ListType.map("name")),
            Map.entry(CORE + "PodSpec.ephemeralContainers", ListType.map("name")),
            Map.entry(CORE + "PodSpec.volumes", ListType.map("name")),
            Map.entry(CORE + "Container.ports", ListType.map("containerPort", "protocol")),
            Map.entry(CORE + "Container.env", ListType.map("name")),
            Map.entry(CORE + "Container.envFrom", new ListType("atomic", List.of())),
            Map.entry(CORE + "Container.resizePolicy", new ListType("atomic", List.of())),
            Map.entry(CORE + "Container.volumeMounts", ListType.map("mountPath")),
            Map.entry(CORE + "Container.volumeDevices", ListType.map("devicePath")),
            Map.entry(CORE + "ServiceSpec.ports", ListType.map("port", "protocol")),
            Map.entry(CORE + "Container.command", new ListType("atomic", List.of())),
            Map.entry(CORE + "Container.args", new ListType("atomic", List.of())));

    /** Structs that server-side apply treats as one value. */
    private static final Set<String> ATOMIC_MAPS = Set.of(
            META + "LabelSelector", CORE + "ObjectReference", CORE + "LocalObjectReference",
            CORE + "ConfigMapKeySelector", CORE + "SecretKeySelector", CORE + "ObjectFieldSelector",
            CORE + "ResourceFieldSelector", CORE + "NodeSelector", CORE + "NodeSelectorTerm");

    private KubernetesSchemaFacts() {
    }

    /** Required fields; every list kind requires its items. */
    static List<String> required(String schemaName) {
        return schemaName.endsWith("List") ? List.of("items") : REQUIRED.getOrDefault(schemaName, List.of());
    }

    static boolean isTime(String schemaName, String field) {
        return TIME_FIELDS.contains(field) || (schemaName.equals(META + "ManagedFieldsEntry") && field.equals("time"));
    }

    static boolean isBytes(String schemaName, String field) {
        return BYTE_FIELDS.contains(schemaName + "." + field);
    }

    static Optional<ListType> listType(String schemaName, String field) {
        return Optional.ofNullable(LIST_TYPES.get(schemaName + "." + field));
    }

    static boolean isAtomicMap(String schemaName) {
        return ATOMIC_MAPS.contains(schemaName);
    }
}
