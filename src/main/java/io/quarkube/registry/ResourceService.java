package io.quarkube.registry;

import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkube.json.Json;
import io.quarkube.registry.core.ServiceAccountTokenRequests;
import io.quarkube.registry.pod.PodEviction;
import io.quarkube.registry.service.ClusterIpValues;
import io.quarkube.registry.service.IpRange;
import io.quarkube.registry.service.NodePortValues;
import io.quarkube.registry.service.PortRange;
import io.quarkube.registry.service.RangeAllocator;
import io.quarkube.registry.service.ServiceAllocations;
import io.quarkube.registry.service.ServicesConfig;
import io.quarkube.security.ClusterCertificates;
import io.quarkube.security.ServiceAccountTokens;
import io.quarkube.storage.CacheWatcher;
import io.quarkube.storage.ObjectKey;
import io.quarkube.storage.Storage;
import io.quarkube.storage.StoredObject;
import io.quarkube.storage.WatchEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * The resource service: one {@link GenericStore} per served kind. The HTTP layer, controllers and
 * the scheduler all reach storage through here, so every write gets the same validation and admission.
 */
@ApplicationScoped
public class ResourceService implements NamespaceCheck {

    @Inject
    Storage storage;
    @Inject
    ServicesConfig services;
    @ConfigProperty(name = "quarkube.data-dir")
    Optional<String> dataDir;

    private final Map<ResourceType, GenericStore> stores = new LinkedHashMap<>();
    private PodEviction podEviction;
    private ServiceAccountTokenRequests serviceAccountTokens;

    @jakarta.annotation.PostConstruct
    void init() {
        for (ResourceType type : ResourceCatalog.stored()) {
            stores.put(type, new GenericStore(type, Strategies.forType(type), hooks(type), storage, this));
        }
        for (ResourceType type : ResourceCatalog.internal()) {
            stores.put(type, new GenericStore(type, Strategies.forType(type), storage, this));
        }
        for (ResourceType type : ResourceCatalog.all()) {
            ResourceType storedAs = ResourceCatalog.storedAs(type);
            if (storedAs != type) {
                stores.put(type, new GenericStore(type, stores.get(storedAs), Strategies.conversion(type)));
            }
        }
        podEviction = new PodEviction(core("pods"),
                store(ResourceCatalog.find("policy", "v1", "poddisruptionbudgets").orElseThrow()), Clock.systemUTC());
        // the key is read when the first token is issued or checked, on a worker thread: not on the start's path
        Uni<ServiceAccountTokens> signer = Uni.createFrom().item(this::signingKeys)
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool()).memoize().indefinitely();
        serviceAccountTokens = new ServiceAccountTokenRequests(core("serviceaccounts"), core("pods"), core("secrets"), core("nodes"),
                signer, Clock.systemUTC());
    }

    private GenericStore core(String resource) {
        return store(ResourceCatalog.find("", "v1", resource).orElseThrow());
    }

    /**
     * Tokens signed with the data directory's service account key, created there on first use;
     * without a data directory, with a key of this process alone.
     */
    private ServiceAccountTokens signingKeys() {
        return dataDir.map(dir -> new ServiceAccountTokens(new ClusterCertificates(Path.of(dir)).serviceAccountKey(), Clock.systemUTC()))
                .orElseGet(() -> ServiceAccountTokens.withEphemeralKey(Clock.systemUTC()));
    }

    /** The kind's work around writes: Services take and give back cluster IPs and node ports. */
    private WriteHooks hooks(ResourceType type) {
        if (!type.groupResource().equals("services")) {
            return WriteHooks.NONE;
        }
        IpRange ipRange = serviceIpRange();
        PortRange portRange = PortRange.parse(services.nodePortRange());
        ResourceType ipAddresses = ResourceCatalog.find("networking.k8s.io", "v1", "ipaddresses").orElseThrow();
        ResourceType nodePorts = ResourceCatalog.internal("servicenodeports.internal.quarkube.io");
        return new ServiceAllocations(type,
                new RangeAllocator(() -> store(ipAddresses), new ClusterIpValues(ipRange)), ipRange,
                new RangeAllocator(() -> store(nodePorts), new NodePortValues(portRange)), portRange);
    }

    /** The configured service CIDR (quarkube.services.cluster-ip-range). */
    public IpRange serviceIpRange() {
        return IpRange.parse(services.clusterIpRange());
    }

    /** The pods/eviction subresource, which writes pods and PodDisruptionBudgets. */
    public PodEviction podEviction() {
        return podEviction;
    }

    /** The serviceaccounts/token subresource, and authentication with the tokens it issues. */
    public ServiceAccountTokenRequests serviceAccountTokens() {
        return serviceAccountTokens;
    }

    public GenericStore store(ResourceType type) {
        return stores.get(type);
    }

    /**
     * Watches one kind from the current state on (an ADDED for every selected object first), as an
     * in-process client would over HTTP. Events arrive in revision order on the watch cache's
     * thread, so handlers only record or enqueue; the Uni completes once the initial events are in.
     */
    public Uni<CacheWatcher> watch(ResourceType type, String namespace,
            Predicate<ObjectNode> selects, Consumer<WatchEvent> events,
            Runnable closed) {
        GenericStore store = store(type);
        CacheWatcher watcher = new CacheWatcher(store.storageResource(), namespace, object -> selects.test(store.toServed(object))) {
            @Override
            protected boolean deliver(WatchEvent event) {
                events.accept(store.toServed(event));
                return true;
            }

            @Override
            protected void close() {
                closed.run();
            }
        };
        return storage.cache().watch(watcher, 0, true).replaceWith(watcher);
    }

    /** Completes once watches (and so informers) have seen every change up to revision. */
    public Uni<Void> awaitObserved(long revision) {
        return storage.cache().awaitRevision(revision).replaceWithVoid();
    }

    /** Ends a watch started with {@link #watch}. */
    public void unwatch(CacheWatcher watcher) {
        storage.cache().unwatch(watcher);
    }

    @Override
    public Uni<Void> checkWritable(ResourceType type, String namespace, ObjectNode object) {
        if (!type.namespaced()) {
            return Uni.createFrom().voidItem();
        }
        ObjectKey key = new ObjectKey("namespaces", "", namespace);
        StoredObject cached = storage.cache().get(key);
        Uni<StoredObject> found = cached != null ? Uni.createFrom().item(cached)
                : storage.get(key).map(o -> o.orElse(null));
        ResourceType namespaces = ResourceCatalog.find("", "v1", "namespaces").orElseThrow();
        return found.map(ns -> {
            if (ns == null) {
                throw StatusException.notFound(namespaces, namespace);
            }
            if (ns.object().path("metadata").has("deletionTimestamp")
                    || "Terminating".equals(Json.text(ns.object(), "status", "phase"))) {
                throw new StatusException(403, "Forbidden", type.groupResource() + " \""
                        + Json.text(object, "metadata", "name") + "\" is forbidden: unable to create new content in namespace "
                        + namespace + " because it is being terminated", type.group(), type.plural(),
                        Json.text(object, "metadata", "name"), List.of(new FieldError("NamespaceTerminating", "metadata.namespace", namespace)), null);
            }
            return null;
        }).replaceWithVoid();
    }

}
