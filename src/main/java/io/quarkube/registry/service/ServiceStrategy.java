package io.quarkube.registry.service;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkube.json.Json;
import io.quarkube.registry.FieldError;
import io.quarkube.registry.Strategy;
import io.quarkube.registry.Validation;

/**
 * Services: kube-apiserver's defaults for a single-stack IPv4 cluster, the type-dependent fields a
 * type change drops, validation, and the immutability of an assigned cluster IP. Cluster IPs and
 * node ports themselves are assigned around the write by {@link ServiceAllocations}.
 */
public final class ServiceStrategy implements Strategy {

    private static final List<String> TYPES = List.of("ClusterIP", "NodePort", "LoadBalancer", "ExternalName");
    private static final Set<String> ADDRESS_FIELDS = Set.of("clusterIP", "clusterIPs", "ipFamilies", "ipFamilyPolicy");

    @Override
    public void prepareForCreate(ObjectNode service) {
        ObjectNode spec = Json.with(service, "spec");
        defaults(spec);
        service.putObject("status").putObject("loadBalancer");
    }

    @Override
    public void prepareForUpdate(ObjectNode service, ObjectNode old) {
        ObjectNode spec = Json.with(service, "spec");
        JsonNode oldSpec = old.path("spec");
        boolean externalName = "ExternalName".equals(spec.path("type").asText());
        // kubectl apply and edit send services without the assigned addresses: keep them
        String requestedIp = spec.path("clusterIP").asText("");
        boolean keepsIp = requestedIp.isEmpty() || requestedIp.equals(oldSpec.path("clusterIP").asText());
        if (!externalName && keepsIp) {
            for (String field : ADDRESS_FIELDS) {
                if ((!spec.hasNonNull(field) || spec.get(field).asText().isEmpty() && !spec.get(field).isArray())
                        && oldSpec.has(field)) {
                    spec.set(field, oldSpec.get(field));
                }
            }
        }
        dropTypeDependentFields(spec, oldSpec);
        if (needsNodePorts(spec)) {
            // a port the stored Service has keeps its node port unless the update names another
            for (JsonNode port : spec.path("ports")) {
                ObjectNode p = (ObjectNode) port;
                if (!p.has("nodePort")) {
                    oldPort(oldSpec, p).filter(o -> o.path("nodePort").asInt(0) > 0)
                            .ifPresent(o -> p.set("nodePort", o.get("nodePort")));
                }
            }
            if (!spec.has("healthCheckNodePort") && oldSpec.has("healthCheckNodePort")) {
                spec.set("healthCheckNodePort", oldSpec.get("healthCheckNodePort"));
            }
        }
        defaults(spec);
    }

    /**
     * What a type change leaves behind and the new type cannot have, dropped when the update kept
     * the old value (kube's dropTypeDependentFields): addresses when turning into ExternalName,
     * node ports when leaving NodePort and LoadBalancer.
     */
    private static void dropTypeDependentFields(ObjectNode spec, JsonNode oldSpec) {
        String type = spec.path("type").asText("ClusterIP");
        if (type.equals("ExternalName") && !"ExternalName".equals(oldSpec.path("type").asText("ClusterIP"))) {
            for (String field : ADDRESS_FIELDS) {
                if (!spec.has(field) || spec.get(field).equals(oldSpec.get(field))) {
                    spec.remove(field);
                }
            }
            spec.remove("internalTrafficPolicy");
        }
        if (!needsNodePorts(spec)) {
            for (JsonNode port : spec.path("ports")) {
                ObjectNode p = (ObjectNode) port;
                int nodePort = p.path("nodePort").asInt(0);
                if (nodePort > 0 && oldPort(oldSpec, p).map(o -> o.path("nodePort").asInt(0) == nodePort).orElse(false)) {
                    p.remove("nodePort");
                }
            }
        }
        boolean healthCheck = type.equals("LoadBalancer") && "Local".equals(spec.path("externalTrafficPolicy").asText());
        if (!healthCheck && spec.path("healthCheckNodePort").equals(oldSpec.path("healthCheckNodePort"))) {
            spec.remove("healthCheckNodePort");
        }
        if (!type.equals("LoadBalancer")) {
            spec.remove("allocateLoadBalancerNodePorts");
        }
        if (!type.equals("NodePort") && !type.equals("LoadBalancer")) {
            spec.remove("externalTrafficPolicy");
        }
    }

    /** kube-apiserver's defaults for a single-stack IPv4 cluster. */
    private static void defaults(ObjectNode spec) {
        String type = spec.path("type").asText("");
        if (type.isEmpty()) {
            type = "ClusterIP";
            spec.put("type", type);
        }
        if (!spec.has("sessionAffinity")) {
            spec.put("sessionAffinity", "None");
        }
        if (!type.equals("ExternalName")) {
            String clusterIp = spec.path("clusterIP").asText("");
            JsonNode clusterIps = spec.path("clusterIPs");
            if (clusterIp.isEmpty() && clusterIps.isArray() && !clusterIps.isEmpty()) {
                spec.put("clusterIP", clusterIps.get(0).asText());
            } else if (!clusterIp.isEmpty() && (!clusterIps.isArray() || clusterIps.isEmpty())) {
                spec.putArray("clusterIPs").add(clusterIp);
            }
            if (!spec.has("ipFamilies") || spec.get("ipFamilies").isEmpty()) {
                spec.putArray("ipFamilies").add("IPv4");
            }
            if (!spec.hasNonNull("ipFamilyPolicy")) {
                // headless Services without a selector take every family the cluster has
                boolean headlessWithoutSelector = "None".equals(spec.path("clusterIP").asText())
                        && spec.path("selector").isEmpty();
                spec.put("ipFamilyPolicy", headlessWithoutSelector ? "RequireDualStack" : "SingleStack");
            }
            if (!spec.has("internalTrafficPolicy")) {
                spec.put("internalTrafficPolicy", "Cluster");
            }
        }
        if ((type.equals("NodePort") || type.equals("LoadBalancer")) && !spec.has("externalTrafficPolicy")) {
            spec.put("externalTrafficPolicy", "Cluster");
        }
        if (type.equals("LoadBalancer") && !spec.has("allocateLoadBalancerNodePorts")) {
            spec.put("allocateLoadBalancerNodePorts", true);
        }
        for (JsonNode port : spec.path("ports")) {
            ObjectNode p = (ObjectNode) port;
            if (!p.has("protocol")) {
                p.put("protocol", "TCP");
            }
            if (!p.has("targetPort")) {
                p.set("targetPort", p.get("port"));
            }
        }
    }

    static boolean needsNodePorts(JsonNode spec) {
        String type = spec.path("type").asText("ClusterIP");
        return type.equals("NodePort")
                || (type.equals("LoadBalancer") && spec.path("allocateLoadBalancerNodePorts").asBoolean(true));
    }

    private static java.util.Optional<JsonNode> oldPort(JsonNode oldSpec, JsonNode port) {
        Predicate<JsonNode> same = other -> other.path("port").asInt() == port.path("port").asInt()
                && other.path("protocol").asText("TCP").equals(port.path("protocol").asText("TCP"));
        for (JsonNode other : oldSpec.path("ports")) {
            if (same.test(other)) {
                return java.util.Optional.of(other);
            }
        }
        return java.util.Optional.empty();
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
        if (!TYPES.contains(type)) {
            errors.add(FieldError.notSupported("spec.type", type, TYPES));
        }
        String clusterIp = spec.path("clusterIP").asText("");
        boolean headless = "None".equals(clusterIp);
        if (type.equals("ExternalName")) {
            if (!clusterIp.isEmpty() || !spec.path("clusterIPs").isEmpty()) {
                errors.add(FieldError.forbidden("spec.clusterIPs", "may not be set for ExternalName services"));
            }
            if (spec.path("externalName").asText("").isEmpty()) {
                errors.add(FieldError.required("spec.externalName"));
            }
        } else {
            if (!clusterIp.isEmpty() && !headless && !IpRange.isCanonicalIpv4(clusterIp)) {
                errors.add(FieldError.invalid("spec.clusterIPs[0]", clusterIp,
                        "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"));
            }
            JsonNode clusterIps = spec.path("clusterIPs");
            if (clusterIps.size() > 1) {
                errors.add(FieldError.invalid("spec.clusterIPs", clusterIps.toString(), "may specify no more than one IP for each IP family"));
            } else if (clusterIps.size() == 1 && !clusterIps.get(0).asText().equals(clusterIp)) {
                errors.add(FieldError.invalid("spec.clusterIPs[0]", clusterIps.get(0).asText(), "must match `clusterIP`"));
            }
            if (headless && (type.equals("NodePort") || type.equals("LoadBalancer"))) {
                errors.add(FieldError.invalid("spec.clusterIPs[0]", clusterIp, "may not be set to 'None' for " + type + " services"));
            }
        }
        if (!type.equals("ExternalName") && !headless && (!spec.path("ports").isArray() || spec.path("ports").isEmpty())) {
            errors.add(FieldError.required("spec.ports"));
        }
        boolean nodePortsAllowed = type.equals("NodePort") || type.equals("LoadBalancer");
        int i = 0;
        for (JsonNode port : spec.path("ports")) {
            String path = "spec.ports[" + i + "]";
            int number = port.path("port").asInt(0);
            if (number < 1 || number > 65535) {
                errors.add(FieldError.invalid(path + ".port", number, "must be between 1 and 65535, inclusive"));
            }
            if (spec.path("ports").size() > 1 && port.path("name").asText("").isEmpty()) {
                errors.add(FieldError.required(path + ".name"));
            }
            int nodePort = port.path("nodePort").asInt(0);
            if (nodePort != 0 && !nodePortsAllowed) {
                errors.add(FieldError.forbidden(path + ".nodePort", "may not be used when `type` is '" + type + "'"));
            } else if (nodePort < 0 || nodePort > 65535) {
                errors.add(FieldError.invalid(path + ".nodePort", nodePort, "must be between 1 and 65535, inclusive"));
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
        boolean oldExternalName = "ExternalName".equals(old.path("spec").path("type").asText());
        boolean newExternalName = "ExternalName".equals(service.path("spec").path("type").asText());
        if (!oldIp.isEmpty() && !oldIp.equals(newIp) && !oldExternalName && !newExternalName) {
            errors.add(FieldError.invalid("spec.clusterIPs[0]", newIp, "may not change once set"));
        }
        return errors;
    }
}
