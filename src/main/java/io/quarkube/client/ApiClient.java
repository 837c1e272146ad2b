package io.quarkube.client;

import java.util.List;
import java.util.function.UnaryOperator;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.quarkube.json.Json;
import io.quarkube.registry.DeleteOptions;
import io.quarkube.registry.GenericStore;
import io.quarkube.registry.GenericStore.Part;
import io.quarkube.registry.ResourceCatalog;
import io.quarkube.registry.ResourceService;
import io.quarkube.registry.ResourceType;
import io.quarkube.registry.StatusException;
import io.quarkube.registry.WriteOptions;
import io.quarkube.storage.StoredObject;
import io.smallrye.mutiny.Uni;

/**
 * The API as controllers and the scheduler use it inside the control plane: typed Fabric8 objects
 * in and out, every write through the resource service (the same defaulting, validation and
 * admission as a request over HTTP), reads of a kind's current state, and informers.
 */
@ApplicationScoped
public class ApiClient {

    private static final WriteOptions WRITE = new WriteOptions(false, "Strict", "quarkube-controller-manager");

    @Inject
    ResourceService resources;

    /** The served (or internal, not served) kind of a Fabric8 model class. */
    public static ResourceType typeOf(Class<? extends HasMetadata> kind) {
        String group = HasMetadata.getGroup(kind);
        String plural = HasMetadata.getPlural(kind);
        return ResourceCatalog.find(group, HasMetadata.getVersion(kind), plural)
                .or(() -> ResourceCatalog.internal().stream()
                        .filter(t -> t.group().equals(group) && t.plural().equals(plural)).findFirst())
                .orElseThrow(() -> new IllegalArgumentException("not a stored kind: " + kind.getName()));
    }

    /** The object, or null when it does not exist. */
    public <T extends HasMetadata> Uni<T> get(Class<T> kind, String namespace, String name) {
        return store(kind).get(namespace, name).map(object -> convert(object, kind))
                .onFailure(ApiClient::isNotFound).recoverWithNull();
    }

    /** Every object of the kind in the namespace ("" for all), read consistently from storage. */
    public <T extends HasMetadata> Uni<List<T>> list(Class<T> kind, String namespace, String labelSelector) {
        return store(kind).list(namespace, "", "", 0, "", labelSelector, "")
                .map(result -> result.items().stream().map(StoredObject::object).map(o -> convert(o, kind)).toList());
    }

    public <T extends HasMetadata> Uni<T> create(T object) {
        @SuppressWarnings("unchecked")
        Class<T> kind = (Class<T>) object.getClass();
        return store(kind).create(object.getMetadata().getNamespace(), toJson(object), WRITE)
                .map(result -> convert(result.object(), kind));
    }

    /** Replaces the object's main part (metadata and spec); its resourceVersion is the precondition (409 when stale). */
    public <T extends HasMetadata> Uni<T> update(T object) {
        return replace(object, Part.MAIN);
    }

    /** Replaces the object's status, like a PUT to the status subresource. */
    public <T extends HasMetadata> Uni<T> updateStatus(T object) {
        return replace(object, Part.STATUS);
    }

    /**
     * Applies change to the current object and writes it, retrying on conflicting writes, like a
     * read-modify-write loop of client-go's RetryOnConflict. Fails with 404 when the object is gone.
     */
    public <T extends HasMetadata> Uni<T> modify(Class<T> kind, String namespace, String name, Part part,
            UnaryOperator<T> change) {
        return store(kind).modify(namespace, name, WRITE, part, current -> toJson(change.apply(convert(current, kind))))
                .map(result -> convert(result.object(), kind));
    }

    /**
     * Assigns the pod to the node as a POST of the pods/binding subresource does: only a pod not
     * yet assigned and not being deleted, setting PodScheduled=True.
     */
    public Uni<io.fabric8.kubernetes.api.model.Pod> bind(String namespace, String name, String nodeName) {
        var pods = io.fabric8.kubernetes.api.model.Pod.class;
        return store(pods).modify(namespace, name, WRITE, Part.BINDING, current -> {
            Json.with(current, "spec").put("nodeName", nodeName);
            return current;
        }).map(result -> convert(result.object(), pods));
    }

    /** Deletes the object; true when it existed. Objects with finalizers or a grace period are only marked. */
    public Uni<Boolean> delete(Class<? extends HasMetadata> kind, String namespace, String name, DeleteOptions options) {
        return store(kind).delete(namespace, name, options).replaceWith(true)
                .onFailure(ApiClient::isNotFound).recoverWithItem(false);
    }

    /**
     * Completes once informers have seen the given objects as written (or anything later): a
     * controller that just created or deleted objects waits for this before its next look, so it
     * never acts twice on a stale cache.
     */
    public Uni<Void> awaitObserved(List<? extends HasMetadata> written) {
        long newest = 0;
        for (HasMetadata object : written) {
            if (object != null && object.getMetadata().getResourceVersion() != null) {
                newest = Math.max(newest, Long.parseLong(object.getMetadata().getResourceVersion()));
            }
        }
        return newest == 0 ? Uni.createFrom().voidItem() : resources.awaitObserved(newest);
    }

    /**
     * Runs a controller's writes together; once every one has ended, waits until informers have
     * seen those that succeeded, then fails with the first failure if any. A retry therefore starts
     * from a cache that holds every write that did happen, and never repeats one (a pod created twice).
     */
    public <T extends HasMetadata> Uni<List<T>> settle(List<Uni<T>> writes) {
        if (writes.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        List<Throwable> failures = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        List<Uni<T>> recovered = writes.stream()
                .map(write -> write.onFailure().recoverWithItem(failure -> {
                    failures.add(failure);
                    return null;
                })).toList();
        return Uni.join().all(recovered).andFailFast().flatMap(results -> {
            List<T> written = results.stream().filter(java.util.Objects::nonNull).toList();
            return awaitObserved(written).map(ignored -> {
                if (!failures.isEmpty()) {
                    throw new IllegalStateException(failures.size() + " of " + writes.size() + " writes failed: "
                            + failures.get(0).getMessage(), failures.get(0));
                }
                return written;
            });
        });
    }

    /** Deletes the object and returns it as deleted or marked for deletion; null when it did not exist. */
    public <T extends HasMetadata> Uni<T> deleteObject(Class<T> kind, String namespace, String name, DeleteOptions options) {
        return store(kind).delete(namespace, name, options).map(result -> convert(result.object(), kind))
                .onFailure(ApiClient::isNotFound).recoverWithNull();
    }

    /** A cache of the kind in the namespace ("" for all), kept current by a watch; call {@link Informer#start()}. */
    public <T extends HasMetadata> Informer<T> informer(Class<T> kind, String namespace) {
        return new Informer<>(resources, typeOf(kind), kind, namespace);
    }

    private <T extends HasMetadata> Uni<T> replace(T object, Part part) {
        @SuppressWarnings("unchecked")
        Class<T> kind = (Class<T>) object.getClass();
        return store(kind).update(object.getMetadata().getNamespace(), object.getMetadata().getName(), toJson(object), WRITE, part)
                .map(result -> convert(result.object(), kind));
    }

    private GenericStore store(Class<? extends HasMetadata> kind) {
        return resources.store(typeOf(kind));
    }

    public static boolean isNotFound(Throwable failure) {
        return failure instanceof StatusException status && status.code() == 404;
    }

    public static boolean isConflict(Throwable failure) {
        return failure instanceof StatusException status && status.code() == 409;
    }

    static <T> T convert(ObjectNode object, Class<T> kind) {
        return Json.MAPPER.convertValue(object, kind);
    }

    /**
     * The object as the tree a request body with its JSON would give. Not valueToTree: that keeps
     * a Long field's 30 as a long node, which compares unequal to the int node parsing gives, and
     * the strategies' immutability and generation checks compare trees.
     */
    static ObjectNode toJson(Object object) {
        try {
            return (ObjectNode) Json.MAPPER.readTree(Json.bytes(object));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
