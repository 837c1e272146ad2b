package io.quarkube.registry.service;

import java.util.OptionalLong;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkube.json.Json;

/** Node ports as internal {@link ServiceNodePort} objects named by the port number. */
public record NodePortValues(PortRange range) implements RangeAllocator.Values {

    @Override
    public long size() {
        return range.size();
    }

    @Override
    public String nameAt(long offset) {
        return Integer.toString(range.first() + (int) offset);
    }

    @Override
    public OptionalLong offsetOf(String name) {
        try {
            int port = Integer.parseInt(name);
            return range.contains(port) ? OptionalLong.of(port - range.first()) : OptionalLong.empty();
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** kube's calculateRangeOffset for ports: a thirty-second of the range, at least 16 and at most 128. */
    @Override
    public long staticBand() {
        long size = range.size();
        return size < 16 ? 0 : Math.max(16, Math.min(128, size / 32));
    }

    @Override
    public ObjectNode allocationObject(String name, RangeAllocator.Owner owner) {
        ObjectNode port = Json.object().put("apiVersion", ServiceNodePort.API_VERSION).put("kind", "ServiceNodePort");
        port.putObject("metadata").put("name", name);
        RangeAllocator.Owner.write(port.putObject("spec"), owner);
        return port;
    }
}
