package io.quarkube.controllers.endpointslice;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.quarkube.client.ApiClient;
import io.quarkube.client.Informer;
import io.quarkube.controllers.endpoints.ServicePods;
import io.quarkube.controllers.runtime.Controller;
import io.quarkube.controllers.runtime.ObjectRef;
import io.quarkube.controllers.runtime.Owners;
import io.quarkube.controllers.runtime.Reconciler;
import io.quarkube.controllers.runtime.Result;
import io.quarkube.controllers.runtime.Watches;
import io.quarkube.registry.DeleteOptions;
import io.quarkube.registry.service.ServicesConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;

/**
 * Keeps the EndpointSlices (discovery.k8s.io/v1) of every Service with a selector, as
 * kube-controller-manager's EndpointSlice controller: slices labelled with the Service's name and
 * this controller as their manager, owned by the Service (the garbage collector removes them with
 * it), planned by {@link SlicePlanner}. Pod changes reach a Service after the batch period, so a
 * rollout's changes share writes. Slices of Services without a selector are not touched.
 */
@ApplicationScoped
public class EndpointSliceController implements Controller, Reconciler {

    @Inject
    ApiClient api;
    @Inject
    Vertx vertx;
    @Inject
    ServicesConfig config;

    private Informer<Service> services;
    private Informer<Pod> pods;
    private Informer<EndpointSlice> slices;
    private Watches watches;

    @Override
    public String name() {
        return "endpointslice-controller";
    }

    @Override
    public Uni<Void> start() {
        watches = new Watches(name(), this, api, vertx, 5);
        // a managed slice changed or removed by someone else is put right
        slices = watches.watch(EndpointSlice.class, Informer.Handler.onEveryChange(slice -> {
            if (isManaged(slice)) {
                watches.enqueueBatched(new ObjectRef(slice.getMetadata().getNamespace(), serviceName(slice)),
                        config.endpoints().updatesBatchPeriod());
            }
        }));
        pods = watches.watch(Pod.class, Informer.Handler.onEveryChangeOldAndNew(this::enqueueServicesOf));
        services = watches.forKind(Service.class);
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

    private static boolean isManaged(EndpointSlice slice) {
        Map<String, String> labels = slice.getMetadata().getLabels();
        return labels != null && SlicePlanner.MANAGED_BY.equals(labels.get(SlicePlanner.MANAGED_BY_LABEL))
                && labels.containsKey(SlicePlanner.SERVICE_NAME_LABEL);
    }

    private static String serviceName(EndpointSlice slice) {
        return slice.getMetadata().getLabels().get(SlicePlanner.SERVICE_NAME_LABEL);
    }

    @Override
    public Uni<Result> reconcile(ObjectRef key) {
        Service service = services.get(key.namespace(), key.name());
        List<EndpointSlice> managed = slices.list(slice -> key.namespace().equals(slice.getMetadata().getNamespace())
                && isManaged(slice) && key.name().equals(serviceName(slice)));
        if (service == null) {
            // the garbage collector removes slices with their Service
            return Uni.createFrom().item(Result.done());
        }
        String uid = service.getMetadata().getUid();
        List<EndpointSlice> owned = new ArrayList<>();
        List<EndpointSlice> stale = new ArrayList<>();
        for (EndpointSlice slice : managed) {
            OwnerReference owner = Owners.controllerOf(slice.getMetadata());
            (owner != null && uid.equals(owner.getUid()) ? owned : stale).add(slice);
        }
        if (!ServicePods.hasEndpoints(service)) {
            // a selector removed or an ExternalName Service: its slices are no longer this controller's to keep
            stale.addAll(service.getSpec() != null && "ExternalName".equals(service.getSpec().getType()) ? owned : List.of());
            return write(new SlicePlanner.Plan(List.of(), List.of(), stale));
        }
        List<Pod> selected = pods.list(pod -> ServicePods.selects(service, pod));
        SlicePlanner.Plan plan = SlicePlanner.plan(service, selected, owned, config.endpoints().maxPerSlice());
        List<EndpointSlice> deletes = new ArrayList<>(plan.deletes());
        deletes.addAll(stale);
        return write(new SlicePlanner.Plan(plan.creates(), plan.updates(), deletes));
    }

    /** Creates and updates, then deletes, so a Service never goes through a moment without its endpoints. */
    private Uni<Result> write(SlicePlanner.Plan plan) {
        if (plan.isEmpty()) {
            return Uni.createFrom().item(Result.done());
        }
        List<Uni<EndpointSlice>> writes = new ArrayList<>();
        plan.creates().forEach(slice -> writes.add(api.create(slice)));
        plan.updates().forEach(slice -> writes.add(api.update(slice)));
        return api.settle(writes).flatMap(ignored -> {
            List<Uni<EndpointSlice>> deletes = new ArrayList<>();
            plan.deletes().forEach(slice -> deletes.add(api.deleteObject(EndpointSlice.class, slice.getMetadata().getNamespace(),
                    slice.getMetadata().getName(), new DeleteOptions(false, null, null, slice.getMetadata().getUid(), null))));
            return api.settle(deletes);
        }).replaceWith(Result.done());
    }
}
