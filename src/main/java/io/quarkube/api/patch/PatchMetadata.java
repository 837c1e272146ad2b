package io.quarkube.api.patch;

import java.util.Map;
import java.util.Optional;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.EphemeralContainer;
import io.fabric8.kubernetes.api.model.NamespaceStatus;
import io.fabric8.kubernetes.api.model.NodeSpec;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimStatus;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceSpec;
import io.fabric8.kubernetes.api.model.ServiceStatus;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatus;
import io.fabric8.kubernetes.api.model.apps.DeploymentSpec;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatus;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatus;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerStatus;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetStatus;

/**
 * How strategic merge patch treats the list fields of the Kubernetes types: the
 * {@code patchStrategy} and {@code patchMergeKey} tags of the Go API types, which the OpenAPI
 * documents publish as {@code x-kubernetes-patch-strategy} and {@code x-kubernetes-patch-merge-key}.
 *
 * <p>The table covers the served kinds (core/v1, apps/v1, batch/v1, policy/v1, autoscaling/v2; the
 * rbac, discovery, coordination and events kinds have no tagged fields). Fields absent from it are
 * replaced as a whole, like the untagged {@code tolerations} or {@code taints}.
 */
public final class PatchMetadata {

    /**
     * @param strategy "merge", "replace", "retainKeys" or "merge,retainKeys"
     * @param mergeKey the key that identifies list items, or null for lists of primitives
     */
    public record FieldPatchStrategy(String strategy, String mergeKey) {

        /** Whether lists under this field merge item by item instead of being replaced. */
        public boolean merges() {
            return strategy.equals("merge") || strategy.startsWith("merge,") || strategy.endsWith(",merge");
        }
    }

    private static final FieldPatchStrategy CONDITIONS = mergeBy("type");

    private static final Map<String, FieldPatchStrategy> CONTAINER_FIELDS = Map.of(
            "ports", mergeBy("containerPort"),
            "env", mergeBy("name"),
            "volumeMounts", mergeBy("mountPath"),
            "volumeDevices", mergeBy("devicePath"));

    private static final Map<Class<?>, Map<String, FieldPatchStrategy>> TABLE = Map.ofEntries(
            Map.entry(ObjectMeta.class, Map.of(
                    "finalizers", new FieldPatchStrategy("merge", null),
                    "ownerReferences", mergeBy("uid"))),
            Map.entry(PodSpec.class, Map.of(
                    "volumes", new FieldPatchStrategy("merge,retainKeys", "name"),
                    "initContainers", mergeBy("name"),
                    "containers", mergeBy("name"),
                    "ephemeralContainers", mergeBy("name"),
                    "imagePullSecrets", mergeBy("name"),
                    "hostAliases", mergeBy("ip"),
                    "topologySpreadConstraints", mergeBy("topologyKey"),
                    "schedulingGates", mergeBy("name"),
                    "resourceClaims", new FieldPatchStrategy("merge,retainKeys", "name"))),
            Map.entry(Container.class, CONTAINER_FIELDS),
            Map.entry(EphemeralContainer.class, CONTAINER_FIELDS),
            Map.entry(PodStatus.class, Map.of(
                    "conditions", CONDITIONS,
                    "podIPs", mergeBy("ip"),
                    "hostIPs", mergeBy("ip"),
                    "resourceClaimStatuses", new FieldPatchStrategy("merge,retainKeys", "name"))),
            Map.entry(ContainerStatus.class, Map.of(
                    "volumeMounts", mergeBy("mountPath"),
                    "allocatedResourcesStatus", mergeBy("name"))),
            Map.entry(ServiceSpec.class, Map.of("ports", mergeBy("port"))),
            Map.entry(ServiceStatus.class, Map.of("conditions", CONDITIONS)),
            Map.entry(ServiceAccount.class, Map.of("secrets", mergeBy("name"))),
            Map.entry(NodeSpec.class, Map.of("podCIDRs", new FieldPatchStrategy("merge", null))),
            Map.entry(NodeStatus.class, Map.of("conditions", CONDITIONS, "addresses", mergeBy("type"))),
            Map.entry(NamespaceStatus.class, Map.of("conditions", CONDITIONS)),
            Map.entry(PersistentVolumeClaimStatus.class, Map.of("conditions", CONDITIONS)),
            Map.entry(DeploymentSpec.class, Map.of("strategy", new FieldPatchStrategy("retainKeys", null))),
            Map.entry(DeploymentStatus.class, Map.of("conditions", CONDITIONS)),
            Map.entry(ReplicaSetStatus.class, Map.of("conditions", CONDITIONS)),
            Map.entry(DaemonSetStatus.class, Map.of("conditions", CONDITIONS)),
            Map.entry(StatefulSetStatus.class, Map.of("conditions", CONDITIONS)),
            Map.entry(JobStatus.class, Map.of("conditions", CONDITIONS)),
            Map.entry(PodDisruptionBudgetStatus.class, Map.of("conditions", CONDITIONS)),
            Map.entry(HorizontalPodAutoscalerStatus.class, Map.of("conditions", CONDITIONS)));

    private PatchMetadata() {
    }

    /**
     * The patch strategy of the JSON field {@code jsonField} of the Fabric8 model class {@code owner}
     * (for example {@code PodSpec.class, "containers"} → merge on "name"); empty where the field
     * is replaced as a whole.
     */
    public static Optional<FieldPatchStrategy> strategy(Class<?> owner, String jsonField) {
        return Optional.ofNullable(TABLE.getOrDefault(owner, Map.of()).get(jsonField));
    }

    private static FieldPatchStrategy mergeBy(String mergeKey) {
        return new FieldPatchStrategy("merge", mergeKey);
    }
}
