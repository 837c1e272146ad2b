package io.quarkube.controllers.endpointslice;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPortBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.quarkube.controllers.endpoints.ServicePods;
import io.quarkube.json.Json;

/**
 * The EndpointSlice writes that bring a Service's slices to its pods, as kube's EndpointSlice
 * reconciler plans them, in small: endpoints grouped by the ports they resolve, each group in
 * slices of at most maxPerSlice; an endpoint stays in the slice that has it (its state refreshed),
 * new endpoints fill slices with room before new slices are made, emptied slices go; a Service
 * without endpoints keeps one empty placeholder slice. Pure: the controller does the writes.
 */
public final class SlicePlanner {

    public static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";
    public static final String MANAGED_BY_LABEL = "endpointslice.kubernetes.io/managed-by";
    public static final String MANAGED_BY = "endpointslice-controller.k8s.io";
    static final String HEADLESS_LABEL = "service.kubernetes.io/headless";

    /** Slices to create (generated names), to update (from the stored ones) and to delete. */
    public record Plan(List<EndpointSlice> creates, List<EndpointSlice> updates, List<EndpointSlice> deletes) {
        public boolean isEmpty() {
            return creates.isEmpty() && updates.isEmpty() && deletes.isEmpty();
        }
    }

    private record Group(List<EndpointPort> ports, Map<String, Endpoint> endpoints) {
    }

    private SlicePlanner() {
    }

    public static Plan plan(Service service, List<Pod> pods, List<EndpointSlice> existing, int maxPerSlice) {
        Map<String, Group> desired = desired(service, pods);
        Map<String, List<EndpointSlice>> existingByPorts = new LinkedHashMap<>();
        existing.stream().sorted(Comparator.comparing(s -> s.getMetadata().getName()))
                .forEach(slice -> existingByPorts.computeIfAbsent(portKey(slice.getPorts()), k -> new ArrayList<>()).add(slice));
        List<EndpointSlice> creates = new ArrayList<>();
        List<EndpointSlice> updates = new ArrayList<>();
        List<EndpointSlice> deletes = new ArrayList<>();

        if (desired.isEmpty()) {
            placeholder(service, existing, creates, updates, deletes);
            return new Plan(creates, updates, deletes);
        }
        for (Map.Entry<String, Group> entry : desired.entrySet()) {
            Group group = entry.getValue();
            Map<String, Endpoint> remaining = new LinkedHashMap<>(group.endpoints());
            List<EndpointSlice> slices = existingByPorts.getOrDefault(entry.getKey(), List.of());
            List<List<Endpoint>> contents = new ArrayList<>();
            for (EndpointSlice slice : slices) {
                List<Endpoint> kept = new ArrayList<>();
                for (Endpoint endpoint : slice.getEndpoints()) {
                    Endpoint wanted = remaining.remove(key(endpoint));
                    if (wanted != null && kept.size() < maxPerSlice) {
                        kept.add(wanted);
                    } else if (wanted != null) {
                        remaining.put(key(endpoint), wanted);
                    }
                }
                contents.add(kept);
            }
            List<Endpoint> leftover = new ArrayList<>(remaining.values());
            int next = 0;
            for (List<Endpoint> content : contents) {
                while (content.size() < maxPerSlice && next < leftover.size()) {
                    content.add(leftover.get(next++));
                }
            }
            for (int i = 0; i < slices.size(); i++) {
                EndpointSlice stored = slices.get(i);
                if (contents.get(i).isEmpty()) {
                    deletes.add(stored);
                    continue;
                }
                EndpointSlice updated = withContent(service, copy(stored), group.ports(), contents.get(i));
                if (!sameJson(updated, stored)) {
                    updates.add(updated);
                }
            }
            while (next < leftover.size()) {
                List<Endpoint> content = new ArrayList<>(leftover.subList(next, Math.min(leftover.size(), next + maxPerSlice)));
                next += content.size();
                creates.add(withContent(service, newSlice(service), group.ports(), content));
            }
        }
        existingByPorts.forEach((ports, slices) -> {
            if (!desired.containsKey(ports)) {
                deletes.addAll(slices);
            }
        });
        return new Plan(creates, updates, deletes);
    }

    /** No endpoints: one slice with neither endpoints nor ports stays, as kube keeps a placeholder. */
    private static void placeholder(Service service, List<EndpointSlice> existing, List<EndpointSlice> creates,
            List<EndpointSlice> updates, List<EndpointSlice> deletes) {
        EndpointSlice kept = null;
        for (EndpointSlice slice : existing) {
            if (kept == null && slice.getEndpoints().isEmpty() && slice.getPorts().isEmpty()) {
                kept = slice;
                EndpointSlice updated = withContent(service, copy(slice), List.of(), List.of());
                if (!sameJson(updated, slice)) {
                    updates.add(updated);
                }
            } else {
                deletes.add(slice);
            }
        }
        if (kept == null) {
            creates.add(withContent(service, newSlice(service), List.of(), List.of()));
        }
    }

    /** The endpoints by the JSON of the ports they resolve, in the order pods come. */
    private static Map<String, Group> desired(Service service, List<Pod> pods) {
        boolean publishNotReady = Boolean.TRUE.equals(service.getSpec().getPublishNotReadyAddresses());
        List<ServicePort> servicePorts = service.getSpec().getPorts() == null ? List.of() : service.getSpec().getPorts();
        Map<String, Group> groups = new LinkedHashMap<>();
        for (Pod pod : pods) {
            if (!ServicePods.shouldBeInEndpoints(pod, true)) {
                continue;
            }
            List<EndpointPort> ports = new ArrayList<>();
            for (ServicePort servicePort : servicePorts) {
                OptionalInt port = ServicePods.targetPort(pod, servicePort);
                if (port.isPresent()) {
                    ports.add(new EndpointPortBuilder().withName(Objects.requireNonNullElse(servicePort.getName(), ""))
                            .withPort(port.getAsInt()).withProtocol(Objects.requireNonNullElse(servicePort.getProtocol(), "TCP"))
                            .withAppProtocol(servicePort.getAppProtocol()).build());
                }
            }
            boolean serving = ServicePods.isReady(pod);
            boolean terminating = ServicePods.isTerminating(pod);
            Endpoint endpoint = new EndpointBuilder().withAddresses(ServicePods.ip(pod))
                    .withNewConditions().withReady(publishNotReady || (serving && !terminating)).withServing(serving)
                    .withTerminating(terminating).endConditions()
                    .withNodeName(pod.getSpec().getNodeName()).withHostname(ServicePods.hostname(service, pod))
                    .withTargetRef(ServicePods.targetRef(pod)).build();
            groups.computeIfAbsent(portKey(ports), k -> new Group(ports, new LinkedHashMap<>())).endpoints().put(key(endpoint), endpoint);
        }
        return groups;
    }

    /** An endpoint's identity across reconciles: its pod and address. */
    private static String key(Endpoint endpoint) {
        String uid = endpoint.getTargetRef() == null ? "" : endpoint.getTargetRef().getUid();
        return uid + "/" + String.join(",", endpoint.getAddresses());
    }

    private static String portKey(List<EndpointPort> ports) {
        return Json.MAPPER.valueToTree(ports == null ? List.of() : ports).toString();
    }

    private static EndpointSlice newSlice(Service service) {
        EndpointSlice slice = new EndpointSlice();
        String prefix = service.getMetadata().getName();
        slice.setMetadata(new ObjectMetaBuilder().withNamespace(service.getMetadata().getNamespace())
                .withGenerateName((prefix.length() > 57 ? prefix.substring(0, 57) : prefix) + "-").build());
        slice.setAddressType("IPv4");
        return slice;
    }

    /** The slice with these ports and endpoints, the Service's labels and the Service as its controller. */
    private static EndpointSlice withContent(Service service, EndpointSlice slice, List<EndpointPort> ports, List<Endpoint> endpoints) {
        slice.setPorts(new ArrayList<>(ports));
        slice.setEndpoints(new ArrayList<>(endpoints));
        slice.getMetadata().setLabels(labels(service));
        slice.getMetadata().setOwnerReferences(List.of(ownerReference(service)));
        return slice;
    }

    static Map<String, String> labels(Service service) {
        Map<String, String> labels = new LinkedHashMap<>();
        if (service.getMetadata().getLabels() != null) {
            service.getMetadata().getLabels().forEach((key, value) -> {
                if (!key.equals(SERVICE_NAME_LABEL) && !key.equals(MANAGED_BY_LABEL) && !key.equals(HEADLESS_LABEL)) {
                    labels.put(key, value);
                }
            });
        }
        labels.put(SERVICE_NAME_LABEL, service.getMetadata().getName());
        labels.put(MANAGED_BY_LABEL, MANAGED_BY);
        if (ServicePods.isHeadless(service)) {
            labels.put(HEADLESS_LABEL, "");
        }
        return labels;
    }

    static OwnerReference ownerReference(Service service) {
        return new OwnerReferenceBuilder().withApiVersion("v1").withKind("Service").withName(service.getMetadata().getName())
                .withUid(service.getMetadata().getUid()).withController(true).withBlockOwnerDeletion(true).build();
    }

    private static EndpointSlice copy(EndpointSlice slice) {
        return Json.MAPPER.convertValue(Json.MAPPER.valueToTree(slice), EndpointSlice.class);
    }

    private static boolean sameJson(Object a, Object b) {
        return Json.MAPPER.valueToTree(a).equals(Json.MAPPER.valueToTree(b));
    }
}
