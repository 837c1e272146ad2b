package io.quarkube.api.streaming;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkube.registry.StatusException;

/**
 * Where a node's agent serves its HTTPS API (the kubelet's port 10250): the node's address and
 * {@code status.daemonEndpoints.kubeletEndpoint.Port}.
 */
record KubeletEndpoint(String host, int port) {

    /** The kubelet's default port, used when the node does not report one. */
    static final int DEFAULT_PORT = 10250;
    /** kube-apiserver's --kubelet-preferred-address-types, with the internal IP first. */
    private static final List<String> ADDRESS_TYPES = List.of("InternalIP", "Hostname", "InternalDNS", "ExternalIP", "ExternalDNS");

    static KubeletEndpoint of(ObjectNode node) {
        String name = node.path("metadata").path("name").asText();
        JsonNode addresses = node.path("status").path("addresses");
        for (String type : ADDRESS_TYPES) {
            for (JsonNode address : addresses) {
                if (type.equals(address.path("type").asText()) && !address.path("address").asText().isEmpty()) {
                    return new KubeletEndpoint(address.path("address").asText(), port(node));
                }
            }
        }
        throw new StatusException(500, "InternalError", "Internal error occurred: no preferred addresses found; known addresses: "
                + addresses + " for node " + name, null, null, null, null, null);
    }

    private static int port(ObjectNode node) {
        int port = node.path("status").path("daemonEndpoints").path("kubeletEndpoint").path("Port").asInt(0);
        return port > 0 ? port : DEFAULT_PORT;
    }

    /** host:port, with an IPv6 literal in brackets. */
    String authority() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
