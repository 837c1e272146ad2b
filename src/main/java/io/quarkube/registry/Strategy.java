package io.quarkube.registry;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One kind's rules, in the order kube-apiserver applies them: prepare (normalise and default; never
 * rejects), then validate (reports field errors; never mutates). Pure functions over the object
 * tree; the generic store does the I/O.
 */
public interface Strategy {

    /** Defaults and normalises a new object; status is reset where the kind has a status subresource. */
    default void prepareForCreate(ObjectNode object) {
    }

    /** Carries over what an update may not change (the generic store already keeps status and metadata). */
    default void prepareForUpdate(ObjectNode object, ObjectNode old) {
    }

    default List<FieldError> validate(ObjectNode object) {
        return List.of();
    }

    default List<FieldError> validateUpdate(ObjectNode object, ObjectNode old) {
        return validate(object);
    }

    /**
     * Whether the object waits for finalization beyond metadata.finalizers before it may go (a
     * namespace waits for its spec.finalizers, which the namespace's content cleanup removes).
     */
    default boolean awaitsFinalization(ObjectNode object) {
        return false;
    }

    /** Marks an object whose deletion has begun but must wait (a namespace turns Terminating). */
    default void prepareForDeletion(ObjectNode object) {
    }

    /** Whether metadata.generation counts changes of everything but metadata and status. */
    default boolean tracksGeneration() {
        return false;
    }

    /** Name validation: most kinds use DNS-1123 subdomains. */
    default List<FieldError> validateName(String name) {
        return Validation.dnsSubdomain("metadata.name", name);
    }

    /** Fields a fieldSelector may name besides metadata.name and metadata.namespace, with their values. */
    default Map<String, Function<ObjectNode, String>> selectableFields() {
        return Map.of();
    }
}
