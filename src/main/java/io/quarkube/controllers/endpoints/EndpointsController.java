package io.quarkube.controllers.endpoints;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.quarkube.client.ApiClient;
import io.quarkube.client.Informer;
import io.quarkube.controllers.runtime.Controller;
import io.quarkube.controllers.runtime.ObjectRef;
import io.quarkube.controllers.runtime.Reconciler;
import io.quarkube.controllers.runtime.Result;
import io.quarkube.controllers.runtime.Watches;
import io.quarkube.json.Json;
import io.quarkube.registry.DeleteOptions;
import io.quarkube.registry.service.ServicesConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;

/**
 * Keeps an Endpoints object per Service with a selector, named like it, as kube-controller-manager's
 * Endpoints controller: ready addresses and notReadyAddresses from the selected pods, target ports
 * resolved per pod, the Service's labels. Pod changes reach a Service after the batch period, so a
 * rollout's many changes share writes. Services without a selector are left to whoever writes
 * their Endpoints; a deleted Service's Endpoints go too.
 */
@ApplicationScoped
public class EndpointsController implements Controller, Reconciler {

    static final String HEADLESS_LABEL = "service.kubernetes.io/headless";

    @Inject
    ApiClient api;
    @Inject
    Vertx vertx;
    @Inject
    ServicesConfig config;

    private Informer<Service> services;
    private Informer<Pod> pods;
    private Informer<Endpoints> endpoints;
    private Watches watches;

    @Override
    public String name() {
        return "endpoints-controller";
    }

    @Override
    public Uni<Void> start() {
        watches = new Watches(name(), this, api, vertx, 5);
        endpoints = watches.watch(Endpoints.class, new Informer.Handler<>() {
            @Override
            public void onDelete(Endpoints deleted) {
                watches.enqueue(ObjectRef.of(deleted));
            }
        });
        pods = watches.watch(Pod.class, Informer.Handler.onEveryChangeOldAndNew(this::enqueueServicesOf));
        // a deleted Service's Endpoints go with it
        services = watches.watch(Service.class, Informer.Handler.onEveryChange(service -> watches.enqueue(ObjectRef.of(service))));
        return watches.start();
    }

    @Override
    public void stop() {
        if (watches != null) {
            watches.stop();
        }
    }

    private void enqueueServicesOf(Pod pod) {
        String namespace = pod.getMetadata().getNamespace();
        for (Service service : services.list(s -> namespace.equals(s.getMetadata().getNamespace()))) {
            if (ServicePods.selects(service, pod)) {
                watches.enqueueBatched(ObjectRef.of(service), config.endpoints().updatesBatchPeriod());
            }
        }
    }

    @Override
    public Uni<Result> reconcile(ObjectRef key) {
        Service service = services.get(key.namespace(), key.name());
        Endpoints current = endpoints.get(key.namespace(), key.name());
        if (service == null) {
            return current == null ? done()
                    : api.delete(Endpoints.class, key.namespace(), key.name(),
                            new DeleteOptions(false, null, null, current.getMetadata().getUid(), null))
                            .replaceWith(Result.done());
        }
        if (!ServicePods.hasEndpoints(service)) {
            return done();
        }
        List<Pod> selected = pods.list(pod -> ServicePods.selects(service, pod));
        List<EndpointSubset> subsets = EndpointSubsets.of(service, selected);
        Map<String, String> labels = labels(service);
        if (current != null && sameJson(current.getSubsets(), subsets) && sameJson(java.util.Objects.requireNonNullElse(current.getMetadata().getLabels(), Map.of()), labels)) {
            return done();
        }
        Endpoints desired = current != null ? current : new Endpoints();
        if (current == null) {
            desired.setMetadata(new ObjectMetaBuilder().withNamespace(key.namespace()).withName(key.name()).build());
        }
        desired.getMetadata().setLabels(labels);
        desired.setSubsets(subsets);
        Uni<Endpoints> write = current == null ? api.create(desired) : api.update(desired);
        return api.settle(List.of(write)).replaceWith(Result.done());
    }

    /** The Service's labels, and the headless mark for a headless Service. */
    static Map<String, String> labels(Service service) {
        Map<String, String> labels = new LinkedHashMap<>();
        if (service.getMetadata().getLabels() != null) {
            labels.putAll(service.getMetadata().getLabels());
        }
        if (ServicePods.isHeadless(service)) {
            labels.put(HEADLESS_LABEL, "");
        } else {
            labels.remove(HEADLESS_LABEL);
        }
        return labels;
    }

    private static Uni<Result> done() {
        return Uni.createFrom().item(Result.done());
    }

    private static boolean sameJson(Object a, Object b) {
        return Json.MAPPER.valueToTree(a).equals(Json.MAPPER.valueToTree(b));
    }
}
