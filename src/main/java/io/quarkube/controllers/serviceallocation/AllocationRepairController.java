package io.quarkube.controllers.serviceallocation;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.networking.v1.IPAddress;
import io.quarkube.client.ApiClient;
import io.quarkube.client.Informer;
import io.quarkube.controllers.runtime.Controller;
import io.quarkube.controllers.runtime.ObjectRef;
import io.quarkube.controllers.runtime.Reconciler;
import io.quarkube.controllers.runtime.Result;
import io.quarkube.controllers.runtime.Watches;
import io.quarkube.json.Json;
import io.quarkube.registry.DeleteOptions;
import io.quarkube.registry.service.ClusterIpValues;
import io.quarkube.registry.service.IpRange;
import io.quarkube.registry.service.NodePortValues;
import io.quarkube.registry.service.PortRange;
import io.quarkube.registry.service.RangeAllocator;
import io.quarkube.registry.service.ServiceNodePort;
import io.quarkube.registry.service.ServicesConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;

/**
 * Checks the allocation records (IPAddress objects, node port records) against the Services, as
 * kube-apiserver's ClusterIP and NodePort repair loops do: a Service holding a value without a
 * record (stored before records existed) gets one, so nobody else is handed that value; a record of
 * the allocator that no Service holds (left by a replica that stopped between taking a value and
 * writing its Service) is removed once two checks in a row found it so, which a create in flight
 * never is. Records written by others (an IPAddress a user reserved) are left alone.
 */
@ApplicationScoped
public class AllocationRepairController implements Controller, Reconciler {

    private static final Logger LOG = Logger.getLogger(AllocationRepairController.class);
    /** The single key: every pass looks at everything. */
    static final ObjectRef ALL = new ObjectRef("", "all");

    @Inject
    ApiClient api;
    @Inject
    Vertx vertx;
    @Inject
    ServicesConfig config;

    private Informer<Service> services;
    private Informer<IPAddress> ipAddresses;
    private Informer<ServiceNodePort> nodePorts;
    private Watches watches;
    /** Records found unheld by the previous pass: kind/name to uid. */
    private final Map<String, String> suspects = new HashMap<>();

    @Override
    public String name() {
        return "service-allocation-repair";
    }

    @Override
    public Uni<Void> start() {
        watches = new Watches(name(), this, api, vertx, 1);
        services = watches.cache(Service.class);
        ipAddresses = watches.cache(IPAddress.class);
        nodePorts = watches.cache(ServiceNodePort.class);
        return watches.start().invoke(() -> watches.enqueue(ALL));
    }

    @Override
    public void stop() {
        if (watches != null) {
            watches.stop();
        }
    }

    boolean running() {
        return watches != null && watches.running();
    }

    @Override
    public Uni<Result> reconcile(ObjectRef key) {
        return repair().replaceWith(Result.requeueAfter(config.repairInterval()));
    }

    /** One pass over every Service and record. */
    synchronized Uni<Void> repair() {
        Map<String, RangeAllocator.Owner> heldIps = new HashMap<>();
        Map<String, RangeAllocator.Owner> heldPorts = new HashMap<>();
        for (Service service : services.list()) {
            RangeAllocator.Owner owner = new RangeAllocator.Owner(service.getMetadata().getNamespace(), service.getMetadata().getName());
            String ip = service.getSpec() == null ? null : service.getSpec().getClusterIP();
            if (ip != null && !ip.isEmpty() && !"None".equals(ip) && !"ExternalName".equals(service.getSpec().getType())) {
                heldIps.put(ip, owner);
            }
            if (service.getSpec() != null && service.getSpec().getPorts() != null) {
                for (ServicePort port : service.getSpec().getPorts()) {
                    if (port.getNodePort() != null && port.getNodePort() > 0) {
                        heldPorts.put(Integer.toString(port.getNodePort()), owner);
                    }
                }
                Integer healthCheck = service.getSpec().getHealthCheckNodePort();
                if (healthCheck != null && healthCheck > 0) {
                    heldPorts.put(Integer.toString(healthCheck), owner);
                }
            }
        }
        List<Uni<? extends HasMetadata>> writes = new ArrayList<>();
        Set<String> stillSuspect = new HashSet<>();
        ClusterIpValues ipValues = new ClusterIpValues(IpRange.parse(config.clusterIpRange()));
        NodePortValues portValues = new NodePortValues(PortRange.parse(config.nodePortRange()));
        repairKind("IPAddress", ipAddresses.list(), heldIps, stillSuspect, writes,
                (name, owner) -> api.create(Json.MAPPER.convertValue(ipValues.allocationObject(name, owner), IPAddress.class)),
                record -> ClusterIpValues.MANAGED_BY.equals(label(record, "ipaddress.kubernetes.io/managed-by")),
                record -> IPAddress.class);
        repairKind("ServiceNodePort", nodePorts.list(), heldPorts, stillSuspect, writes,
                (name, owner) -> api.create(Json.MAPPER.convertValue(portValues.allocationObject(name, owner), ServiceNodePort.class)),
                record -> true, record -> ServiceNodePort.class);
        suspects.keySet().retainAll(stillSuspect);
        if (writes.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Uni<HasMetadata>> tolerant = writes.stream()
                .map(write -> write.map(o -> (HasMetadata) o).onFailure(ApiClient::isConflict).recoverWithNull()).toList();
        return api.settle(tolerant).replaceWithVoid();
    }

    private <T extends HasMetadata> void repairKind(String kind, java.util.Collection<T> records, Map<String, RangeAllocator.Owner> held,
            Set<String> stillSuspect, List<Uni<? extends HasMetadata>> writes,
            java.util.function.BiFunction<String, RangeAllocator.Owner, Uni<? extends HasMetadata>> create,
            java.util.function.Predicate<T> ours, java.util.function.Function<T, Class<? extends HasMetadata>> type) {
        Map<String, T> byName = new HashMap<>();
        records.forEach(record -> byName.put(record.getMetadata().getName(), record));
        held.forEach((name, owner) -> {
            if (!byName.containsKey(name)) {
                LOG.infof("service %s/%s holds %s %s without a record: recording it", owner.namespace(), owner.name(), kind, name);
                writes.add(create.apply(name, owner));
            }
        });
        for (T record : records) {
            String name = record.getMetadata().getName();
            RangeAllocator.Owner owner = held.get(name);
            JsonNode parent = Json.MAPPER.valueToTree(record).path("spec").path("parentRef");
            boolean heldByParent = owner != null && owner.namespace().equals(parent.path("namespace").asText())
                    && owner.name().equals(parent.path("name").asText());
            if (heldByParent || !ours.test(record)) {
                continue;
            }
            String key = kind + "/" + name;
            String uid = record.getMetadata().getUid();
            if (uid.equals(suspects.get(key))) {
                LOG.infof("%s %s is held by no Service: releasing it", kind, name);
                writes.add(api.deleteObject(type.apply(record), "", name, new DeleteOptions(false, null, null, uid, null)));
            } else {
                suspects.put(key, uid);
                stillSuspect.add(key);
            }
        }
    }

    private static String label(HasMetadata object, String key) {
        return object.getMetadata().getLabels() == null ? null : object.getMetadata().getLabels().get(key);
    }
}
