package io.quarkube.registry.networking;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkube.registry.FieldError;
import io.quarkube.registry.Strategy;
import io.quarkube.registry.service.IpRange;

/**
 * IPAddress (networking.k8s.io/v1) and the internal ServiceNodePort records: named by the value
 * they allocate, with a parentRef to the holder that never changes, as kube-apiserver validates IPAddress.
 */
public final class IPAddressStrategy implements Strategy {

    private final boolean ipAddresses;

    private IPAddressStrategy(boolean ipAddresses) {
        this.ipAddresses = ipAddresses;
    }

    public static IPAddressStrategy ipAddresses() {
        return new IPAddressStrategy(true);
    }

    public static IPAddressStrategy nodePorts() {
        return new IPAddressStrategy(false);
    }

    @Override
    public List<FieldError> validateName(String name) {
        if (ipAddresses ? IpRange.isCanonicalIpv4(name) : name.matches("[1-9][0-9]{0,4}")) {
            return List.of();
        }
        return List.of(FieldError.invalid("metadata.name", name, ipAddresses
                ? "must be a canonical format IP address" : "must be a port number"));
    }

    @Override
    public List<FieldError> validate(ObjectNode object) {
        List<FieldError> errors = new ArrayList<>();
        JsonNode ref = object.path("spec").path("parentRef");
        if (ref.isMissingNode() || ref.isNull()) {
            errors.add(FieldError.required("spec.parentRef"));
            return errors;
        }
        if (ref.path("resource").asText("").isEmpty()) {
            errors.add(FieldError.required("spec.parentRef.resource"));
        }
        if (ref.path("name").asText("").isEmpty()) {
            errors.add(FieldError.required("spec.parentRef.name"));
        }
        return errors;
    }

    @Override
    public List<FieldError> validateUpdate(ObjectNode object, ObjectNode old) {
        List<FieldError> errors = new ArrayList<>(validate(object));
        if (!object.path("spec").path("parentRef").equals(old.path("spec").path("parentRef"))) {
            errors.add(FieldError.immutable("spec.parentRef"));
        }
        return errors;
    }
}
