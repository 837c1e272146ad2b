package io.quarkube.registry.service;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkube.json.Json;
import io.quarkube.registry.FieldError;
import io.quarkube.registry.ResourceType;
import io.quarkube.registry.StatusException;
import io.quarkube.registry.WriteHooks;
import io.quarkube.registry.service.RangeAllocator.AllocationException;
import io.quarkube.registry.service.RangeAllocator.Owner;
import io.smallrye.mutiny.Uni;

/**
 * A Service's cluster IP and node ports around its writes, as kube-apiserver's service REST
 * allocators: a create or update takes what the Service newly needs (the values it asks for, or
 * free ones) before the write; a failed write gives them back, a successful one gives back what the
 * old state held and the new one no longer does (a type change, a changed node port); a delete
 * gives back everything.
 */
public final class ServiceAllocations implements WriteHooks {

    private final ResourceType services;
    private final RangeAllocator clusterIps;
    private final RangeAllocator nodePorts;
    private final String clusterIpRange;
    private final String nodePortRange;

    public ServiceAllocations(ResourceType services, RangeAllocator clusterIps, IpRange ipRange,
            RangeAllocator nodePorts, PortRange portRange) {
        this.services = services;
        this.clusterIps = clusterIps;
        this.nodePorts = nodePorts;
        this.clusterIpRange = ipRange.cidr();
        this.nodePortRange = portRange.toString();
    }

    @Override
    public Uni<Transaction> beginCreate(ObjectNode service, boolean dryRun) {
        return begin(service, null, dryRun);
    }

    @Override
    public Uni<Transaction> beginUpdate(ObjectNode service, ObjectNode old, boolean dryRun) {
        return begin(service, old, dryRun);
    }

    @Override
    public Uni<Void> afterDelete(ObjectNode service) {
        Owner owner = Owner.of(service);
        return releaseAll(owner, clusterIp(service), nodePorts(service));
    }

    private Uni<Transaction> begin(ObjectNode service, ObjectNode old, boolean dryRun) {
        Owner owner = Owner.of(service);
        Allocation allocation = new Allocation(owner, dryRun, old == null ? null : clusterIp(old),
                old == null ? Set.of() : nodePorts(old));
        return allocation.clusterIp(service).flatMap(ignored -> allocation.nodePorts(service, 0))
                .replaceWith((Transaction) allocation)
                .onFailure().call(failure -> allocation.revert());
    }

    /** The Service's cluster IP when it holds one (not headless, not ExternalName), else null. */
    static String clusterIp(JsonNode service) {
        JsonNode spec = service.path("spec");
        String ip = spec.path("clusterIP").asText("");
        return ip.isEmpty() || "None".equals(ip) || "ExternalName".equals(spec.path("type").asText()) ? null : ip;
    }

    /** The node ports the Service holds (its ports' and the health check's). */
    static Set<Integer> nodePorts(JsonNode service) {
        Set<Integer> ports = new LinkedHashSet<>();
        JsonNode spec = service.path("spec");
        spec.path("ports").forEach(port -> {
            if (port.path("nodePort").asInt(0) > 0) {
                ports.add(port.path("nodePort").asInt());
            }
        });
        if (spec.path("healthCheckNodePort").asInt(0) > 0) {
            ports.add(spec.path("healthCheckNodePort").asInt());
        }
        return ports;
    }

    private static boolean needsNodePorts(JsonNode spec) {
        return ServiceStrategy.needsNodePorts(spec);
    }

    private Uni<Void> releaseAll(Owner owner, String ip, Set<Integer> ports) {
        List<Uni<Void>> releases = new ArrayList<>();
        if (ip != null) {
            releases.add(clusterIps.release(ip, owner));
        }
        ports.forEach(port -> releases.add(nodePorts.release(Integer.toString(port), owner)));
        return releases.isEmpty() ? Uni.createFrom().voidItem() : Uni.join().all(releases).andCollectFailures().replaceWithVoid();
    }

    /** What one write took and what its old state held. */
    private final class Allocation implements Transaction {
        private final Owner owner;
        private final boolean dryRun;
        private final String oldIp;
        private final Set<Integer> oldPorts;
        private String takenIp;
        private final Set<Integer> takenPorts = new LinkedHashSet<>();
        private String newIp;
        private final Set<Integer> newPorts = new LinkedHashSet<>();

        Allocation(Owner owner, boolean dryRun, String oldIp, Set<Integer> oldPorts) {
            this.owner = owner;
            this.dryRun = dryRun;
            this.oldIp = oldIp;
            this.oldPorts = oldPorts;
        }

        Uni<Void> clusterIp(ObjectNode service) {
            ObjectNode spec = Json.with(service, "spec");
            if ("ExternalName".equals(spec.path("type").asText()) || "None".equals(spec.path("clusterIP").asText())) {
                return Uni.createFrom().voidItem();
            }
            String requested = spec.path("clusterIP").asText("");
            if (requested.isEmpty() && oldIp != null) {
                requested = oldIp;
            }
            if (requested.equals(oldIp)) {
                newIp = oldIp;
                return Uni.createFrom().voidItem();
            }
            if (requested.isEmpty()) {
                return clusterIps.allocateNext(owner, dryRun).invoke(ip -> assigned(spec, ip))
                        .onFailure(AllocationException.class)
                        .transform(e -> internal("failed to allocate a serviceIP: range is full"))
                        .replaceWithVoid();
            }
            String ip = requested;
            return clusterIps.allocate(ip, owner, dryRun).invoke(() -> assigned(spec, ip))
                    .onFailure(AllocationException.class).transform(e -> invalid(service, new FieldError("FieldValueInvalid",
                            "spec.clusterIPs", "Invalid value: []string{\"" + ip + "\"}: failed to allocate IP " + ip + ": "
                                    + ipMessage((AllocationException) e, ip))));
        }

        private void assigned(ObjectNode spec, String ip) {
            newIp = ip;
            takenIp = dryRun ? null : ip;
            spec.put("clusterIP", ip);
            spec.putArray("clusterIPs").add(ip);
        }

        /** Ports from index on, one after the other: a failure stops at the port that failed. */
        Uni<Void> nodePorts(ObjectNode service, int index) {
            JsonNode spec = service.path("spec");
            JsonNode ports = spec.path("ports");
            if (index >= ports.size()) {
                return healthCheckNodePort(service);
            }
            ObjectNode port = (ObjectNode) ports.get(index);
            int requested = port.path("nodePort").asInt(0);
            if (requested == 0 && !needsNodePorts(spec)) {
                return nodePorts(service, index + 1);
            }
            return nodePort(service, requested, "spec.ports[" + index + "].nodePort", chosen -> port.put("nodePort", chosen))
                    .flatMap(ignored -> nodePorts(service, index + 1));
        }

        private Uni<Void> healthCheckNodePort(ObjectNode service) {
            ObjectNode spec = Json.with(service, "spec");
            int requested = spec.path("healthCheckNodePort").asInt(0);
            boolean needed = "LoadBalancer".equals(spec.path("type").asText()) && "Local".equals(spec.path("externalTrafficPolicy").asText());
            if (requested == 0 && !needed) {
                return Uni.createFrom().voidItem();
            }
            return nodePort(service, requested, "spec.healthCheckNodePort", chosen -> spec.put("healthCheckNodePort", chosen));
        }

        /** The requested port (0: any) for this Service, kept when its old state or another of its ports holds it. */
        private Uni<Void> nodePort(ObjectNode service, int requested, String field, java.util.function.IntConsumer assign) {
            if (requested != 0 && (oldPorts.contains(requested) || newPorts.contains(requested))) {
                newPorts.add(requested);
                return Uni.createFrom().voidItem();
            }
            if (requested == 0) {
                return nodePorts.allocateNext(owner, dryRun).map(Integer::parseInt).invoke(port -> {
                    assign.accept(port);
                    taken(port);
                }).onFailure(AllocationException.class)
                        .transform(e -> internal("failed to allocate a nodePort: range is full")).replaceWithVoid();
            }
            return nodePorts.allocate(Integer.toString(requested), owner, dryRun).invoke(() -> taken(requested))
                    .onFailure(AllocationException.class).transform(e -> invalid(service,
                            FieldError.invalid(field, requested, portMessage((AllocationException) e))));
        }

        private void taken(int port) {
            newPorts.add(port);
            if (!dryRun) {
                takenPorts.add(port);
            }
        }

        @Override
        public Uni<Void> commit() {
            Set<Integer> released = new LinkedHashSet<>(oldPorts);
            released.removeAll(newPorts);
            return releaseAll(owner, oldIp != null && !oldIp.equals(newIp) ? oldIp : null, released);
        }

        @Override
        public Uni<Void> revert() {
            return releaseAll(owner, takenIp, takenPorts);
        }
    }

    private String ipMessage(AllocationException e, String ip) {
        return e.reason() == AllocationException.Reason.NOT_IN_RANGE
                ? "the provided IP (" + ip + ") is not in the valid range. The range of valid IPs is " + clusterIpRange
                : "provided IP is already allocated";
    }

    private String portMessage(AllocationException e) {
        return e.reason() == AllocationException.Reason.NOT_IN_RANGE
                ? "provided port is not in the valid range. The range of valid ports is " + nodePortRange
                : "provided port is already allocated";
    }

    private StatusException invalid(ObjectNode service, FieldError error) {
        return StatusException.invalid(services, Json.text(service, "metadata", "name"), List.of(error));
    }

    private static StatusException internal(String message) {
        return new StatusException(500, "InternalError", "Internal error occurred: " + message, null, null, null, null, null);
    }
}
