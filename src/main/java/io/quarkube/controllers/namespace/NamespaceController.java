package io.quarkube.controllers.namespace;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.fabric8.kubernetes.api.model.Namespace;
import io.quarkube.client.ApiClient;
import io.quarkube.client.Informer;
import io.quarkube.controllers.runtime.Controller;
import io.quarkube.controllers.runtime.ObjectRef;
import io.quarkube.controllers.runtime.Reconciler;
import io.quarkube.controllers.runtime.Result;
import io.quarkube.controllers.runtime.Watches;
import io.quarkube.registry.DeleteOptions;
import io.quarkube.registry.GenericStore.Part;
import io.quarkube.registry.ResourceCatalog;
import io.quarkube.registry.ResourceService;
import io.quarkube.registry.ResourceType;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;

/**
 * Finishes the deletion of namespaces: deletes every namespaced object in a Terminating namespace,
 * then removes the "kubernetes" finalizer so the namespace itself goes. A namespace whose content
 * is not gone yet (objects with finalizers or grace periods) is looked at again a little later.
 */
@ApplicationScoped
public class NamespaceController implements Controller, Reconciler {

    static final Duration CONTENT_REMAINS_RETRY = Duration.ofSeconds(2);
    private static final String FINALIZER = "kubernetes";

    @Inject
    ApiClient api;
    @Inject
    ResourceService resources;
    @Inject
    Vertx vertx;

    private Informer<Namespace> namespaces;
    private Watches watches;

    @Override
    public String name() {
        return "namespace-controller";
    }

    @Override
    public Uni<Void> start() {
        watches = new Watches(name(), this, api, vertx, 4);
        namespaces = watches.forKind(Namespace.class, NamespaceController::terminating);
        return watches.start();
    }

    @Override
    public void stop() {
        if (watches != null) {
            watches.stop();
        }
    }

    private static boolean terminating(Namespace namespace) {
        return namespace != null && namespace.getMetadata().getDeletionTimestamp() != null;
    }

    @Override
    public Uni<Result> reconcile(ObjectRef key) {
        if (!terminating(namespaces.get("", key.name()))) {
            return Uni.createFrom().item(Result.done());
        }
        return deleteContent(key.name()).flatMap(remaining -> remaining > 0
                ? Uni.createFrom().item(Result.requeueAfter(CONTENT_REMAINS_RETRY))
                : removeFinalizer(key.name()).replaceWith(Result.done()));
    }

    /** Deletes every namespaced object in the namespace; completes with how many were still there. */
    private Uni<Integer> deleteContent(String namespace) {
        List<Uni<Integer>> remaining = new ArrayList<>();
        for (ResourceType type : ResourceCatalog.stored()) {
            if (type.namespaced()) {
                remaining.add(resources.store(type).deleteCollection(namespace, "", "", DeleteOptions.DEFAULT).map(List::size));
            }
        }
        return Uni.join().all(remaining).andFailFast().map(counts -> counts.stream().mapToInt(Integer::intValue).sum());
    }

    private Uni<Void> removeFinalizer(String namespace) {
        return api.modify(Namespace.class, "", namespace, Part.FINALIZE, current -> {
            if (current.getSpec() != null && current.getSpec().getFinalizers() != null) {
                current.getSpec().getFinalizers().remove(FINALIZER);
            }
            return current;
        }).replaceWithVoid().onFailure(ApiClient::isNotFound).recoverWithNull();
    }
}
