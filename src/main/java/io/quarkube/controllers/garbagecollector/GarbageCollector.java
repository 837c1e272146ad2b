package io.quarkube.controllers.garbagecollector;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkube.client.ApiClient;
import io.quarkube.controllers.garbagecollector.OwnerGraph.Node;
import io.quarkube.controllers.garbagecollector.OwnerGraph.OwnerRef;
import io.quarkube.controllers.runtime.Controller;
import io.quarkube.controllers.runtime.ControllerRunner;
import io.quarkube.controllers.runtime.ObjectRef;
import io.quarkube.controllers.runtime.Reconciler;
import io.quarkube.controllers.runtime.Result;
import io.quarkube.json.Json;
import io.quarkube.registry.DeleteOptions;
import io.quarkube.registry.GenericStore;
import io.quarkube.registry.GenericStore.Part;
import io.quarkube.registry.ResourceCatalog;
import io.quarkube.registry.ResourceService;
import io.quarkube.registry.ResourceType;
import io.quarkube.registry.WriteOptions;
import io.quarkube.storage.CacheWatcher;
import io.quarkube.storage.WatchEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;

/**
 * The garbage collector: follows ownerReferences across every kind and
 * <ul>
 *   <li>deletes objects whose owners are all gone (what a Background delete of the owner relies on),
 *       and drops references to owners that are gone from objects that still have others;</li>
 *   <li>for an owner deleted with propagationPolicy Orphan ({@code orphan} finalizer): removes the
 *       reference from its dependents, then the finalizer;</li>
 *   <li>for Foreground ({@code foregroundDeletion} finalizer): deletes the dependents and removes
 *       the finalizer once no dependent with blockOwnerDeletion is left.</li>
 * </ul>
 * Keys are object uids. Absence of an owner is confirmed with a read of storage before anything is
 * deleted, so a late watch event never costs an object.
 */
@ApplicationScoped
public class GarbageCollector implements Controller, Reconciler {

    private static final Logger LOG = Logger.getLogger(GarbageCollector.class);
    private static final WriteOptions WRITE = new WriteOptions(false, "Ignore", "garbage-collector");
    static final Duration DEPENDENTS_REMAIN_RETRY = Duration.ofSeconds(1);

    @Inject
    ResourceService resources;
    @Inject
    Vertx vertx;

    private final OwnerGraph graph = new OwnerGraph();
    private final List<CacheWatcher> watchers = new ArrayList<>();
    private ControllerRunner runner;

    @Override
    public String name() {
        return "garbage-collector";
    }

    @Override
    public Uni<Void> start() {
        runner = new ControllerRunner(name(), this, vertx, 4);
        List<Uni<CacheWatcher>> started = new ArrayList<>();
        for (ResourceType type : ResourceCatalog.stored()) {
            started.add(resources.watch(type, "", object -> true, event -> observe(type, event),
                    () -> LOG.warnf("the garbage collector's watch of %s ended", type.groupResource())));
        }
        return Uni.join().all(started).andFailFast().invoke(all -> {
            watchers.addAll(all);
            runner.start();
        }).replaceWithVoid();
    }

    @Override
    public void stop() {
        if (runner != null) {
            runner.stop();
        }
        watchers.forEach(resources::unwatch);
        watchers.clear();
    }

    /** Keeps the graph current and enqueues what a change may concern; on the watch's thread. */
    private void observe(ResourceType type, WatchEvent event) {
        if (event.object() == null || event.type() == WatchEvent.Type.BOOKMARK) {
            return;
        }
        Node node = OwnerGraph.nodeOf(type, event.object());
        if (event.type() == WatchEvent.Type.DELETED) {
            graph.remove(node.uid());
            // dependents lost an owner; owners in foreground deletion may be waiting for this one
            graph.dependents(node.uid()).forEach(dependent -> enqueue(dependent.uid()));
            node.owners().forEach(owner -> enqueue(owner.uid()));
            return;
        }
        graph.put(node);
        if (!node.owners().isEmpty() || node.finalizers().contains(GenericStore.ORPHAN_FINALIZER)
                || node.finalizers().contains(GenericStore.FOREGROUND_FINALIZER)) {
            enqueue(node.uid());
        }
        if (node.deleting()) {
            node.owners().forEach(owner -> enqueue(owner.uid()));
        }
    }

    private void enqueue(String uid) {
        runner.enqueue(new ObjectRef("", uid));
    }

    @Override
    public Uni<Result> reconcile(ObjectRef key) {
        Node node = graph.get(key.name());
        if (node == null) {
            return done();
        }
        if (node.deleting() && node.finalizers().contains(GenericStore.ORPHAN_FINALIZER)) {
            return orphanDependents(node);
        }
        if (node.deleting() && node.finalizers().contains(GenericStore.FOREGROUND_FINALIZER)) {
            return deleteDependentsFirst(node);
        }
        if (node.owners().isEmpty() || node.deleting()) {
            return done();
        }
        return collectIfOwnersGone(node);
    }

    /** Orphan: every dependent loses its reference to the owner, then the owner its finalizer. */
    private Uni<Result> orphanDependents(Node owner) {
        List<Uni<Void>> released = new ArrayList<>();
        for (Node dependent : graph.dependents(owner.uid())) {
            released.add(removeOwnerReferences(dependent, Set.of(owner.uid())));
        }
        return joinAll(released).flatMap(ignored -> removeFinalizer(owner, GenericStore.ORPHAN_FINALIZER)).replaceWith(Result.done());
    }

    /**
     * Foreground: deletes the dependents (in foreground too where they block their owner), and
     * releases the owner once no blocking dependent is left.
     */
    private Uni<Result> deleteDependentsFirst(Node owner) {
        List<Node> dependents = graph.dependents(owner.uid());
        List<Uni<Void>> deletions = new ArrayList<>();
        boolean blocked = false;
        for (Node dependent : dependents) {
            OwnerRef reference = dependent.ownerRef(owner.uid());
            boolean blocking = reference != null && reference.blockOwnerDeletion();
            blocked |= blocking;
            if (!dependent.deleting()) {
                deletions.add(delete(dependent, blocking ? "Foreground" : "Background"));
            }
        }
        if (!blocked) {
            return joinAll(deletions).flatMap(ignored -> removeFinalizer(owner, GenericStore.FOREGROUND_FINALIZER))
                    .replaceWith(Result.done());
        }
        return joinAll(deletions).replaceWith(Result.requeueAfter(DEPENDENTS_REMAIN_RETRY));
    }

    /**
     * Deletes the object when none of its owners exists any more; drops the references to vanished
     * owners when some remain. Each absence is confirmed against storage (uid included: an owner
     * deleted and re-created under the same name is another object).
     */
    private Uni<Result> collectIfOwnersGone(Node node) {
        List<Uni<Optional<String>>> checks = new ArrayList<>();
        for (OwnerRef owner : node.owners()) {
            checks.add(graph.contains(owner.uid()) ? Uni.createFrom().item(Optional.empty())
                    : ownerAbsent(node, owner).map(absent -> absent ? Optional.of(owner.uid()) : Optional.<String> empty()));
        }
        return Uni.join().all(checks).andFailFast().flatMap(results -> {
            Set<String> gone = new java.util.HashSet<>();
            results.forEach(result -> result.ifPresent(gone::add));
            if (gone.isEmpty()) {
                return done();
            }
            if (gone.size() == node.owners().size()) {
                return delete(node, "Background").replaceWith(Result.done());
            }
            return removeOwnerReferences(node, gone).replaceWith(Result.done());
        });
    }

    private Uni<Boolean> ownerAbsent(Node dependent, OwnerRef owner) {
        Optional<ResourceType> type = ResourceCatalog.byKind(owner.apiVersion(), owner.kind());
        if (type.isEmpty()) {
            // a kind this server does not serve cannot be looked up: keep the dependent rather than guess
            return Uni.createFrom().item(false);
        }
        String namespace = type.get().namespaced() ? dependent.namespace() : "";
        return resources.store(type.get()).get(namespace, owner.name())
                .map(found -> !owner.uid().equals(Json.text(found, "metadata", "uid")))
                .onFailure(ApiClient::isNotFound).recoverWithItem(true);
    }

    private Uni<Void> delete(Node node, String policy) {
        DeleteOptions options = new DeleteOptions(false, null, policy, node.uid(), null);
        return resources.store(node.type()).delete(node.namespace(), node.name(), options).replaceWithVoid()
                .onFailure(GarbageCollector::goneOrReplaced).recoverWithNull();
    }

    private Uni<Void> removeOwnerReferences(Node dependent, Set<String> ownerUids) {
        return modify(dependent, object -> {
            ArrayNode kept = Json.MAPPER.createArrayNode();
            object.path("metadata").path("ownerReferences").forEach(reference -> {
                if (!ownerUids.contains(reference.path("uid").asText())) {
                    kept.add(reference);
                }
            });
            ObjectNode metadata = Json.with(object, "metadata");
            if (kept.isEmpty()) {
                metadata.remove("ownerReferences");
            } else {
                metadata.set("ownerReferences", kept);
            }
            return object;
        });
    }

    private Uni<Void> removeFinalizer(Node node, String finalizer) {
        return modify(node, object -> {
            ArrayNode kept = Json.MAPPER.createArrayNode();
            for (JsonNode name : object.path("metadata").path("finalizers")) {
                if (!name.asText().equals(finalizer)) {
                    kept.add(name);
                }
            }
            Json.with(object, "metadata").set("finalizers", kept);
            return object;
        });
    }

    private Uni<Void> modify(Node node, java.util.function.UnaryOperator<ObjectNode> change) {
        return resources.store(node.type()).modify(node.namespace(), node.name(), WRITE, Part.MAIN, current -> {
            if (!node.uid().equals(Json.text(current, "metadata", "uid"))) {
                throw new Replaced();
            }
            return change.apply(current);
        }).replaceWithVoid().onFailure(GarbageCollector::goneOrReplaced).recoverWithNull();
    }

    /** The object the graph knew is gone, or another object now has its name: nothing left to do for it. */
    private static boolean goneOrReplaced(Throwable failure) {
        return failure instanceof Replaced || ApiClient.isNotFound(failure) || (ApiClient.isConflict(failure)
                && String.valueOf(failure.getMessage()).contains("Precondition failed: UID"));
    }

    private static final class Replaced extends RuntimeException {
        Replaced() {
            super(null, null, false, false);
        }
    }

    private static Uni<Void> joinAll(List<Uni<Void>> all) {
        return all.isEmpty() ? Uni.createFrom().voidItem() : Uni.join().all(all).andFailFast().replaceWithVoid();
    }

    private static Uni<Result> done() {
        return Uni.createFrom().item(Result.done());
    }
}
