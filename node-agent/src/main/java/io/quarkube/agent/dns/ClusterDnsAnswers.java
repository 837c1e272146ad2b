package io.quarkube.agent.dns;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.quarkube.agent.proxy.ServiceEndpoints;
import io.quarkube.agent.services.ClusterState;

/**
 * Answers for names in the cluster domain, following the Kubernetes DNS specification
 * (kubernetes/dns docs/specification.md) as CoreDNS's kubernetes plugin does:
 * {@code SVC.NS.svc.DOMAIN} A (the ClusterIP; a headless service's ready endpoints), CNAME for ExternalName,
 * {@code _PORT._PROTO.SVC.NS.svc.DOMAIN} SRV for named ports, {@code HOSTNAME.SVC.NS.svc.DOMAIN} A for the
 * endpoints of a headless service (by hostname or dashed address), {@code A-B-C-D.NS.pod.DOMAIN} A; NXDOMAIN
 * for other names in the domain, an empty answer (NODATA) for a name that exists but has no records of the
 * type asked for. Names outside the domain are forwarded upstream. Pure, over a {@link ClusterState}.
 */
public final class ClusterDnsAnswers {

    /** CoreDNS's default TTL for cluster records. */
    static final int TTL = 5;

    public enum Type { A, AAAA, SRV, CNAME, OTHER }

    private final String domain;
    private final ClusterState state;

    public ClusterDnsAnswers(String domain, ClusterState state) {
        this.domain = domain.toLowerCase(Locale.ROOT).replaceAll("\\.$", "");
        this.state = state;
    }

    public boolean inClusterDomain(String name) {
        String n = normalize(name);
        return n.equals(domain) || n.endsWith("." + domain);
    }

    public DnsAnswer answer(String questionName, Type type) {
        String name = normalize(questionName);
        if (!inClusterDomain(name)) {
            return DnsAnswer.forward();
        }
        if (name.equals(domain)) {
            return nodata(); // the zone apex exists (its SOA), with no A records
        }
        List<String> labels = Arrays.asList(name.substring(0, name.length() - domain.length() - 1).split("\\."));
        int n = labels.size();
        String zone = labels.get(n - 1);
        if (zone.equals("svc")) {
            return switch (n) {
                case 3 -> service(name, labels.get(1), labels.get(0), type);
                case 4 -> endpointHost(name, labels.get(2), labels.get(1), labels.get(0), type);
                case 5 -> labels.get(0).startsWith("_") && labels.get(1).startsWith("_")
                        ? srv(name, labels.get(3), labels.get(2), labels.get(0).substring(1), labels.get(1).substring(1), type)
                        : nxdomain();
                default -> nxdomain();
            };
        }
        if (zone.equals("pod") && n == 3) {
            return pod(name, labels.get(0), type);
        }
        return nxdomain();
    }

    private DnsAnswer service(String name, String namespace, String serviceName, Type type) {
        Service service = state.service(namespace, serviceName);
        if (service == null || service.getSpec() == null) {
            return nxdomain();
        }
        if ("ExternalName".equals(service.getSpec().getType())) {
            return answers(List.of(new DnsAnswer.Cname(name, TTL, normalize(service.getSpec().getExternalName()))), List.of());
        }
        if (type != Type.A) {
            return nodata();
        }
        if (isHeadless(service)) {
            List<DnsAnswer.Record> records = new ArrayList<>();
            for (ServiceEndpoints.Endpoint endpoint : readyAddresses(namespace, serviceName)) {
                records.add(new DnsAnswer.A(name, TTL, endpoint.ip()));
            }
            return records.isEmpty() ? nodata() : answers(records, List.of());
        }
        return answers(List.of(new DnsAnswer.A(name, TTL, service.getSpec().getClusterIP())), List.of());
    }

    private DnsAnswer endpointHost(String name, String namespace, String serviceName, String host, Type type) {
        Service service = state.service(namespace, serviceName);
        if (service == null || service.getSpec() == null || !isHeadless(service)) {
            return nxdomain();
        }
        for (ServiceEndpoints.Endpoint endpoint : readyAddresses(namespace, serviceName)) {
            if (host.equals(endpointLabel(endpoint))) {
                return type == Type.A ? answers(List.of(new DnsAnswer.A(name, TTL, endpoint.ip())), List.of()) : nodata();
            }
        }
        return nxdomain();
    }

    private DnsAnswer srv(String name, String namespace, String serviceName, String portName, String protocol, Type type) {
        Service service = state.service(namespace, serviceName);
        if (service == null || service.getSpec() == null || "ExternalName".equals(service.getSpec().getType())) {
            return nxdomain();
        }
        String serviceDomain = serviceName + "." + namespace + ".svc." + domain;
        ServicePort port = service.getSpec().getPorts().stream()
                .filter(p -> portName.equals(p.getName()) && protocol.equalsIgnoreCase(p.getProtocol() == null ? "TCP" : p.getProtocol()))
                .findFirst().orElse(null);
        if (port == null) {
            return nxdomain();
        }
        if (type != Type.SRV) {
            return nodata();
        }
        if (!isHeadless(service)) {
            return answers(List.of(new DnsAnswer.Srv(name, TTL, 0, 100, port.getPort(), serviceDomain)),
                    List.of(new DnsAnswer.A(serviceDomain, TTL, service.getSpec().getClusterIP())));
        }
        List<DnsAnswer.Record> records = new ArrayList<>();
        List<DnsAnswer.Record> additionals = new ArrayList<>();
        List<ServiceEndpoints.Endpoint> endpoints = readyAddresses(namespace, serviceName);
        int targetPort = slicePort(namespace, serviceName, portName, protocol);
        for (ServiceEndpoints.Endpoint endpoint : endpoints) {
            String target = endpointLabel(endpoint) + "." + serviceDomain;
            records.add(new DnsAnswer.Srv(name, TTL, 0, 100 / endpoints.size(), targetPort, target));
            additionals.add(new DnsAnswer.A(target, TTL, endpoint.ip()));
        }
        return records.isEmpty() ? nodata() : answers(records, additionals);
    }

    private DnsAnswer pod(String name, String dashedIp, Type type) {
        String[] octets = dashedIp.split("-");
        if (octets.length != 4) {
            return nxdomain();
        }
        for (String octet : octets) {
            if (!octet.matches("\\d{1,3}") || Integer.parseInt(octet) > 255) {
                return nxdomain();
            }
        }
        return type == Type.A ? answers(List.of(new DnsAnswer.A(name, TTL, String.join(".", octets))), List.of()) : nodata();
    }

    private int slicePort(String namespace, String serviceName, String portName, String protocol) {
        for (EndpointSlice slice : state.endpointSlices(namespace, serviceName)) {
            for (EndpointPort port : slice.getPorts() == null ? List.<EndpointPort>of() : slice.getPorts()) {
                if (portName.equals(port.getName()) && protocol.equalsIgnoreCase(port.getProtocol() == null ? "TCP" : port.getProtocol())
                        && port.getPort() != null) {
                    return port.getPort();
                }
            }
        }
        return 0;
    }

    private List<ServiceEndpoints.Endpoint> readyAddresses(String namespace, String serviceName) {
        return ServiceEndpoints.index(state.endpointSlices(namespace, serviceName)).addresses(namespace, serviceName).stream()
                .filter(ServiceEndpoints.Endpoint::ready).toList();
    }

    /** An endpoint's own name under its service: its hostname, else its address with dashes. */
    static String endpointLabel(ServiceEndpoints.Endpoint endpoint) {
        return endpoint.hostname() != null && !endpoint.hostname().isEmpty() ? endpoint.hostname() : endpoint.ip().replace('.', '-');
    }

    private static boolean isHeadless(Service service) {
        return "None".equals(service.getSpec().getClusterIP());
    }

    private DnsAnswer answers(List<DnsAnswer.Record> answers, List<DnsAnswer.Record> additionals) {
        return new DnsAnswer(DnsAnswer.Code.NOERROR, answers, additionals, List.of());
    }

    private DnsAnswer nodata() {
        return new DnsAnswer(DnsAnswer.Code.NOERROR, List.of(), List.of(), List.of(soa()));
    }

    private DnsAnswer nxdomain() {
        return new DnsAnswer(DnsAnswer.Code.NXDOMAIN, List.of(), List.of(), List.of(soa()));
    }

    /** The zone's SOA as CoreDNS writes it (serial fixed: the zone has no versions a secondary could follow). */
    DnsAnswer.Soa soa() {
        return new DnsAnswer.Soa(domain, TTL, "ns.dns." + domain, "hostmaster." + domain, 1, 7200, 1800, 86400, TTL);
    }

    private static String normalize(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
    }
}
