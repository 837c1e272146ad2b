package io.quarkube.api.table;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;

/** Nodes: NAME STATUS ROLES AGE VERSION, wide INTERNAL-IP EXTERNAL-IP OS-IMAGE KERNEL-VERSION CONTAINER-RUNTIME. */
final class NodePrinter implements TablePrinter {

    private static final String ROLE_LABEL_PREFIX = "node-role.kubernetes.io/";
    private static final String LEGACY_ROLE_LABEL = "kubernetes.io/role";
    private static final String ADDRESSES = "List of addresses reachable to the node.";

    private static final List<Column> COLUMNS = List.of(
            Column.objectName(),
            Column.string("Status", "The status of the node"),
            Column.string("Roles", "The roles of the node"),
            Column.age(),
            Column.string("Version", "Kubelet Version reported by the node."),
            Column.string("Internal-IP", ADDRESSES).wide(),
            Column.string("External-IP", ADDRESSES).wide(),
            Column.string("OS-Image", "OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux "
                    + "7 (wheezy)).").wide(),
            Column.string("Kernel-Version", "Kernel Version reported by the node from 'uname -r' (e.g. "
                    + "3.16.0-0.bpo.4-amd64).").wide(),
            Column.string("Container-Runtime", "ContainerRuntime Version reported by the node through runtime "
                    + "remote API (e.g. containerd://1.4.2).").wide());

    @Override
    public List<Column> columns() {
        return COLUMNS;
    }

    @Override
    public List<Object> cells(JsonNode node, Instant now) {
        JsonNode nodeInfo = node.at("/status/nodeInfo");
        return List.of(
                Cells.name(node),
                status(node),
                roles(node),
                Times.age(node, now),
                nodeInfo.path("kubeletVersion").asText(),
                address(node, "InternalIP"),
                address(node, "ExternalIP"),
                Cells.text(nodeInfo.path("osImage"), Times.UNKNOWN),
                Cells.text(nodeInfo.path("kernelVersion"), Times.UNKNOWN),
                Cells.text(nodeInfo.path("containerRuntimeVersion"), Times.UNKNOWN));
    }

    /** "Ready", "NotReady" or "Unknown" from the Ready condition, plus ",SchedulingDisabled" when cordoned. */
    static String status(JsonNode node) {
        List<String> status = new ArrayList<>();
        JsonNode ready = null;
        for (JsonNode condition : node.at("/status/conditions")) {
            if ("Ready".equals(condition.path("type").asText())) {
                ready = condition; // the last one wins, as when conditions are put in a map
            }
        }
        if (ready == null) {
            status.add("Unknown");
        } else {
            status.add("True".equals(ready.path("status").asText()) ? "Ready" : "NotReady");
        }
        if (node.at("/spec/unschedulable").asBoolean(false)) {
            status.add("SchedulingDisabled");
        }
        return String.join(",", status);
    }

    /** Sorted roles from {@code node-role.kubernetes.io/<role>} labels and the legacy {@code kubernetes.io/role}. */
    static String roles(JsonNode node) {
        TreeSet<String> roles = new TreeSet<>();
        node.at("/metadata/labels").fields().forEachRemaining(label -> {
            String key = label.getKey();
            if (key.startsWith(ROLE_LABEL_PREFIX) && key.length() > ROLE_LABEL_PREFIX.length()) {
                roles.add(key.substring(ROLE_LABEL_PREFIX.length()));
            } else if (key.equals(LEGACY_ROLE_LABEL) && !label.getValue().asText().isEmpty()) {
                roles.add(label.getValue().asText());
            }
        });
        return roles.isEmpty() ? Cells.NONE : String.join(",", roles);
    }

    private static String address(JsonNode node, String type) {
        for (JsonNode address : node.at("/status/addresses")) {
            if (type.equals(address.path("type").asText())) {
                return address.path("address").asText();
            }
        }
        return Cells.NONE;
    }
}
