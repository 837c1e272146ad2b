package io.quarkube.registry;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkube.json.Json;
import io.quarkube.json.Timestamps;
import io.quarkube.storage.ListRequest;
import io.quarkube.storage.ListResult;
import io.quarkube.storage.ObjectKey;
import io.quarkube.storage.Storage;
import io.quarkube.storage.StorageException;
import io.quarkube.storage.StoredObject;
import io.smallrye.mutiny.Uni;

/**
 * The CRUD flow every kind shares, as kube-apiserver's generic registry runs it: metadata rules,
 * the kind's {@link Strategy} in a fixed order, optimistic concurrency, status subresource
 * separation, finalizers and graceful deletion, dry run. The only caller of {@link Storage}.
 */
public final class GenericStore {

    private static final String NAME_SUFFIX_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Which part of the object a write may change. */
    public enum Part { MAIN, STATUS, BINDING, FINALIZE }

    private final ResourceType type;
    private final Strategy strategy;
    private final Storage storage;
    private final NamespaceCheck namespaces;
    private final WriteHooks hooks;
    /** The resource whose objects storage holds: this type's own, or the one this type is a view of. */
    private final String storageResource;
    /** Between this type's objects and the stored ones; null when this type is stored as itself. */
    private final Conversion conversion;

    GenericStore(ResourceType type, Strategy strategy, Storage storage, NamespaceCheck namespaces) {
        this(type, strategy, WriteHooks.NONE, storage, namespaces);
    }

    GenericStore(ResourceType type, Strategy strategy, WriteHooks hooks, Storage storage, NamespaceCheck namespaces) {
        this.type = type;
        this.strategy = strategy;
        this.hooks = hooks;
        this.storage = storage;
        this.namespaces = namespaces;
        this.storageResource = type.groupResource();
        this.conversion = null;
    }

    /**
     * A view of another resource's store: the same stored objects, read and written through
     * conversion, admitted by that resource's strategy (as kube-apiserver serves events.k8s.io/v1
     * Events from the core Events' registry).
     */
    GenericStore(ResourceType type, GenericStore storedAs, Conversion conversion) {
        this.type = type;
        this.strategy = storedAs.strategy;
        this.storage = storedAs.storage;
        this.namespaces = storedAs.namespaces;
        this.hooks = storedAs.hooks;
        this.storageResource = storedAs.storageResource;
        this.conversion = conversion;
    }

    /** The resource name the storage and the watch cache file this type's objects under. */
    public String storageResource() {
        return storageResource;
    }

    /** A stored object as this type serves it (the object itself unless this type is a converted view). */
    public ObjectNode toServed(ObjectNode stored) {
        return conversion == null || stored == null ? stored : conversion.toServed(stored);
    }

    /** A change of stored objects as a watcher of this type sees it. */
    public io.quarkube.storage.WatchEvent toServed(io.quarkube.storage.WatchEvent event) {
        return conversion == null ? event : new io.quarkube.storage.WatchEvent(event.type(), event.revision(), event.key(),
                toServed(event.object()), toServed(event.previous()));
    }

    private ObjectNode toStored(ObjectNode served) {
        return conversion == null ? served : conversion.toStored(served);
    }

    private WriteResult served(WriteResult result) {
        return conversion == null ? result : new WriteResult(toServed(result.object()), result.created(), result.warnings());
    }

    private DeleteResult served(DeleteResult result) {
        return conversion == null ? result : new DeleteResult(toServed(result.object()), result.pending());
    }

    private ListResult served(ListResult result) {
        if (conversion == null) {
            return result;
        }
        List<StoredObject> items = new ArrayList<>(result.items().size());
        for (StoredObject item : result.items()) {
            items.add(new StoredObject(item.key(), item.revision(), toServed(item.object())));
        }
        return new ListResult(items, result.revision(), result.continueToken(), result.remainingItemCount());
    }

    public ResourceType type() {
        return type;
    }

    public Strategy strategy() {
        return strategy;
    }

    ObjectKey key(String namespace, String name) {
        return new ObjectKey(storageResource, type.namespaced() ? namespace : "", name);
    }

    // ---- reads -------------------------------------------------------------------------------

    public Uni<ObjectNode> get(String namespace, String name) {
        return storage.get(key(namespace, name))
                .map(found -> toServed(found.orElseThrow(() -> StatusException.notFound(type, name)).object()));
    }

    public Uni<ListResult> list(String namespace, String resourceVersion, String match, long limit,
            String continueToken, String labelSelector, String fieldSelector) {
        ListRequest request = new ListRequest(storageResource, type.namespaced() ? namespace : "",
                resourceVersion, match, limit, continueToken, selector(labelSelector, fieldSelector));
        // deferred so that a request refused while the list is being set up (a bad continue token)
        // fails the Uni and becomes a 400 like the others
        return Uni.createFrom().deferred(() -> storage.list(request)).map(this::served).onFailure(IllegalArgumentException.class)
                .transform(e -> StatusException.badRequest(e.getMessage()))
                .onFailure(StorageException.class).transform(this::translate);
    }

    /** Label and field selectors as one predicate; 400 for malformed selectors or unsupported fields. */
    public java.util.function.Predicate<ObjectNode> selector(String labelSelector, String fieldSelector) {
        try {
            LabelSelector labels = LabelSelector.parse(labelSelector);
            FieldSelector fields = FieldSelector.parse(fieldSelector,
                    conversion == null ? strategy.selectableFields() : conversion.selectableFields());
            return object -> labels.test(object) && fields.test(object);
        } catch (IllegalArgumentException e) {
            throw StatusException.badRequest(e.getMessage());
        }
    }

    // ---- create ------------------------------------------------------------------------------

    public Uni<WriteResult> create(String namespace, ObjectNode body, WriteOptions options) {
        return Uni.createFrom().item(() -> admitCreate(namespace, body, options))
                .flatMap(admitted -> namespaces.checkWritable(type, namespace, admitted.object())
                        .replaceWith(admitted))
                .flatMap(admitted -> hooks.beginCreate(admitted.object(), options.dryRun()).flatMap(transaction -> {
                    if (options.dryRun()) {
                        return Uni.createFrom().item(served(admitted));
                    }
                    String name = Json.text(admitted.object(), "metadata", "name");
                    return finish(transaction, storage.create(key(namespace, name), admitted.object())
                            .map(stored -> served(new WriteResult(stored.object(), true, admitted.warnings()))));
                }))
                .onFailure(StorageException.class).transform(this::translate);
    }

    /** The write's result once its transaction is committed (success) or reverted (failure). */
    private static <R> Uni<R> finish(WriteHooks.Transaction transaction, Uni<R> write) {
        return write.onItemOrFailure().call((result, failure) -> failure == null ? transaction.commit() : transaction.revert());
    }

    private WriteResult admitCreate(String namespace, ObjectNode served, WriteOptions options) {
        List<String> warnings = decode(served, options);
        ObjectNode body = toStored(served);
        ObjectNode metadata = Json.with(body, "metadata");
        applyNamespace(metadata, namespace);
        if (metadata.hasNonNull("resourceVersion") && !metadata.get("resourceVersion").asText().isEmpty()) {
            throw StatusException.badRequest("resourceVersion should not be set on objects to be created");
        }
        String name = Json.text(body, "metadata", "name");
        String generateName = Json.text(body, "metadata", "generateName");
        if ((name == null || name.isEmpty()) && generateName != null && !generateName.isEmpty()) {
            name = generatedName(generateName);
            metadata.put("name", name);
        }
        metadata.put("uid", UUID.randomUUID().toString());
        metadata.put("creationTimestamp", Timestamps.now());
        for (String field : List.of("resourceVersion", "deletionTimestamp", "deletionGracePeriodSeconds", "managedFields", "selfLink")) {
            metadata.remove(field);
        }
        if (strategy.tracksGeneration()) {
            metadata.put("generation", 1);
        } else {
            metadata.remove("generation");
        }
        strategy.prepareForCreate(body);
        List<FieldError> errors = new ArrayList<>(validateMetadata(body));
        errors.addAll(strategy.validate(body));
        if (conversion != null) {
            errors.addAll(conversion.validateCreate(body));
        }
        if (!errors.isEmpty()) {
            throw StatusException.invalid(type, name == null ? "" : name, errors);
        }
        return new WriteResult(body, true, warnings);
    }

    private void applyNamespace(ObjectNode metadata, String namespace) {
        if (!type.namespaced()) {
            metadata.remove("namespace");
            return;
        }
        String given = metadata.path("namespace").asText("");
        if (!given.isEmpty() && !given.equals(namespace)) {
            throw StatusException.badRequest("the namespace of the provided object does not match the namespace sent on the request");
        }
        metadata.put("namespace", namespace);
    }

    private List<FieldError> validateMetadata(ObjectNode object) {
        List<FieldError> errors = new ArrayList<>();
        String name = Json.text(object, "metadata", "name");
        if (name == null || name.isEmpty()) {
            errors.add(new FieldError("FieldValueRequired", "metadata.name", "Required value: name or generateName is required"));
        } else {
            errors.addAll(strategy.validateName(name));
        }
        JsonNode metadata = object.path("metadata");
        errors.addAll(Validation.labels("metadata.labels", metadata.get("labels")));
        errors.addAll(Validation.annotations("metadata.annotations", metadata.get("annotations")));
        JsonNode finalizers = metadata.path("finalizers");
        for (int i = 0; i < finalizers.size(); i++) {
            String finalizer = finalizers.get(i).asText();
            if (Validation.qualifiedName("metadata.finalizers[" + i + "]", finalizer).size() > 0) {
                errors.add(FieldError.invalid("metadata.finalizers[" + i + "]", finalizer, "name part must consist of alphanumeric characters"));
            }
        }
        return errors;
    }

    private static String generatedName(String prefix) {
        StringBuilder name = new StringBuilder(prefix.length() > 58 ? prefix.substring(0, 58) : prefix);
        for (int i = 0; i < 5; i++) {
            name.append(NAME_SUFFIX_ALPHABET.charAt(RANDOM.nextInt(NAME_SUFFIX_ALPHABET.length())));
        }
        return name.toString();
    }

    /**
     * Checks the body decodes as the kind and drops fields the kind does not have: 400 for a type
     * mismatch or, under Strict, an unknown field; warnings under Warn.
     */
    List<String> decode(ObjectNode body, WriteOptions options) {
        String apiVersion = Json.text(body, "apiVersion");
        String kind = Json.text(body, "kind");
        if (kind != null && !kind.isEmpty() && !kind.equals(type.kind())) {
            throw StatusException.badRequest("the API version in the data (" + apiVersion + ") does not match the expected API version ("
                    + type.apiVersion() + ") or kind (" + kind + ") does not match " + type.kind());
        }
        if (apiVersion != null && !apiVersion.isEmpty() && !apiVersion.equals(type.apiVersion())) {
            throw StatusException.badRequest("the API version in the data (" + apiVersion + ") does not match the expected API version (" + type.apiVersion() + ")");
        }
        body.put("apiVersion", type.apiVersion());
        body.put("kind", type.kind());
        List<String> unknown;
        try {
            unknown = KnownFields.prune(body, type.modelClass());
        } catch (KnownFields.FieldTypeMismatch e) {
            throw StatusException.badRequest(type.kind() + " in version \"" + type.version() + "\" cannot be handled as a "
                    + type.kind() + ": " + e.getMessage());
        }
        if (unknown.isEmpty() || "Ignore".equals(options.fieldValidation())) {
            return List.of();
        }
        List<String> messages = unknown.stream().map(path -> "unknown field \"" + path + "\"").toList();
        if ("Strict".equals(options.fieldValidation())) {
            throw StatusException.badRequest("strict decoding error: " + String.join(", ", messages));
        }
        return messages;
    }

    // ---- update and patch --------------------------------------------------------------------

    /**
     * Replaces the object with candidate (PUT); for {@link Part#STATUS} only its status. A
     * resourceVersion in the body is a precondition (409 when stale).
     */
    public Uni<WriteResult> update(String namespace, String name, ObjectNode body, WriteOptions options, Part part) {
        List<String> warnings = decode(body, options);
        ObjectNode stored = toStored(body);
        // each attempt admits a fresh copy: admission rewrites the object, and a retry after a
        // concurrent write must still see the body's own resourceVersion precondition
        return modify(namespace, name, options, part, current -> admitUpdate(current, stored.deepCopy(), part, true), warnings);
    }

    /** Applies mutate to the current object and admits the result like an update. */
    public Uni<WriteResult> modify(String namespace, String name, WriteOptions options, Part part,
            java.util.function.Function<ObjectNode, ObjectNode> mutate) {
        return modify(namespace, name, options, part, current -> {
            ObjectNode candidate = mutate.apply(conversion == null ? current.object().deepCopy() : toServed(current.object()));
            List<String> warnings = decode(candidate, options);
            return admitUpdate(current, toStored(candidate), part, true).withWarnings(warnings);
        }, List.of());
    }

    private record Admitted(ObjectNode object, boolean deleteNow, List<String> warnings) {
        Admitted withWarnings(List<String> more) {
            List<String> all = new ArrayList<>(warnings);
            all.addAll(more);
            return new Admitted(object, deleteNow, all);
        }
    }

    private Uni<WriteResult> modify(String namespace, String name, WriteOptions options, Part part,
            java.util.function.Function<StoredObject, Admitted> admit, List<String> warnings) {
        ObjectKey key = key(namespace, name);
        if (options.dryRun()) {
            return storage.get(key).map(found -> found.orElseThrow(() -> StatusException.notFound(type, name)))
                    .flatMap(current -> {
                        Admitted admitted = admit.apply(current);
                        return begin(admitted, current, part, true)
                                .map(ignored -> served(new WriteResult(admitted.object(), false, warnings)));
                    });
        }
        List<String> collected = new ArrayList<>(warnings);
        Admitted[] last = new Admitted[1];
        // the transaction of the latest attempt: an attempt lost to a concurrent write gives its own back
        WriteHooks.Transaction[] pending = {WriteHooks.Transaction.NONE};
        Uni<WriteResult> write = storage.guaranteedUpdate(key, current -> {
            Admitted admitted = admit.apply(current);
            last[0] = admitted;
            if (admitted.deleteNow()) {
                throw new DeleteDuringUpdate(current.revision());
            }
            WriteHooks.Transaction previous = pending[0];
            pending[0] = WriteHooks.Transaction.NONE;
            return previous.revert().flatMap(ignored -> begin(admitted, current, part, false))
                    .map(transaction -> {
                        pending[0] = transaction;
                        return admitted.object();
                    });
        }).map(stored -> {
            if (last[0] != null) {
                collected.addAll(last[0].warnings());
            }
            return served(new WriteResult(stored.object(), false, collected));
        });
        return write.onItemOrFailure().call((result, failure) -> failure == null ? pending[0].commit() : pending[0].revert())
                .onFailure(DeleteDuringUpdate.class).recoverWithUni(failure -> deleteAdmitted(key, name,
                ((DeleteDuringUpdate) failure).revision, last[0].object())
                .map(deleted -> served(new WriteResult(deleted.object(), false, collected))))
                .onFailure(StorageException.class).transform(this::translate);
    }

    /** The kind's hook for a write of the main part; status and other subresources take nothing. */
    private Uni<WriteHooks.Transaction> begin(Admitted admitted, StoredObject current, Part part, boolean dryRun) {
        return part == Part.MAIN ? hooks.beginUpdate(admitted.object(), current.object(), dryRun)
                : Uni.createFrom().item(WriteHooks.Transaction.NONE);
    }

    /** Signals that an update removed the last finalizer of an object being deleted. */
    private static final class DeleteDuringUpdate extends RuntimeException {
        private final long revision;

        DeleteDuringUpdate(long revision) {
            super(null, null, false, false);
            this.revision = revision;
        }
    }

    /**
     * Deletes the object whose update at revision removed its last finalizer. The stored copy still
     * lists that finalizer, so only the revision is checked: a change since then means a conflict.
     */
    private Uni<DeleteResult> deleteAdmitted(ObjectKey key, String name, long revision, ObjectNode admitted) {
        return storage.guaranteedDelete(key, current -> current.revision() == revision ? Uni.createFrom().item(admitted)
                : Uni.createFrom().failure(StatusException.conflict(type, name,
                        "the object has been modified; please apply your changes to the latest version and try again")))
                .call(deleted -> hooks.afterDelete(deleted.object()))
                .map(deleted -> new DeleteResult(deleted.object(), false));
    }

    private Admitted admitUpdate(StoredObject current, ObjectNode candidate, Part part, boolean checkVersion) {
        ObjectNode old = current.object();
        String name = Json.text(old, "metadata", "name");
        ObjectNode metadata = Json.with(candidate, "metadata");
        String givenName = metadata.path("name").asText("");
        if (!givenName.isEmpty() && !givenName.equals(name)) {
            throw StatusException.badRequest("the name of the object (" + givenName + ") does not match the name on the URL (" + name + ")");
        }
        applyNamespace(metadata, current.key().namespace());
        String version = metadata.path("resourceVersion").asText("");
        if (checkVersion && !version.isEmpty() && !version.equals(Long.toString(current.revision()))) {
            throw StatusException.conflict(type, name, "the object has been modified; please apply your changes to the latest version and try again");
        }
        String uid = metadata.path("uid").asText("");
        if (!uid.isEmpty() && !uid.equals(Json.text(old, "metadata", "uid"))) {
            throw StatusException.conflict(type, name, "Precondition failed: UID in precondition: " + uid
                    + ", UID in object meta: " + Json.text(old, "metadata", "uid"));
        }
        ObjectNode updated;
        if (part == Part.BINDING) {
            updated = bound(old, candidate.path("spec").path("nodeName").asText(""), name);
        } else if (part == Part.FINALIZE) {
            updated = old.deepCopy();
            Json.with(updated, "spec").set("finalizers", candidate.path("spec").path("finalizers").deepCopy());
        } else if (part == Part.STATUS) {
            updated = old.deepCopy();
            if (candidate.has("status")) {
                updated.set("status", candidate.get("status"));
            }
        } else {
            updated = candidate;
            metadata.put("name", name);
            for (String field : List.of("uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation")) {
                if (old.path("metadata").has(field)) {
                    metadata.set(field, old.path("metadata").get(field));
                } else {
                    metadata.remove(field);
                }
            }
            metadata.remove("managedFields");
            if (type.hasSubresource("status")) {
                if (old.has("status")) {
                    updated.set("status", old.get("status"));
                } else {
                    updated.remove("status");
                }
            }
            strategy.prepareForUpdate(updated, old);
            if (type.hasSubresource("status") && old.has("status")) {
                updated.set("status", old.get("status"));
            }
            List<FieldError> errors = new ArrayList<>(validateMetadata(updated));
            errors.addAll(strategy.validateUpdate(updated, old));
            if (old.path("metadata").has("deletionTimestamp") && addsFinalizer(old, updated)) {
                errors.add(FieldError.forbidden("metadata.finalizers", "no new finalizers can be added if the object is being deleted"));
            }
            if (!errors.isEmpty()) {
                throw StatusException.invalid(type, name, errors);
            }
            if (strategy.tracksGeneration() && !withoutMetadataAndStatus(updated).equals(withoutMetadataAndStatus(old))) {
                metadata.put("generation", old.path("metadata").path("generation").asLong(0) + 1);
            }
        }
        Json.with(updated, "metadata").put("resourceVersion", Long.toString(current.revision()));
        boolean deleteNow = updated.path("metadata").has("deletionTimestamp")
                && updated.path("metadata").path("finalizers").isEmpty()
                && !strategy.awaitsFinalization(updated)
                && !awaitsGracefulTermination(updated);
        return new Admitted(updated, deleteNow, List.of());
    }

    /** The pod assigned to a node, as the binding subresource does it: once, and never while deleting. */
    private ObjectNode bound(ObjectNode old, String node, String name) {
        String current = old.path("spec").path("nodeName").asText("");
        if (!current.isEmpty()) {
            throw StatusException.conflict(type, name, "pod " + name + " is already assigned to node \"" + current + "\"");
        }
        if (old.path("metadata").has("deletionTimestamp")) {
            throw StatusException.conflict(type, name, "pod " + name + " is being deleted, cannot be assigned to a host");
        }
        ObjectNode updated = old.deepCopy();
        Json.with(updated, "spec").put("nodeName", node);
        ObjectNode status = Json.with(updated, "status");
        com.fasterxml.jackson.databind.node.ArrayNode conditions = status.has("conditions") && status.get("conditions").isArray()
                ? (com.fasterxml.jackson.databind.node.ArrayNode) status.get("conditions") : status.putArray("conditions");
        for (int i = conditions.size() - 1; i >= 0; i--) {
            if ("PodScheduled".equals(conditions.get(i).path("type").asText())) {
                conditions.remove(i);
            }
        }
        conditions.addObject().put("type", "PodScheduled").put("status", "True").putNull("lastProbeTime")
                .put("lastTransitionTime", Timestamps.now());
        return updated;
    }

    private static boolean addsFinalizer(ObjectNode old, ObjectNode updated) {
        List<String> before = new ArrayList<>();
        old.path("metadata").path("finalizers").forEach(f -> before.add(f.asText()));
        for (JsonNode finalizer : updated.path("metadata").path("finalizers")) {
            if (!before.contains(finalizer.asText())) {
                return true;
            }
        }
        return false;
    }

    private static JsonNode withoutMetadataAndStatus(ObjectNode object) {
        ObjectNode copy = object.deepCopy();
        copy.remove(List.of("metadata", "status", "apiVersion", "kind"));
        return copy;
    }

    /** A bound pod being deleted gracefully stays until its node's agent confirms termination. */
    private boolean awaitsGracefulTermination(ObjectNode object) {
        return type.groupResource().equals("pods") && object.path("spec").hasNonNull("nodeName")
                && object.path("metadata").path("deletionGracePeriodSeconds").asLong(0) > 0;
    }

    // ---- delete ------------------------------------------------------------------------------

    public Uni<DeleteResult> delete(String namespace, String name, DeleteOptions options) {
        ObjectKey key = key(namespace, name);
        return storage.get(key).map(found -> found.orElseThrow(() -> StatusException.notFound(type, name)))
                .flatMap(current -> {
                    checkPreconditions(current, options);
                    ObjectNode object = current.object();
                    // Orphan and Foreground leave the object to the garbage collector, through a finalizer
                    boolean hasFinalizers = !object.path("metadata").path("finalizers").isEmpty()
                            || strategy.awaitsFinalization(object) || policyFinalizer(options) != null;
                    long grace = gracePeriod(object, options);
                    if (options.dryRun()) {
                        return Uni.createFrom().item(new DeleteResult(object, hasFinalizers || grace > 0));
                    }
                    if (hasFinalizers || grace > 0) {
                        return markDeleting(key, name, options, grace);
                    }
                    return deleteNow(key, name, options);
                })
                .map(this::served)
                .onFailure(StorageException.class).transform(this::translate);
    }

    /**
     * Deletes every selected object of this kind in the namespace ("" for all) and returns them as
     * deleted or marked for deletion; objects already gone meanwhile are skipped.
     */
    public Uni<List<ObjectNode>> deleteCollection(String namespace, String labelSelector, String fieldSelector,
            DeleteOptions options) {
        return list(namespace, "", "", 0, "", labelSelector, fieldSelector).flatMap(listed -> {
            List<Uni<ObjectNode>> deletions = new ArrayList<>();
            for (StoredObject item : listed.items()) {
                deletions.add(delete(item.key().namespace(), item.key().name(), options).map(DeleteResult::object)
                        .onFailure(e -> e instanceof StatusException s && s.code() == 404).recoverWithNull());
            }
            Uni<List<ObjectNode>> all = deletions.isEmpty() ? Uni.createFrom().item(List.of())
                    : Uni.join().all(deletions).andFailFast();
            return all.map(deleted -> deleted.stream().filter(java.util.Objects::nonNull).toList());
        });
    }

    /** Pods bound to a node terminate gracefully; everything else goes at once. */
    private long gracePeriod(ObjectNode object, DeleteOptions options) {
        if (!type.groupResource().equals("pods") || !object.path("spec").hasNonNull("nodeName")) {
            return 0;
        }
        if (options.gracePeriodSeconds() != null) {
            return Math.max(0, options.gracePeriodSeconds());
        }
        return object.path("spec").path("terminationGracePeriodSeconds").asLong(30);
    }

    public static final String ORPHAN_FINALIZER = "orphan";
    public static final String FOREGROUND_FINALIZER = "foregroundDeletion";

    private static String policyFinalizer(DeleteOptions options) {
        String policy = options.propagationPolicy();
        return "Orphan".equals(policy) ? ORPHAN_FINALIZER : "Foreground".equals(policy) ? FOREGROUND_FINALIZER : null;
    }

    /**
     * Records the delete's propagation policy as kube-apiserver does: Orphan and Foreground add
     * their finalizer (and drop the other's); an explicit Background drops both.
     */
    private static void applyPropagationPolicy(ObjectNode metadata, DeleteOptions options) {
        if (options.propagationPolicy() == null) {
            return;
        }
        String wanted = policyFinalizer(options);
        var finalizers = Json.MAPPER.createArrayNode();
        metadata.path("finalizers").forEach(finalizer -> {
            String name = finalizer.asText();
            if (!name.equals(ORPHAN_FINALIZER) && !name.equals(FOREGROUND_FINALIZER)) {
                finalizers.add(name);
            }
        });
        if (wanted != null) {
            finalizers.add(wanted);
        }
        if (finalizers.isEmpty()) {
            metadata.remove("finalizers");
        } else {
            metadata.set("finalizers", finalizers);
        }
    }

    private Uni<DeleteResult> markDeleting(ObjectKey key, String name, DeleteOptions options, long grace) {
        return storage.guaranteedUpdate(key, current -> {
            checkPreconditions(current, options);
            ObjectNode updated = current.object().deepCopy();
            ObjectNode metadata = Json.with(updated, "metadata");
            strategy.prepareForDeletion(updated);
            applyPropagationPolicy(metadata, options);
            if (!metadata.has("deletionTimestamp")) {
                metadata.put("deletionTimestamp", Timestamps.of(Instant.now().plusSeconds(grace)));
                metadata.put("deletionGracePeriodSeconds", grace);
            } else if (grace < metadata.path("deletionGracePeriodSeconds").asLong(0)) {
                metadata.put("deletionGracePeriodSeconds", grace);
            }
            return Uni.createFrom().item(updated);
        }).flatMap(stored -> {
            boolean gone = stored.object().path("metadata").path("finalizers").isEmpty()
                    && !strategy.awaitsFinalization(stored.object()) && !awaitsGracefulTermination(stored.object());
            return gone ? deleteNow(key, name, options) : Uni.createFrom().item(new DeleteResult(stored.object(), true));
        });
    }

    private Uni<DeleteResult> deleteNow(ObjectKey key, String name, DeleteOptions options) {
        return storage.guaranteedDelete(key, current -> {
            checkPreconditions(current, options);
            if (!current.object().path("metadata").path("finalizers").isEmpty() || strategy.awaitsFinalization(current.object())) {
                return Uni.createFrom().failure(StatusException.conflict(type, name, "the object has finalizers"));
            }
            return Uni.createFrom().item(current.object());
        }).call(deleted -> hooks.afterDelete(deleted.object())).map(deleted -> new DeleteResult(deleted.object(), false));
    }

    private void checkPreconditions(StoredObject current, DeleteOptions options) {
        String name = current.key().name();
        if (options.uid() != null && !options.uid().equals(Json.text(current.object(), "metadata", "uid"))) {
            throw StatusException.conflict(type, name, "Precondition failed: UID in precondition: " + options.uid()
                    + ", UID in object meta: " + Json.text(current.object(), "metadata", "uid"));
        }
        if (options.resourceVersion() != null && !options.resourceVersion().equals(Long.toString(current.revision()))) {
            throw StatusException.conflict(type, name, "Precondition failed: ResourceVersion in precondition: "
                    + options.resourceVersion() + ", ResourceVersion in object meta: " + current.revision());
        }
    }

    private RuntimeException translate(Throwable failure) {
        StorageException e = (StorageException) failure;
        String name = e.key() == null ? "" : e.key().name();
        return switch (e.reason()) {
            case NOT_FOUND -> StatusException.notFound(type, name);
            case ALREADY_EXISTS -> StatusException.alreadyExists(type, name);
            case CONFLICT -> StatusException.conflict(type, name, e.getMessage());
            case EXPIRED -> StatusException.expired(e.getMessage());
            case TOO_LARGE_RESOURCE_VERSION -> new StatusException(504, "Timeout", e.getMessage(), null, null, null,
                    List.of(new FieldError("ResourceVersionTooLarge", "", "Too large resource version")), 1);
        };
    }
}
