package io.quarkube.registry;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * How a resource served from another resource's storage maps onto it, as kube-apiserver serves
 * events.k8s.io/v1 Events from the core Events' storage: one set of stored objects, every read
 * converted to the served version and every write converted back. Pure functions; neither
 * argument is changed.
 */
public interface Conversion {

    /** The stored form of an object of the served version (apiVersion and kind of the stored resource). */
    ObjectNode toStored(ObjectNode served);

    /** The served form of a stored object. */
    ObjectNode toServed(ObjectNode stored);

    /**
     * The field selector labels of the served version besides metadata.name and metadata.namespace,
     * each read from the stored form.
     */
    Map<String, Function<ObjectNode, String>> selectableFields();

    /**
     * Rules the served version adds to the stored resource's validation for creates, checked on the
     * stored form (kube-apiserver validates events.k8s.io/v1 creates more strictly than core/v1 ones).
     */
    default List<FieldError> validateCreate(ObjectNode stored) {
        return List.of();
    }
}
