package io.quarkube.registry;

import io.quarkube.registry.apps.WorkloadStrategy;
import io.quarkube.registry.batch.CronJobStrategy;
import io.quarkube.registry.batch.JobStrategy;
import io.quarkube.registry.core.EventConversion;
import io.quarkube.registry.core.NamespaceStrategy;
import io.quarkube.registry.core.SecretStrategy;
import io.quarkube.registry.core.SelectableFieldsStrategy;
import io.quarkube.registry.pod.PodStrategy;
import io.quarkube.registry.networking.IPAddressStrategy;
import io.quarkube.registry.service.ServiceStrategy;

/** Which strategy holds each kind's rules, and how a resource stored as another one converts. */
final class Strategies {

    private Strategies() {
    }

    /** The conversion of a resource kept in another resource's storage (see {@link ResourceCatalog#storedAs}). */
    static Conversion conversion(ResourceType type) {
        return switch (type.groupResource()) {
            case "events.events.k8s.io" -> new EventConversion();
            default -> throw new IllegalArgumentException(type.groupResource() + " has storage of its own");
        };
    }

    static Strategy forType(ResourceType type) {
        return switch (type.groupResource()) {
            case "pods" -> new PodStrategy();
            case "services" -> new ServiceStrategy();
            case "ipaddresses.networking.k8s.io" -> IPAddressStrategy.ipAddresses();
            case "servicenodeports.internal.quarkube.io" -> IPAddressStrategy.nodePorts();
            case "namespaces" -> new NamespaceStrategy();
            case "secrets" -> new SecretStrategy();
            case "nodes" -> SelectableFieldsStrategy.node();
            case "events" -> SelectableFieldsStrategy.event();
            case "deployments.apps" -> WorkloadStrategy.deployment();
            case "replicasets.apps" -> WorkloadStrategy.replicaSet();
            case "statefulsets.apps" -> WorkloadStrategy.statefulSet();
            case "daemonsets.apps" -> WorkloadStrategy.daemonSet();
            case "jobs.batch" -> new JobStrategy();
            case "cronjobs.batch" -> new CronJobStrategy();
            case "poddisruptionbudgets.policy", "horizontalpodautoscalers.autoscaling" -> SelectableFieldsStrategy.withGeneration();
            default -> SelectableFieldsStrategy.plain();
        };
    }
}
