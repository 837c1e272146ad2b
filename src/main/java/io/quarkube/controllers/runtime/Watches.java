package io.quarkube.controllers.runtime;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.quarkube.client.ApiClient;
import io.quarkube.client.Informer;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;

/**
 * What a controller watches and the {@link ControllerRunner} those watches feed, for one term of
 * leadership — controller-runtime's builder ({@code For}, {@code Owns}, {@code Watches}) in small.
 * A controller declares its informers in {@link Controller#start()}, then calls {@link #start()}:
 * the informers start one after the other in the order declared, each synced before the next, and
 * the runner hands out keys only once all are synced, so no reconcile reads a cache that is still
 * filling. Declare the kind the reconcile is keyed by last, so its initial adds find the others
 * cached. Handlers run on the watch threads and only enqueue.
 */
public final class Watches {

    private final ApiClient api;
    private final ControllerRunner runner;
    private final List<Informer<?>> informers = new ArrayList<>();

    public Watches(String name, Reconciler reconciler, ApiClient api, Vertx vertx, int concurrency) {
        this.api = api;
        this.runner = new ControllerRunner(name, reconciler, vertx, concurrency);
    }

    /** The kind the controller reconciles: each added or updated object enqueues its own key (a deleted one needs no reconcile). */
    public <T extends HasMetadata> Informer<T> forKind(Class<T> kind) {
        return forKind(kind, object -> true);
    }

    /** As {@link #forKind(Class)}, enqueueing only objects in the state that concerns the controller. */
    public <T extends HasMetadata> Informer<T> forKind(Class<T> kind, Predicate<? super T> concerns) {
        return watch(kind, Informer.Handler.onAddOrUpdate(object -> {
            if (concerns.test(object)) {
                enqueue(ObjectRef.of(object));
            }
        }));
    }

    /** Objects the controller creates: every change enqueues the dependent's controlling owner, when it is of ownerKind. */
    public <T extends HasMetadata> Informer<T> owns(Class<T> kind, String ownerKind) {
        return watch(kind, Informer.Handler.onEveryChange(dependent -> enqueueControllerOf(dependent, ownerKind)));
    }

    /** Any other kind, with a handler of the controller's own that maps changes to keys. */
    public <T extends HasMetadata> Informer<T> watch(Class<T> kind, Informer.Handler<T> handler) {
        return cache(kind).addHandler(handler);
    }

    /** A kind the reconcile only reads: an informer without a handler. */
    public <T extends HasMetadata> Informer<T> cache(Class<T> kind) {
        Informer<T> informer = api.informer(kind, "");
        informers.add(informer);
        return informer;
    }

    /** Starts the informers in the order declared, each once the one before is synced, then the runner. */
    public Uni<Void> start() {
        Uni<Void> synced = Uni.createFrom().voidItem();
        for (Informer<?> informer : informers) {
            synced = synced.flatMap(ignored -> informer.start());
        }
        return synced.invoke(runner::start);
    }

    /** Stops the runner (reconciles in flight finish), then the informers, the last started first. */
    public void stop() {
        runner.stop();
        for (int i = informers.size() - 1; i >= 0; i--) {
            informers.get(i).stop();
        }
    }

    public boolean running() {
        return runner.running();
    }

    /** Asks for a reconcile of the key; callable from any thread. */
    public void enqueue(ObjectRef key) {
        runner.enqueue(key);
    }

    /** Asks for one reconcile of the key once period has passed, shared with every ask within it. */
    public void enqueueBatched(ObjectRef key, Duration period) {
        runner.enqueueBatched(key, period);
    }

    /** Enqueues the object's controlling owner (in the object's namespace) when it is of ownerKind. */
    public void enqueueControllerOf(HasMetadata dependent, String ownerKind) {
        OwnerReference controller = Owners.controllerOf(dependent);
        if (controller != null && ownerKind.equals(controller.getKind())) {
            enqueue(new ObjectRef(dependent.getMetadata().getNamespace(), controller.getName()));
        }
    }
}
