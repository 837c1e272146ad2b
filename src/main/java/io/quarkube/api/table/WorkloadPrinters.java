package io.quarkube.api.table;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkube.api.table.Cells.ContainerCells;
import io.quarkube.registry.LabelSelector;

/** apps/v1 kinds: deployments, replica sets, daemon sets, stateful sets and controller revisions. */
final class WorkloadPrinters {

    private WorkloadPrinters() {
    }

    static void registerAll(PrinterRegistry registry) {
        registry.register("apps", "Deployment", TablePrinter.of(List.of(
                Column.objectName(),
                Column.string("Ready", "Number of the pod with ready state"),
                Column.string("Up-to-date", "Total number of non-terminated pods targeted by this deployment that "
                        + "have the desired template spec."),
                Column.string("Available", "Total number of available pods (ready for at least minReadySeconds) "
                        + "targeted by this deployment."),
                Column.age(),
                Column.containers(),
                Column.images(),
                Column.selector("Label selector for pods. Existing ReplicaSets whose pods are selected by this will "
                        + "be the ones affected by this deployment.")),
                WorkloadPrinters::deployment));
        registry.register("apps", "ReplicaSet", TablePrinter.of(List.of(
                Column.objectName(),
                Column.integer("Desired", "Replicas is the number of desired replicas."),
                Column.integer("Current", "Replicas is the most recently observed number of replicas."),
                Column.integer("Ready", "The number of ready replicas for this replica set."),
                Column.age(),
                Column.containers(),
                Column.images(),
                Column.selector("Selector is a label query over pods that should match the replica count.")),
                WorkloadPrinters::replicaSet));
        registry.register("apps", "DaemonSet", TablePrinter.of(List.of(
                Column.objectName(),
                Column.integer("Desired", "The total number of nodes that should be running the daemon pod."),
                Column.integer("Current", "The number of nodes that are running at least 1 daemon pod and are "
                        + "supposed to run the daemon pod."),
                Column.integer("Ready", "The number of nodes that should be running the daemon pod and have one or "
                        + "more of the daemon pod running and ready."),
                Column.integer("Up-to-date", "The total number of nodes that are running updated daemon pod"),
                Column.integer("Available", "The number of nodes that should be running the daemon pod and have one "
                        + "or more of the daemon pod running and available."),
                Column.string("Node Selector", "NodeSelector is a selector which must be true for the pod to fit on "
                        + "a node."),
                Column.age(),
                Column.containers(),
                Column.images(),
                Column.selector("A label query over pods that are managed by the daemon set.")),
                WorkloadPrinters::daemonSet));
        registry.register("apps", "StatefulSet", TablePrinter.of(List.of(
                Column.objectName(),
                Column.string("Ready", "Number of the pod with ready state"),
                Column.age(),
                Column.containers(),
                Column.images()),
                WorkloadPrinters::statefulSet));
        registry.register("apps", "ControllerRevision", TablePrinter.of(List.of(
                Column.objectName(),
                Column.string("Controller", "Controller of the object"),
                Column.string("Revision", "Revision indicates the revision of the state represented by Data."),
                Column.age()),
                WorkloadPrinters::controllerRevision));
    }

    private static List<Object> deployment(JsonNode deployment, Instant now) {
        JsonNode status = deployment.path("status");
        ContainerCells containers = ContainerCells.of(deployment.at("/spec/template/spec"));
        return List.of(
                Cells.name(deployment),
                status.path("readyReplicas").asLong() + "/" + deployment.at("/spec/replicas").asLong(),
                status.path("updatedReplicas").asLong(),
                status.path("availableReplicas").asLong(),
                Times.age(deployment, now),
                containers.names(),
                containers.images(),
                LabelSelector.textOf(deployment.at("/spec/selector")));
    }

    private static List<Object> replicaSet(JsonNode replicaSet, Instant now) {
        JsonNode status = replicaSet.path("status");
        ContainerCells containers = ContainerCells.of(replicaSet.at("/spec/template/spec"));
        return List.of(
                Cells.name(replicaSet),
                replicaSet.at("/spec/replicas").asLong(),
                status.path("replicas").asLong(),
                status.path("readyReplicas").asLong(),
                Times.age(replicaSet, now),
                containers.names(),
                containers.images(),
                Labels.formatSelector(replicaSet.at("/spec/selector")));
    }

    private static List<Object> daemonSet(JsonNode daemonSet, Instant now) {
        JsonNode status = daemonSet.path("status");
        ContainerCells containers = ContainerCells.of(daemonSet.at("/spec/template/spec"));
        return List.of(
                Cells.name(daemonSet),
                status.path("desiredNumberScheduled").asLong(),
                status.path("currentNumberScheduled").asLong(),
                status.path("numberReady").asLong(),
                status.path("updatedNumberScheduled").asLong(),
                status.path("numberAvailable").asLong(),
                Labels.formatMap(daemonSet.at("/spec/template/spec/nodeSelector")),
                Times.age(daemonSet, now),
                containers.names(),
                containers.images(),
                Labels.formatSelector(daemonSet.at("/spec/selector")));
    }

    private static List<Object> statefulSet(JsonNode statefulSet, Instant now) {
        ContainerCells containers = ContainerCells.of(statefulSet.at("/spec/template/spec"));
        return List.of(
                Cells.name(statefulSet),
                statefulSet.at("/status/readyReplicas").asLong() + "/" + statefulSet.at("/spec/replicas").asLong(),
                Times.age(statefulSet, now),
                containers.names(),
                containers.images());
    }

    private static List<Object> controllerRevision(JsonNode revision, Instant now) {
        return List.of(
                Cells.name(revision),
                controllerName(revision),
                revision.path("revision").asLong(),
                Times.age(revision, now));
    }

    /** The owning controller as "statefulset.apps/web", {@code <none>} without one. */
    private static String controllerName(JsonNode object) {
        for (JsonNode owner : object.at("/metadata/ownerReferences")) {
            if (owner.path("controller").asBoolean(false)) {
                String apiVersion = owner.path("apiVersion").asText();
                int slash = apiVersion.indexOf('/');
                String group = slash < 0 ? "" : apiVersion.substring(0, slash);
                String groupKind = owner.path("kind").asText() + (group.isEmpty() ? "" : "." + group);
                return groupKind.toLowerCase(Locale.ROOT) + "/" + owner.path("name").asText();
            }
        }
        return Cells.NONE;
    }
}
