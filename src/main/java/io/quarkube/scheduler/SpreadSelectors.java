package io.quarkube.scheduler;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.quarkube.client.Informer;
import io.quarkube.scheduler.plugins.selectorspread.SelectorSpread;

/** The Services selecting a pod and the ReplicaSet controlling it, as label selectors, read from informers. */
final class SpreadSelectors implements SelectorSpread.Selectors {

    private final Informer<Service> services;
    private final Informer<ReplicaSet> replicaSets;

    SpreadSelectors(Informer<Service> services, Informer<ReplicaSet> replicaSets) {
        this.services = services;
        this.replicaSets = replicaSets;
    }

    @Override
    public List<LabelSelector> of(Pod pod) {
        List<LabelSelector> selectors = new ArrayList<>();
        String namespace = pod.getMetadata().getNamespace();
        Map<String, String> labels = pod.getMetadata().getLabels() == null ? Map.of() : pod.getMetadata().getLabels();
        for (Service service : services.list(s -> namespace.equals(s.getMetadata().getNamespace()))) {
            Map<String, String> selector = service.getSpec() == null ? null : service.getSpec().getSelector();
            if (selector != null && !selector.isEmpty() && labels.entrySet().containsAll(selector.entrySet())) {
                selectors.add(new LabelSelector(null, selector));
            }
        }
        List<OwnerReference> owners = pod.getMetadata().getOwnerReferences() == null ? List.of() : pod.getMetadata().getOwnerReferences();
        for (OwnerReference owner : owners) {
            if ("ReplicaSet".equals(owner.getKind()) && Boolean.TRUE.equals(owner.getController())) {
                ReplicaSet owning = replicaSets.get(namespace, owner.getName());
                if (owning != null && owning.getSpec() != null && owning.getSpec().getSelector() != null) {
                    selectors.add(owning.getSpec().getSelector());
                }
            }
        }
        return selectors;
    }
}
