package io.quarkube.api.table;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/** Pods: NAME READY STATUS RESTARTS AGE, wide IP NODE NOMINATED NODE READINESS GATES. */
final class PodPrinter implements TablePrinter {

    private static final List<Column> COLUMNS = List.of(
            Column.objectName(),
            Column.string("Ready", "The aggregate readiness state of this pod for accepting traffic."),
            Column.string("Status", "The aggregate status of the containers in this pod."),
            Column.string("Restarts", "The number of times the containers in this pod have been restarted and when "
                    + "the last container in this pod has restarted."),
            Column.age(),
            Column.string("IP", "IP address allocated to the pod. Routable at least within the cluster.").wide(),
            Column.string("Node", "NodeName indicates in which node this pod is scheduled.").wide(),
            Column.string("Nominated Node", "nominatedNodeName is set only when this pod preempts other pods on "
                    + "the node, but it cannot be scheduled right away as preemption victims receive their graceful "
                    + "termination periods.").wide(),
            Column.string("Readiness Gates", "If specified, all readiness gates will be evaluated for pod readiness.")
                    .wide());

    private static final RowCondition SUCCEEDED = new RowCondition("Completed", "True", "Succeeded",
            "The pod has completed successfully.");
    private static final RowCondition FAILED = new RowCondition("Completed", "True", "Failed", "The pod failed.");

    @Override
    public List<Column> columns() {
        return COLUMNS;
    }

    @Override
    public List<Object> cells(JsonNode pod, Instant now) {
        PodStatusSummary summary = PodStatusSummary.of(pod);
        JsonNode status = pod.path("status");
        return List.of(
                pod.at("/metadata/name").asText(),
                summary.readyContainers() + "/" + summary.totalContainers(),
                summary.reason(),
                summary.restartsCell(now),
                Times.age(pod, now),
                Cells.orElse(podIp(status), Cells.NONE),
                Cells.text(pod.at("/spec/nodeName"), Cells.NONE),
                Cells.text(status.path("nominatedNodeName"), Cells.NONE),
                readinessGates(pod));
    }

    @Override
    public List<RowCondition> conditions(JsonNode pod) {
        return switch (pod.at("/status/phase").asText()) {
            case "Succeeded" -> List.of(SUCCEEDED);
            case "Failed" -> List.of(FAILED);
            default -> List.of();
        };
    }

    private static String podIp(JsonNode status) {
        JsonNode podIps = status.path("podIPs");
        return podIps.isEmpty() ? status.path("podIP").asText() : podIps.get(0).path("ip").asText();
    }

    /** "1/2": how many of the pod's readiness gates have a True condition. */
    private static String readinessGates(JsonNode pod) {
        JsonNode gates = pod.at("/spec/readinessGates");
        if (gates.isEmpty()) {
            return Cells.NONE;
        }
        int trueGates = 0;
        for (JsonNode gate : gates) {
            String type = gate.path("conditionType").asText();
            for (JsonNode condition : pod.at("/status/conditions")) {
                if (type.equals(condition.path("type").asText())) {
                    if ("True".equals(condition.path("status").asText())) {
                        trueGates++;
                    }
                    break;
                }
            }
        }
        return trueGates + "/" + gates.size();
    }
}
