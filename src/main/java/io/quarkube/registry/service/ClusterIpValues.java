package io.quarkube.registry.service;

import java.util.OptionalLong;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkube.json.Json;

/** Service cluster IPs as networking.k8s.io/v1 IPAddress objects, as kube-apiserver 1.33 records them. */
public record ClusterIpValues(IpRange range) implements RangeAllocator.Values {

    public static final String MANAGED_BY = "ipallocator.k8s.io";

    @Override
    public long size() {
        return range.size();
    }

    @Override
    public String nameAt(long offset) {
        return range.addressAt(offset);
    }

    @Override
    public OptionalLong offsetOf(String name) {
        return range.offsetOf(name);
    }

    /** kube's calculateRangeOffset for IPs: a sixteenth of the range, at least 16 and at most 256. */
    @Override
    public long staticBand() {
        long size = range.size();
        return size < 16 ? 0 : Math.max(16, Math.min(256, size / 16));
    }

    @Override
    public ObjectNode allocationObject(String name, RangeAllocator.Owner owner) {
        ObjectNode address = Json.object().put("apiVersion", "networking.k8s.io/v1").put("kind", "IPAddress");
        address.putObject("metadata").put("name", name).putObject("labels")
                .put("ipaddress.kubernetes.io/ip-family", "IPv4")
                .put("ipaddress.kubernetes.io/managed-by", MANAGED_BY);
        RangeAllocator.Owner.write(address.putObject("spec"), owner);
        return address;
    }
}
