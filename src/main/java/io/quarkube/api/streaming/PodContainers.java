package io.quarkube.api.streaming;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkube.registry.StatusException;

/**
 * Picks the container a log, exec or attach request is about, as kube-apiserver's
 * {@code validateContainer} does: the named one if the pod has it, else the only container.
 */
final class PodContainers {

    private PodContainers() {
    }

    /** The container to use; 400 BadRequest with kube-apiserver's messages when there is no single choice. */
    static String resolve(ObjectNode pod, String requested) {
        String podName = pod.path("metadata").path("name").asText();
        JsonNode spec = pod.path("spec");
        if (requested != null && !requested.isEmpty()) {
            if (!allNames(spec).contains(requested)) {
                throw StatusException.badRequest("container " + requested + " is not valid for pod " + podName);
            }
            return requested;
        }
        JsonNode containers = spec.path("containers");
        if (containers.size() == 1) {
            return containers.get(0).path("name").asText();
        }
        if (containers.isEmpty()) {
            throw StatusException.badRequest("a container name must be specified for pod " + podName);
        }
        // Go prints a []string as [a b c]
        throw StatusException.badRequest("a container name must be specified for pod " + podName + ", choose one of: ["
                + String.join(" ", allNames(spec)) + "]");
    }

    /** Init containers, containers, then ephemeral containers: the order kube visits them in. */
    private static List<String> allNames(JsonNode spec) {
        List<String> names = new ArrayList<>();
        for (String field : List.of("initContainers", "containers", "ephemeralContainers")) {
            for (JsonNode container : spec.path(field)) {
                names.add(container.path("name").asText());
            }
        }
        return names;
    }
}
