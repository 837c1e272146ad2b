package io.quarkube.controllers.garbagecollector;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkube.registry.ResourceType;

/**
 * Every object the garbage collector knows, by uid, with its owners and its dependents: the graph
 * kube's garbage collector keeps. Fed from watches of every kind; read by reconciles on another
 * thread, hence synchronized.
 */
final class OwnerGraph {

    /** An ownerReference as stored on a dependent. */
    record OwnerRef(String apiVersion, String kind, String name, String uid, boolean blockOwnerDeletion) {
    }

    /** One object: where it lives, its owners, and whether (and how) it is being deleted. */
    record Node(String uid, ResourceType type, String namespace, String name, List<OwnerRef> owners,
            boolean deleting, Set<String> finalizers) {

        OwnerRef ownerRef(String ownerUid) {
            return owners.stream().filter(owner -> owner.uid().equals(ownerUid)).findFirst().orElse(null);
        }
    }

    private final Map<String, Node> nodes = new HashMap<>();
    private final Map<String, Set<String>> dependents = new HashMap<>();

    static Node nodeOf(ResourceType type, ObjectNode object) {
        JsonNode metadata = object.path("metadata");
        List<OwnerRef> owners = new ArrayList<>();
        for (JsonNode owner : metadata.path("ownerReferences")) {
            owners.add(new OwnerRef(owner.path("apiVersion").asText(), owner.path("kind").asText(), owner.path("name").asText(),
                    owner.path("uid").asText(), owner.path("blockOwnerDeletion").asBoolean(false)));
        }
        Set<String> finalizers = new HashSet<>();
        metadata.path("finalizers").forEach(finalizer -> finalizers.add(finalizer.asText()));
        return new Node(metadata.path("uid").asText(), type, metadata.path("namespace").asText(""),
                metadata.path("name").asText(), List.copyOf(owners), metadata.has("deletionTimestamp"), Set.copyOf(finalizers));
    }

    synchronized void put(Node node) {
        Node before = nodes.put(node.uid(), node);
        if (before != null) {
            before.owners().forEach(owner -> unlink(owner.uid(), node.uid()));
        }
        node.owners().forEach(owner -> dependents.computeIfAbsent(owner.uid(), uid -> new HashSet<>()).add(node.uid()));
    }

    synchronized void remove(String uid) {
        Node removed = nodes.remove(uid);
        if (removed != null) {
            removed.owners().forEach(owner -> unlink(owner.uid(), uid));
        }
    }

    synchronized Node get(String uid) {
        return nodes.get(uid);
    }

    synchronized boolean contains(String uid) {
        return nodes.containsKey(uid);
    }

    /** The objects that name uid among their owners (whether or not uid itself is known). */
    synchronized List<Node> dependents(String uid) {
        List<Node> found = new ArrayList<>();
        for (String dependent : dependents.getOrDefault(uid, Set.of())) {
            Node node = nodes.get(dependent);
            if (node != null) {
                found.add(node);
            }
        }
        return found;
    }

    private void unlink(String ownerUid, String dependentUid) {
        Set<String> of = dependents.get(ownerUid);
        if (of != null) {
            of.remove(dependentUid);
            if (of.isEmpty()) {
                dependents.remove(ownerUid);
            }
        }
    }
}
