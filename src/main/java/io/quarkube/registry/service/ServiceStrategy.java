package io.quarkube.registry.service;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkube.json.Json;
import io.quarkube.registry.FieldError;
import io.quarkube.registry.Strategy;
import io.quarkube.registry.Validation;

/**
 * Services: defaults, cluster IP and node port assignment (from allocators that know which values
 * are taken), and the immutability of the assigned cluster IP.
 */
public final class ServiceStrategy implements Strategy {

    private final ServiceAllocator allocator;

    public ServiceStrategy(ServiceAllocator allocator) {
        this.allocator = allocator;
    }

    @Override
    public void prepareForCreate(ObjectNode service) {
        ObjectNode spec = Json.with(service, "spec");
        String type = spec.path("type").asText("ClusterIP");
        spec.put("type", type);
        if (!spec.has("sessionAffinity")) {
            spec.put("sessionAffinity", "None");
        }
        if (!type.equals("ExternalName")) {
            if (!spec.hasNonNull("clusterIP") || spec.get("clusterIP").asText().isEmpty()) {
                spec.put("clusterIP", allocator.allocateClusterIp());
            }
            spec.putArray("clusterIPs").add(spec.get("clusterIP").asText());
            if (!spec.has("ipFamilies")) {
                spec.putArray("ipFamilies").add("IPv4");
            }
            if (!spec.has("ipFamilyPolicy")) {
                spec.put("ipFamilyPolicy", "SingleStack");
            }
            if (!spec.has("internalTrafficPolicy")) {
                spec.put("internalTrafficPolicy", "Cluster");
            }
        }
        boolean nodePorts = hasNodePorts(type);
        if (nodePorts && !spec.has("externalTrafficPolicy")) {
            spec.put("externalTrafficPolicy", "Cluster");
        }
        defaultPorts(spec, nodePorts, List.of());
        service.putObject("status").putObject("loadBalancer");
    }

    @Override
    public void prepareForUpdate(ObjectNode service, ObjectNode old) {
        ObjectNode spec = Json.with(service, "spec");
        JsonNode oldSpec = old.path("spec");
        // kubectl apply and edit send services without the assigned addresses: keep them.
        for (String field : List.of("clusterIP", "clusterIPs", "ipFamilies", "ipFamilyPolicy")) {
            if (!spec.hasNonNull(field) && oldSpec.has(field)) {
                spec.set(field, oldSpec.get(field));
            }
        }
        if (!spec.has("type")) {
            spec.put("type", "ClusterIP");
        }
        boolean nodePorts = hasNodePorts(spec.get("type").asText());
        if (nodePorts && !spec.has("externalTrafficPolicy")) {
            spec.put("externalTrafficPolicy", "Cluster");
        }
        List<JsonNode> oldPorts = new ArrayList<>();
        oldSpec.path("ports").forEach(oldPorts::add);
        defaultPorts(spec, nodePorts, oldPorts);
        if (!spec.has("sessionAffinity")) {
            spec.put("sessionAffinity", "None");
        }
    }

    /**
     * Protocol and target port defaults; node ports kept from the same port of the stored service,
     * else allocated (a new NodePort service, a port added to one, or a service turned into one).
     */
    private void defaultPorts(ObjectNode spec, boolean nodePorts, List<JsonNode> oldPorts) {
        for (JsonNode port : spec.path("ports")) {
            ObjectNode p = (ObjectNode) port;
            if (!p.has("protocol")) {
                p.put("protocol", "TCP");
            }
            if (!p.has("targetPort")) {
                p.set("targetPort", p.get("port"));
            }
            if (!p.has("nodePort")) {
                oldPorts.stream().filter(samePort(p)).findFirst()
                        .filter(o -> o.has("nodePort")).ifPresent(o -> p.set("nodePort", o.get("nodePort")));
            }
            if (nodePorts && !p.has("nodePort")) {
                p.put("nodePort", allocator.allocateNodePort());
            }
        }
    }

    private static boolean hasNodePorts(String type) {
        return type.equals("NodePort") || type.equals("LoadBalancer");
    }

    private static Predicate<JsonNode> samePort(JsonNode port) {
        return other -> other.path("port").asInt() == port.path("port").asInt()
                && other.path("protocol").asText("TCP").equals(port.path("protocol").asText("TCP"));
    }

    @Override
    public List<FieldError> validateName(String name) {
        return Validation.dnsLabel("metadata.name", name);
    }

    @Override
    public List<FieldError> validate(ObjectNode service) {
        List<FieldError> errors = new ArrayList<>();
        JsonNode spec = service.path("spec");
        String type = spec.path("type").asText("ClusterIP");
        List<String> types = List.of("ClusterIP", "NodePort", "LoadBalancer", "ExternalName");
        if (!types.contains(type)) {
            errors.add(FieldError.notSupported("spec.type", type, types));
        }
        boolean headless = "None".equals(spec.path("clusterIP").asText());
        if (!type.equals("ExternalName") && !headless && (!spec.path("ports").isArray() || spec.path("ports").isEmpty())) {
            errors.add(FieldError.required("spec.ports"));
        }
        int i = 0;
        for (JsonNode port : spec.path("ports")) {
            int number = port.path("port").asInt(0);
            if (number < 1 || number > 65535) {
                errors.add(FieldError.invalid("spec.ports[" + i + "].port", number, "must be between 1 and 65535, inclusive"));
            }
            if (spec.path("ports").size() > 1 && port.path("name").asText("").isEmpty()) {
                errors.add(FieldError.required("spec.ports[" + i + "].name"));
            }
            i++;
        }
        return errors;
    }

    @Override
    public List<FieldError> validateUpdate(ObjectNode service, ObjectNode old) {
        List<FieldError> errors = new ArrayList<>(validate(service));
        String oldIp = old.path("spec").path("clusterIP").asText("");
        String newIp = service.path("spec").path("clusterIP").asText("");
        if (!oldIp.isEmpty() && !oldIp.equals(newIp) && !"ExternalName".equals(service.path("spec").path("type").asText())) {
            errors.add(FieldError.immutable("spec.clusterIPs[0]"));
        }
        return errors;
    }
}
