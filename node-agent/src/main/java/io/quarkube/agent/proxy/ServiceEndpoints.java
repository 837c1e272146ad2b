package io.quarkube.agent.proxy;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;

/**
 * The IPv4 endpoints of each service port, gathered from the service's EndpointSlices (label
 * {@code kubernetes.io/service-name}) with their conditions read as kube-proxy reads them: a missing
 * {@code ready} or {@code serving} counts as true, a missing {@code terminating} as false.
 */
public final class ServiceEndpoints {

    public static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";

    /** One endpoint of one service port: its first address and the slice port's number. */
    public record Endpoint(String ip, int port, String nodeName, String hostname, boolean ready, boolean serving, boolean terminating) {

        public String address() {
            return ip + ":" + port;
        }
    }

    private final Map<String, List<EndpointSlice>> slicesByService;

    private ServiceEndpoints(Map<String, List<EndpointSlice>> slicesByService) {
        this.slicesByService = slicesByService;
    }

    public static ServiceEndpoints index(Collection<EndpointSlice> slices) {
        Map<String, List<EndpointSlice>> byService = new HashMap<>();
        for (EndpointSlice slice : slices) {
            Map<String, String> labels = slice.getMetadata().getLabels();
            String service = labels == null ? null : labels.get(SERVICE_NAME_LABEL);
            if (service == null || !"IPv4".equals(slice.getAddressType()) || slice.getMetadata().getDeletionTimestamp() != null) {
                continue;
            }
            byService.computeIfAbsent(slice.getMetadata().getNamespace() + "/" + service, k -> new ArrayList<>()).add(slice);
        }
        return new ServiceEndpoints(byService);
    }

    /** How many endpoints all slices hold together. */
    public int count() {
        int count = 0;
        for (List<EndpointSlice> slices : slicesByService.values()) {
            for (EndpointSlice slice : slices) {
                count += slice.getEndpoints() == null ? 0 : slice.getEndpoints().size();
            }
        }
        return count;
    }

    /** The endpoints of one port of a service, one per address, sorted by address. */
    public List<Endpoint> endpoints(String namespace, String service, ServicePort servicePort) {
        String portName = servicePort.getName() == null ? "" : servicePort.getName();
        String protocol = servicePort.getProtocol() == null ? "TCP" : servicePort.getProtocol();
        Map<String, Endpoint> byAddress = new LinkedHashMap<>();
        for (EndpointSlice slice : slicesByService.getOrDefault(namespace + "/" + service, List.of())) {
            Integer number = null;
            for (EndpointPort port : slice.getPorts() == null ? List.<EndpointPort>of() : slice.getPorts()) {
                String name = port.getName() == null ? "" : port.getName();
                String sliceProtocol = port.getProtocol() == null ? "TCP" : port.getProtocol();
                if (name.equals(portName) && sliceProtocol.equals(protocol) && port.getPort() != null) {
                    number = port.getPort();
                }
            }
            if (number == null || slice.getEndpoints() == null) {
                continue;
            }
            for (io.fabric8.kubernetes.api.model.discovery.v1.Endpoint endpoint : slice.getEndpoints()) {
                if (endpoint.getAddresses() == null || endpoint.getAddresses().isEmpty()) {
                    continue;
                }
                Endpoint found = of(endpoint, number);
                // An address in two slices (during a slice update) counts once; a ready copy wins.
                byAddress.merge(found.address(), found, (a, b) -> a.ready() ? a : b);
            }
        }
        return byAddress.values().stream().sorted(Comparator.comparing(Endpoint::address)).toList();
    }

    /** Every endpoint address of a service, whatever the port, with its conditions: what cluster DNS answers for headless services. */
    public List<Endpoint> addresses(String namespace, String service) {
        Map<String, Endpoint> byIp = new LinkedHashMap<>();
        for (EndpointSlice slice : slicesByService.getOrDefault(namespace + "/" + service, List.of())) {
            for (io.fabric8.kubernetes.api.model.discovery.v1.Endpoint endpoint : slice.getEndpoints() == null
                    ? List.<io.fabric8.kubernetes.api.model.discovery.v1.Endpoint>of() : slice.getEndpoints()) {
                if (endpoint.getAddresses() != null && !endpoint.getAddresses().isEmpty()) {
                    Endpoint found = of(endpoint, 0);
                    byIp.merge(found.ip(), found, (a, b) -> a.ready() ? a : b);
                }
            }
        }
        return byIp.values().stream().sorted(Comparator.comparing(Endpoint::ip)).toList();
    }

    private static Endpoint of(io.fabric8.kubernetes.api.model.discovery.v1.Endpoint endpoint, int port) {
        var conditions = endpoint.getConditions();
        boolean ready = conditions == null || !Objects.equals(conditions.getReady(), Boolean.FALSE);
        boolean serving = conditions == null || conditions.getServing() == null ? ready : conditions.getServing();
        boolean terminating = conditions != null && Boolean.TRUE.equals(conditions.getTerminating());
        return new Endpoint(endpoint.getAddresses().get(0), port, endpoint.getNodeName(), endpoint.getHostname(), ready, serving, terminating);
    }
}
