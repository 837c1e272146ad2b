package io.quarkube.api.table;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;

/** Services, Endpoints, EndpointSlices, IPAddresses and ServiceCIDRs. */
final class NetworkPrinters {

    /** Endpoints and slices show at most this many addresses. */
    private static final int MAX_SHOWN = 3;

    private NetworkPrinters() {
    }

    static void registerAll(PrinterRegistry registry) {
        registry.register("", "Service", TablePrinter.of(List.of(
                Column.objectName(),
                Column.string("Type", "type determines how the Service is exposed."),
                Column.string("Cluster-IP", "clusterIP is the IP address of the service and is usually assigned "
                        + "randomly."),
                Column.string("External-IP", "externalIPs is a list of IP addresses for which nodes in the cluster "
                        + "will also accept traffic for this service."),
                Column.string("Port(s)", "The list of ports that are exposed by this service."),
                Column.age(),
                Column.string("Selector", "Route service traffic to pods with label keys and values matching this "
                        + "selector.").wide()),
                NetworkPrinters::service));
        registry.register("", "Endpoints", TablePrinter.of(List.of(
                Column.objectName(),
                Column.string("Endpoints", "The set of all endpoints is the union of all subsets."),
                Column.age()),
                NetworkPrinters::endpoints));
        registry.register("discovery.k8s.io", "EndpointSlice", TablePrinter.of(List.of(
                Column.objectName(),
                Column.string("AddressType", "addressType specifies the type of address carried by this "
                        + "EndpointSlice."),
                Column.string("Ports", "ports specifies the list of network ports exposed by each endpoint in this "
                        + "slice."),
                Column.string("Endpoints", "endpoints is a list of unique endpoints in this slice."),
                Column.age()),
                NetworkPrinters::endpointSlice));
        registry.register("networking.k8s.io", "IPAddress", TablePrinter.of(List.of(
                Column.objectName(),
                Column.string("ParentRef", "ParentRef references the resource that an IPAddress is attached to.")),
                NetworkPrinters::ipAddress));
        registry.register("networking.k8s.io", "ServiceCIDR", TablePrinter.of(List.of(
                Column.objectName(),
                Column.string("CIDRs", "cidrs defines the IP blocks in CIDR notation from which to assign service "
                        + "cluster IPs."),
                Column.age()),
                NetworkPrinters::serviceCidr));
    }

    /** kube's "services/NAMESPACE/NAME" (group.resource when the group is not core); kube shows no age. */
    private static List<Object> ipAddress(JsonNode address, Instant now) {
        JsonNode ref = address.path("spec").path("parentRef");
        String parent = "";
        if (!ref.isMissingNode() && !ref.isNull()) {
            String group = ref.path("group").asText("");
            String resource = ref.path("resource").asText("") + (group.isEmpty() ? "" : "." + group);
            parent = resource.toLowerCase() + "/" + ref.path("namespace").asText("") + "/" + ref.path("name").asText("");
        }
        return List.of(Cells.name(address), parent);
    }

    private static List<Object> serviceCidr(JsonNode cidr, Instant now) {
        return List.of(Cells.name(cidr), String.join(",", texts(cidr.path("spec").path("cidrs"))), Times.age(cidr, now));
    }

    private static List<Object> service(JsonNode service, Instant now) {
        JsonNode spec = service.path("spec");
        return List.of(
                Cells.name(service),
                spec.path("type").asText(),
                clusterIp(spec),
                externalIp(service),
                Cells.orElse(ports(spec.path("ports")), Cells.NONE),
                Times.age(service, now),
                Labels.formatMap(spec.path("selector")));
    }

    private static String clusterIp(JsonNode spec) {
        JsonNode clusterIps = spec.path("clusterIPs");
        if (!clusterIps.isEmpty()) {
            return clusterIps.get(0).asText();
        }
        return Cells.text(spec.path("clusterIP"), Cells.NONE);
    }

    /** External IPs for ClusterIP/NodePort, load-balancer ingress plus external IPs for LoadBalancer. */
    static String externalIp(JsonNode service) {
        JsonNode spec = service.path("spec");
        List<String> externalIps = texts(spec.path("externalIPs"));
        switch (spec.path("type").asText()) {
            case "ClusterIP", "NodePort":
                return externalIps.isEmpty() ? Cells.NONE : String.join(",", externalIps);
            case "LoadBalancer":
                List<String> addresses = new ArrayList<>(loadBalancerAddresses(service.at("/status/loadBalancer")));
                addresses.addAll(externalIps);
                return addresses.isEmpty() ? "<pending>" : String.join(",", addresses);
            case "ExternalName":
                return spec.path("externalName").asText();
            default:
                return Times.UNKNOWN;
        }
    }

    /** Ingress IPs (or host names when no IP), sorted and without duplicates. */
    private static TreeSet<String> loadBalancerAddresses(JsonNode loadBalancer) {
        TreeSet<String> addresses = new TreeSet<>();
        for (JsonNode ingress : loadBalancer.path("ingress")) {
            String address = Cells.orElse(ingress.path("ip").asText(), ingress.path("hostname").asText());
            if (!address.isEmpty()) {
                addresses.add(address);
            }
        }
        return addresses;
    }

    /** "80/TCP", or "80:30080/TCP" with a node port, joined with commas. */
    static String ports(JsonNode ports) {
        List<String> pieces = new ArrayList<>();
        for (JsonNode port : ports) {
            String protocol = Cells.text(port.path("protocol"), "TCP");
            long nodePort = port.path("nodePort").asLong();
            pieces.add(port.path("port").asLong() + (nodePort > 0 ? ":" + nodePort : "") + "/" + protocol);
        }
        return String.join(",", pieces);
    }

    /** "10.0.0.1:80,10.0.0.2:80 + 3 more...": every address with every port of its subset. */
    private static List<Object> endpoints(JsonNode endpoints, Instant now) {
        List<String> hostPorts = new ArrayList<>();
        for (JsonNode subset : endpoints.path("subsets")) {
            List<String> ips = new ArrayList<>();
            subset.path("addresses").forEach(address -> ips.add(address.path("ip").asText()));
            if (subset.path("ports").isEmpty()) {
                // Headless services may have no ports.
                hostPorts.addAll(ips);
            }
            for (JsonNode port : subset.path("ports")) {
                ips.forEach(ip -> hostPorts.add(Cells.joinHostPort(ip, port.path("port").asLong())));
            }
        }
        String cell = endpoints.path("subsets").isEmpty() ? Cells.NONE : Cells.firstWithMore(hostPorts, MAX_SHOWN, "");
        return List.of(Cells.name(endpoints), cell, Times.age(endpoints, now));
    }

    private static List<Object> endpointSlice(JsonNode slice, Instant now) {
        List<String> ports = new ArrayList<>();
        for (JsonNode port : slice.path("ports")) {
            ports.add(port.path("port").isNumber() ? port.path("port").asText() : Cells.text(port.path("name"), "*"));
        }
        List<String> addresses = new ArrayList<>();
        slice.path("endpoints").forEach(endpoint -> addresses.addAll(texts(endpoint.path("addresses"))));
        return List.of(
                Cells.name(slice),
                slice.path("addressType").asText(),
                Cells.firstWithMore(ports, MAX_SHOWN, Cells.UNSET),
                Cells.firstWithMore(addresses, MAX_SHOWN, Cells.UNSET),
                Times.age(slice, now));
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(item -> texts.add(item.asText()));
        return texts;
    }
}
