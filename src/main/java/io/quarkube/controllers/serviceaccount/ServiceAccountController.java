package io.quarkube.controllers.serviceaccount;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.quarkube.client.ApiClient;
import io.quarkube.client.Informer;
import io.quarkube.controllers.runtime.Controller;
import io.quarkube.controllers.runtime.ObjectRef;
import io.quarkube.controllers.runtime.Reconciler;
import io.quarkube.controllers.runtime.Result;
import io.quarkube.controllers.runtime.Watches;
import io.quarkube.registry.StatusException;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;

/**
 * Keeps a {@code default} ServiceAccount in every active namespace, as kube-controller-manager's
 * serviceaccount controller does: created with the namespace, and again if deleted. Keys are
 * namespace names.
 */
@ApplicationScoped
public class ServiceAccountController implements Controller, Reconciler {

    static final String DEFAULT = "default";

    @Inject
    ApiClient api;
    @Inject
    Vertx vertx;

    private Informer<Namespace> namespaces;
    private Informer<ServiceAccount> serviceAccounts;
    private Watches watches;

    @Override
    public String name() {
        return "serviceaccount-controller";
    }

    @Override
    public Uni<Void> start() {
        watches = new Watches(name(), this, api, vertx, 2);
        // accounts first, so that namespaces enqueued at sync find the accounts already cached
        serviceAccounts = watches.watch(ServiceAccount.class, new Informer.Handler<>() {
            @Override
            public void onDelete(ServiceAccount account) {
                if (DEFAULT.equals(account.getMetadata().getName())) {
                    watches.enqueue(new ObjectRef("", account.getMetadata().getNamespace()));
                }
            }
        });
        namespaces = watches.watch(Namespace.class, new Informer.Handler<>() {
            @Override
            public void onAdd(Namespace namespace) {
                watches.enqueue(new ObjectRef("", namespace.getMetadata().getName()));
            }
        });
        return watches.start();
    }

    @Override
    public void stop() {
        if (watches != null) {
            watches.stop();
        }
    }

    @Override
    public Uni<Result> reconcile(ObjectRef key) {
        String namespace = key.name();
        Namespace current = namespaces.get("", namespace);
        if (current == null || current.getMetadata().getDeletionTimestamp() != null
                || serviceAccounts.get(namespace, DEFAULT) != null) {
            return Uni.createFrom().item(Result.done());
        }
        ServiceAccount account = new ServiceAccountBuilder().withNewMetadata().withNamespace(namespace).withName(DEFAULT)
                .endMetadata().build();
        return api.create(account).replaceWith(Result.done())
                // created meanwhile (another writer), or the namespace began terminating: nothing to do
                .onFailure(failure -> failure instanceof StatusException status && (status.code() == 409 || status.code() == 403))
                .recoverWithItem(Result.done());
    }
}
