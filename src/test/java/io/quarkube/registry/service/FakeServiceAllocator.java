package io.quarkube.registry.service;

/** Hands out 10.96.0.1, 10.96.0.2, ... and 30000, 30001, ...; counts what it handed out. */
final class FakeServiceAllocator implements ServiceAllocator {

    private int clusterIps;
    private int nodePorts;

    @Override
    public String allocateClusterIp() {
        return "10.96.0." + (++clusterIps);
    }

    @Override
    public int allocateNodePort() {
        return 30000 + nodePorts++;
    }

    int clusterIpsAllocated() {
        return clusterIps;
    }

    int nodePortsAllocated() {
        return nodePorts;
    }
}
