package io.quarkube.registry.service;

/** Hands out service cluster IPs and node ports that no other service holds. */
public interface ServiceAllocator {

    String allocateClusterIp();

    int allocateNodePort();
}
