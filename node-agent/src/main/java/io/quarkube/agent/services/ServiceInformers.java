package io.quarkube.agent.services;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

/**
 * The node's view of Services and EndpointSlices in every namespace, shared by the service proxy and cluster
 * DNS: one informer each, and listeners told (without the change: they read the stores) whenever either moves.
 */
public final class ServiceInformers implements ServiceSource, ClusterState, AutoCloseable {

    private static final String BY_SERVICE = "by-service";

    private final KubernetesClient client;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private SharedIndexInformer<Service> services;
    private SharedIndexInformer<EndpointSlice> slices;

    public ServiceInformers(KubernetesClient client) {
        this.client = client;
    }

    /** Starts both informers and returns once their first lists are in. */
    public void start() {
        services = client.services().inAnyNamespace().inform(handler(), 0);
        slices = client.discovery().v1().endpointSlices().inAnyNamespace().runnableInformer(0);
        slices.addIndexers(java.util.Map.of(BY_SERVICE, slice -> {
            var labels = slice.getMetadata().getLabels();
            String service = labels == null ? null : labels.get(io.quarkube.agent.proxy.ServiceEndpoints.SERVICE_NAME_LABEL);
            return service == null ? List.of() : List.of(slice.getMetadata().getNamespace() + "/" + service);
        }));
        slices.addEventHandler(handler());
        slices.run();
    }

    @Override
    public void onChange(Runnable listener) {
        listeners.add(listener);
    }

    @Override
    public List<Service> services() {
        return services.getStore().list();
    }

    @Override
    public List<EndpointSlice> endpointSlices() {
        return slices.getStore().list();
    }

    @Override
    public Service service(String namespace, String name) {
        return services.getStore().getByKey(namespace + "/" + name);
    }

    @Override
    public List<EndpointSlice> endpointSlices(String namespace, String serviceName) {
        return slices.getIndexer().byIndex(BY_SERVICE, namespace + "/" + serviceName);
    }

    private <T> ResourceEventHandler<T> handler() {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T obj) {
                changed();
            }

            @Override
            public void onUpdate(T oldObj, T newObj) {
                changed();
            }

            @Override
            public void onDelete(T obj, boolean deletedFinalStateUnknown) {
                changed();
            }
        };
    }

    private void changed() {
        listeners.forEach(Runnable::run);
    }

    @Override
    public void close() {
        if (services != null) {
            services.close();
        }
        if (slices != null) {
            slices.close();
        }
    }
}
