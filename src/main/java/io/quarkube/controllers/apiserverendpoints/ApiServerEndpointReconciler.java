package io.quarkube.controllers.apiserverendpoints;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.fabric8.kubernetes.api.model.EndpointAddressBuilder;
import io.fabric8.kubernetes.api.model.EndpointPortBuilder;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.EndpointSubsetBuilder;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseSpec;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.quarkube.client.ApiClient;
import io.quarkube.json.Json;
import io.quarkube.registry.DeleteOptions;
import io.quarkube.registry.service.ServicesConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;

/**
 * Keeps the Endpoints and EndpointSlice of the {@code kubernetes} Service in {@code default} pointing at
 * the API server replicas that are up, as kube-apiserver's lease endpoint reconciler does: every
 * replica (leader or not) renews a Lease of its own address in kube-system and rewrites the
 * endpoints from the Leases not yet expired; a replica shutting down removes its Lease and itself.
 */
@ApplicationScoped
public class ApiServerEndpointReconciler {

    private static final Logger LOG = Logger.getLogger(ApiServerEndpointReconciler.class);
    static final String SERVICE = "kubernetes";
    static final String NAMESPACE = "default";
    static final String LEASE_NAMESPACE = "kube-system";
    /** Marks the Leases that carry an API server's address. */
    static final String LEASE_LABEL = "quarkube.io/apiserver-endpoint";

    @Inject
    ApiClient api;
    @Inject
    Vertx vertx;
    @Inject
    ServicesConfig services;
    @ConfigProperty(name = "quarkus.http.ssl-port", defaultValue = "6443")
    int port;
    @ConfigProperty(name = "quarkus.http.host", defaultValue = "127.0.0.1")
    String host;

    private static final int RECONCILE_ATTEMPTS = 4;

    private long timer = -1;

    /**
     * After the system objects exist. The first round runs beside the rest of the start rather than
     * before the API serves, as kube-apiserver's endpoint reconciler does: the endpoints appear within
     * moments, and the start does not wait on a Lease write and two endpoint writes.
     */
    void onStart(@Observes @Priority(Interceptor.Priority.APPLICATION + 900) StartupEvent event) {
        reconcileInBackground();
        long period = Math.max(1000, services.endpoints().apiServerLeaseDuration().toMillis() * 2 / 3);
        timer = vertx.setPeriodic(period, id -> reconcileInBackground());
    }

    private void reconcileInBackground() {
        renewAndReconcile().subscribe().with(ignored -> {
        }, failure -> LOG.debugf("could not reconcile the kubernetes endpoints: %s", failure.getMessage()));
    }

    /** Before storage stops: this replica leaves the endpoints at once rather than when its Lease expires. */
    void onStop(@Observes @Priority(Interceptor.Priority.APPLICATION) ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
        try {
            api.delete(Lease.class, LEASE_NAMESPACE, leaseName(), DeleteOptions.DEFAULT)
                    .flatMap(ignored -> reconcile()).await().atMost(Duration.ofSeconds(5));
        } catch (RuntimeException e) {
            LOG.debugf("could not remove this replica from the kubernetes endpoints: %s", e.getMessage());
        }
    }

    Uni<Void> renewAndReconcile() {
        return renewLease().flatMap(ignored -> reconcile());
    }

    /** This replica's address: the bind address when it is one concrete IP, else loopback. */
    String address() {
        boolean literal = host.matches("[0-9.]+");
        return literal && !"0.0.0.0".equals(host) ? host : "127.0.0.1";
    }

    String leaseName() {
        return "apiserver-endpoint-" + address().replace('.', '-') + "-" + port;
    }

    private Uni<Void> renewLease() {
        ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
        int seconds = (int) Math.max(1, services.endpoints().apiServerLeaseDuration().toSeconds());
        String holder = address() + ":" + port;
        return api.get(Lease.class, LEASE_NAMESPACE, leaseName()).flatMap(current -> {
            if (current == null) {
                Lease lease = new Lease();
                lease.setMetadata(new ObjectMetaBuilder().withNamespace(LEASE_NAMESPACE).withName(leaseName())
                        .withLabels(Map.of(LEASE_LABEL, "true")).build());
                lease.setSpec(new LeaseSpec(now, holder, seconds, 0, null, now, null));
                return api.create(lease).replaceWithVoid();
            }
            current.getSpec().setHolderIdentity(holder);
            current.getSpec().setRenewTime(now);
            current.getSpec().setLeaseDurationSeconds(seconds);
            return api.update(current).replaceWithVoid();
        }).onFailure(ApiClient::isConflict).recoverWithNull().replaceWithVoid();
    }

    /**
     * Rewrites the endpoints from the live Leases. A write lost to another writer (another replica,
     * or this one's periodic round) starts the round again from a fresh read, a few times; one still
     * lost then is left to the next round.
     */
    Uni<Void> reconcile() {
        return Uni.createFrom().deferred(() -> api.list(Lease.class, LEASE_NAMESPACE, LEASE_LABEL + "=true").flatMap(leases -> {
            SortedMap<Integer, SortedSet<String>> addressesByPort = live(leases, ZonedDateTime.now(ZoneOffset.UTC));
            return writeEndpoints(addressesByPort).flatMap(ignored -> writeSlices(addressesByPort));
        })).onFailure(ApiServerEndpointReconciler::lostToAnotherWriter).retry().atMost(RECONCILE_ATTEMPTS - 1)
                .onFailure(ApiServerEndpointReconciler::lostToAnotherWriter).recoverWithNull().replaceWithVoid();
    }

    /** A 409, alone or as the first failure of writes run together ({@link ApiClient#settle}). */
    private static boolean lostToAnotherWriter(Throwable failure) {
        return ApiClient.isConflict(failure) || failure.getCause() != null && ApiClient.isConflict(failure.getCause());
    }

    /** The addresses of unexpired Leases by port. */
    static SortedMap<Integer, SortedSet<String>> live(List<Lease> leases, ZonedDateTime now) {
        SortedMap<Integer, SortedSet<String>> byPort = new TreeMap<>();
        for (Lease lease : leases) {
            LeaseSpec spec = lease.getSpec();
            if (spec == null || spec.getHolderIdentity() == null || spec.getRenewTime() == null) {
                continue;
            }
            int seconds = Objects.requireNonNullElse(spec.getLeaseDurationSeconds(), 15);
            if (spec.getRenewTime().plusSeconds(seconds).isBefore(now)) {
                continue;
            }
            String holder = spec.getHolderIdentity();
            int colon = holder.lastIndexOf(':');
            if (colon > 0) {
                byPort.computeIfAbsent(Integer.parseInt(holder.substring(colon + 1)), p -> new TreeSet<>())
                        .add(holder.substring(0, colon));
            }
        }
        return byPort;
    }

    private Uni<Void> writeEndpoints(SortedMap<Integer, SortedSet<String>> addressesByPort) {
        List<EndpointSubset> subsets = new ArrayList<>();
        addressesByPort.forEach((port, addresses) -> subsets.add(new EndpointSubsetBuilder()
                .withAddresses(addresses.stream().map(ip -> new EndpointAddressBuilder().withIp(ip).build()).toList())
                .withPorts(new EndpointPortBuilder().withName("https").withPort(port).withProtocol("TCP").build()).build()));
        return api.get(Endpoints.class, NAMESPACE, SERVICE).flatMap(current -> {
            Endpoints desired = current != null ? current : new Endpoints();
            if (current == null) {
                desired.setMetadata(new ObjectMetaBuilder().withNamespace(NAMESPACE).withName(SERVICE)
                        .withLabels(Map.of("endpointslice.kubernetes.io/skip-mirror", "true")).build());
            } else if (sameJson(current.getSubsets(), subsets)) {
                return Uni.createFrom().voidItem();
            }
            desired.setSubsets(subsets);
            return (current == null ? api.create(desired) : api.update(desired)).replaceWithVoid();
        });
    }

    /** One slice per port: "kubernetes" for the lowest (normally the only one), "kubernetes-PORT" for others. */
    private Uni<Void> writeSlices(SortedMap<Integer, SortedSet<String>> addressesByPort) {
        List<Uni<EndpointSlice>> writes = new ArrayList<>();
        List<String> wanted = new ArrayList<>();
        boolean first = true;
        for (Map.Entry<Integer, SortedSet<String>> entry : addressesByPort.entrySet()) {
            String name = first ? SERVICE : SERVICE + "-" + entry.getKey();
            first = false;
            wanted.add(name);
            writes.add(writeSlice(name, entry.getKey(), entry.getValue()));
        }
        return api.settle(writes).flatMap(ignored -> api.list(EndpointSlice.class, NAMESPACE, "kubernetes.io/service-name=" + SERVICE))
                .flatMap(slices -> {
                    List<Uni<Boolean>> deletes = new ArrayList<>();
                    for (EndpointSlice slice : slices) {
                        boolean managedByController = slice.getMetadata().getLabels() != null
                                && slice.getMetadata().getLabels().containsKey("endpointslice.kubernetes.io/managed-by");
                        if (!wanted.contains(slice.getMetadata().getName()) && !managedByController) {
                            deletes.add(api.delete(EndpointSlice.class, NAMESPACE, slice.getMetadata().getName(), DeleteOptions.DEFAULT));
                        }
                    }
                    return deletes.isEmpty() ? Uni.createFrom().voidItem() : Uni.join().all(deletes).andFailFast().replaceWithVoid();
                });
    }

    private Uni<EndpointSlice> writeSlice(String name, int port, SortedSet<String> addresses) {
        List<io.fabric8.kubernetes.api.model.discovery.v1.Endpoint> endpoints = addresses.stream()
                .map(ip -> new EndpointBuilder().withAddresses(ip).withNewConditions().withReady(true).endConditions().build())
                .toList();
        List<io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort> ports = List.of(
                new io.fabric8.kubernetes.api.model.discovery.v1.EndpointPortBuilder().withName("https").withPort(port)
                        .withProtocol("TCP").build());
        return api.get(EndpointSlice.class, NAMESPACE, name).flatMap(current -> {
            if (current != null && sameJson(current.getEndpoints(), endpoints) && sameJson(current.getPorts(), ports)) {
                return Uni.createFrom().item(current);
            }
            EndpointSlice slice = current != null ? current : new EndpointSlice();
            if (current == null) {
                slice.setMetadata(new ObjectMetaBuilder().withNamespace(NAMESPACE).withName(name)
                        .withLabels(Map.of("kubernetes.io/service-name", SERVICE)).build());
                slice.setAddressType("IPv4");
            }
            slice.setEndpoints(endpoints);
            slice.setPorts(ports);
            return current == null ? api.create(slice) : api.update(slice);
        });
    }

    private static boolean sameJson(Object a, Object b) {
        return Json.MAPPER.valueToTree(a).equals(Json.MAPPER.valueToTree(b));
    }

}
