package io.quarkube.controllers.endpoints;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.TreeMap;

import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointAddressBuilder;
import io.fabric8.kubernetes.api.model.EndpointPort;
import io.fabric8.kubernetes.api.model.EndpointPortBuilder;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.EndpointSubsetBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;

/**
 * The subsets of a Service's Endpoints, as kube's Endpoints controller computes them: each pod's
 * address is ready or not ready (ready regardless under publishNotReadyAddresses) for each Service
 * port its target port resolves on, and addresses with the same ports share a subset (RepackSubsets),
 * sorted so that equal contents compare equal.
 */
public final class EndpointSubsets {

    private EndpointSubsets() {
    }

    public static List<EndpointSubset> of(Service service, List<Pod> pods) {
        boolean publishNotReady = Boolean.TRUE.equals(service.getSpec().getPublishNotReadyAddresses());
        List<ServicePort> servicePorts = service.getSpec().getPorts() == null ? List.of() : service.getSpec().getPorts();
        // address (with its readiness) -> the ports it serves, in Service port order
        Map<AddressKey, EndpointAddress> addresses = new LinkedHashMap<>();
        Map<AddressKey, List<EndpointPort>> portsOf = new LinkedHashMap<>();
        for (Pod pod : pods) {
            if (!ServicePods.shouldBeInEndpoints(pod, publishNotReady)) {
                continue;
            }
            boolean ready = publishNotReady || ServicePods.isReady(pod);
            EndpointAddress address = new EndpointAddressBuilder().withIp(ServicePods.ip(pod))
                    .withNodeName(pod.getSpec().getNodeName()).withHostname(ServicePods.hostname(service, pod))
                    .withTargetRef(ServicePods.targetRef(pod)).build();
            AddressKey key = new AddressKey(ServicePods.ip(pod), pod.getMetadata().getUid(), ready);
            List<EndpointPort> ports = new ArrayList<>();
            for (ServicePort servicePort : servicePorts) {
                OptionalInt port = ServicePods.targetPort(pod, servicePort);
                if (port.isPresent()) {
                    ports.add(new EndpointPortBuilder().withName(servicePort.getName()).withPort(port.getAsInt())
                            .withProtocol(Objects.requireNonNullElse(servicePort.getProtocol(), "TCP"))
                            .withAppProtocol(servicePort.getAppProtocol()).build());
                }
            }
            // a pod with none of the Service's ports counts only for a headless Service without ports
            if (ports.isEmpty() && !(servicePorts.isEmpty() && ServicePods.isHeadless(service))) {
                continue;
            }
            addresses.put(key, address);
            portsOf.put(key, ports);
        }
        return repack(addresses, portsOf);
    }

    private record AddressKey(String ip, String uid, boolean ready) {
    }

    /** One subset per distinct port list; addresses sorted by IP, subsets by their first address. */
    private static List<EndpointSubset> repack(Map<AddressKey, EndpointAddress> addresses, Map<AddressKey, List<EndpointPort>> portsOf) {
        Comparator<EndpointPort> portOrder = Comparator.comparing((EndpointPort p) -> Objects.requireNonNullElse(p.getName(), ""))
                .thenComparing(EndpointPort::getPort).thenComparing(EndpointPort::getProtocol);
        Map<String, List<EndpointPort>> portLists = new TreeMap<>();
        Map<String, List<EndpointAddress>> ready = new TreeMap<>();
        Map<String, List<EndpointAddress>> notReady = new TreeMap<>();
        addresses.forEach((key, address) -> {
            List<EndpointPort> ports = new ArrayList<>(portsOf.get(key));
            ports.sort(portOrder);
            String portKey = ports.stream().map(p -> p.getName() + "/" + p.getPort() + "/" + p.getProtocol()).toList().toString();
            portLists.put(portKey, ports);
            (key.ready() ? ready : notReady).computeIfAbsent(portKey, k -> new ArrayList<>()).add(address);
        });
        Comparator<EndpointAddress> addressOrder = Comparator.comparing(EndpointAddress::getIp)
                .thenComparing(a -> a.getTargetRef() == null ? "" : a.getTargetRef().getName());
        List<EndpointSubset> subsets = new ArrayList<>();
        portLists.forEach((portKey, ports) -> {
            List<EndpointAddress> readyAddresses = new ArrayList<>(ready.getOrDefault(portKey, List.of()));
            List<EndpointAddress> notReadyAddresses = new ArrayList<>(notReady.getOrDefault(portKey, List.of()));
            readyAddresses.sort(addressOrder);
            notReadyAddresses.sort(addressOrder);
            EndpointSubsetBuilder subset = new EndpointSubsetBuilder();
            if (!readyAddresses.isEmpty()) {
                subset.withAddresses(readyAddresses);
            }
            if (!notReadyAddresses.isEmpty()) {
                subset.withNotReadyAddresses(notReadyAddresses);
            }
            if (!ports.isEmpty()) {
                subset.withPorts(ports);
            }
            subsets.add(subset.build());
        });
        return subsets;
    }
}
