package io.quarkube.controllers.namespace;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkube.json.Json;
import io.quarkube.registry.DeleteOptions;
import io.quarkube.registry.GenericStore;
import io.quarkube.registry.GenericStore.Part;
import io.quarkube.registry.ResourceCatalog;
import io.quarkube.registry.ResourceService;
import io.quarkube.registry.ResourceType;
import io.quarkube.registry.StatusException;
import io.quarkube.registry.WriteOptions;
import io.quarkube.storage.CacheWatcher;
import io.quarkube.storage.StoredObject;
import io.quarkube.storage.WatchCache;
import io.quarkube.storage.WatchEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;

/**
 * Finishes the deletion of namespaces: deletes every namespaced object in a Terminating namespace,
 * then removes the "kubernetes" finalizer so the namespace itself goes. Level-triggered: a
 * namespace whose content is not gone yet (objects with finalizers) is looked at again later.
 */
@ApplicationScoped
public class NamespaceController {

    private static final Logger LOG = Logger.getLogger(NamespaceController.class);
    private static final Duration RETRY = Duration.ofSeconds(2);
    private static final String FINALIZER = "kubernetes";

    @Inject
    ResourceService resources;
    @Inject
    WatchCache cache;
    @Inject
    Vertx vertx;

    private final Set<String> inProgress = ConcurrentHashMap.newKeySet();
    private ResourceType namespaces;

    /** Runs after the control plane's own start-up observer has loaded the watch cache. */
    void onStart(@Observes @Priority(Interceptor.Priority.APPLICATION + 1000) StartupEvent event) {
        namespaces = ResourceCatalog.find("", "v1", "namespaces").orElseThrow();
        cache.watch(new CacheWatcher(namespaces.groupResource(), "", NamespaceController::terminating) {
            @Override
            protected boolean deliver(WatchEvent change) {
                if (change.type() != WatchEvent.Type.DELETED) {
                    enqueue(Json.text(change.object(), "metadata", "name"));
                }
                return true;
            }

            @Override
            protected void close() {
            }
        }, 0, true).await().indefinitely();
    }

    private static boolean terminating(ObjectNode namespace) {
        return namespace.path("metadata").has("deletionTimestamp");
    }

    private void enqueue(String namespace) {
        if (inProgress.add(namespace)) {
            finalizeNamespace(namespace).subscribe().with(done -> {
                inProgress.remove(namespace);
                if (!done) {
                    vertx.setTimer(RETRY.toMillis(), id -> retryIfStillTerminating(namespace));
                }
            }, failure -> {
                inProgress.remove(namespace);
                LOG.warnf("cleaning up namespace %s failed: %s; retrying", namespace, failure.getMessage());
                vertx.setTimer(RETRY.toMillis(), id -> retryIfStillTerminating(namespace));
            });
        }
    }

    private void retryIfStillTerminating(String namespace) {
        StoredObject current = cache.get(new io.quarkube.storage.ObjectKey(namespaces.groupResource(), "", namespace));
        if (current != null && terminating(current.object())) {
            enqueue(namespace);
        }
    }

    /** Deletes the namespace's content; when nothing is left, releases the namespace. True when done. */
    private Uni<Boolean> finalizeNamespace(String namespace) {
        List<Uni<Integer>> remaining = new ArrayList<>();
        for (ResourceType type : ResourceCatalog.all()) {
            if (type.namespaced()) {
                remaining.add(deleteAll(resources.store(type), namespace));
            }
        }
        return Uni.join().all(remaining).andFailFast()
                .flatMap(counts -> counts.stream().mapToInt(Integer::intValue).sum() > 0
                        ? Uni.createFrom().item(false)
                        : removeFinalizer(namespace).replaceWith(true));
    }

    /** Deletes every object of one kind in the namespace; returns how many were still there. */
    private Uni<Integer> deleteAll(GenericStore store, String namespace) {
        return store.deleteCollection(namespace, "", "", DeleteOptions.DEFAULT).map(List::size);
    }

    private Uni<Void> removeFinalizer(String namespace) {
        return resources.store(namespaces).modify("", namespace, WriteOptions.DEFAULT, Part.FINALIZE, current -> {
            var finalizers = Json.MAPPER.createArrayNode();
            current.path("spec").path("finalizers").forEach(f -> {
                if (!FINALIZER.equals(f.asText())) {
                    finalizers.add(f);
                }
            });
            Json.with(current, "spec").set("finalizers", finalizers);
            return current;
        }).replaceWithVoid().onFailure(e -> e instanceof StatusException s && s.code() == 404).recoverWithNull();
    }
}
