package io.quarkube.registry.service;

import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Supplier;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkube.json.Json;
import io.quarkube.registry.DeleteOptions;
import io.quarkube.registry.GenericStore;
import io.quarkube.registry.StatusException;
import io.quarkube.registry.WriteOptions;
import io.quarkube.storage.StoredObject;
import io.smallrye.mutiny.Uni;

/**
 * Hands out the values of one range (service cluster IPs, node ports) as kube-apiserver's IPAddress
 * allocator does: a value is allocated by creating a cluster-scoped object named after it, through
 * the resource service. Uniqueness is therefore the store's: of two replicas creating the same
 * name, one gets AlreadyExists. Dynamic values come from the upper part of the range first, leaving
 * the lower band to values users ask for by number (KEP-3070, KEP-3668).
 */
public final class RangeAllocator {

    private static final Logger LOG = Logger.getLogger(RangeAllocator.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Collisions with concurrent allocations tolerated before giving up on one request. */
    private static final int CREATE_ATTEMPTS = 32;
    private static final WriteOptions WRITE = new WriteOptions(false, "Strict", "quarkube-apiserver");

    /** One range's values: how they are numbered, named and recorded. */
    public interface Values {
        long size();

        String nameAt(long offset);

        /** The value's offset, empty when the name is not a value of the range. */
        OptionalLong offsetOf(String name);

        /** Values below this offset are handed out dynamically only when the rest is full. */
        long staticBand();

        /** The allocation object recording that owner holds the value. */
        ObjectNode allocationObject(String name, Owner owner);
    }

    /** The Service holding a value (the allocation object's spec.parentRef). */
    public record Owner(String namespace, String name) {
        static Owner of(ObjectNode service) {
            return new Owner(Json.text(service, "metadata", "namespace"), Json.text(service, "metadata", "name"));
        }

        boolean holds(JsonNode allocation) {
            JsonNode ref = allocation.path("spec").path("parentRef");
            return "services".equals(ref.path("resource").asText()) && namespace.equals(ref.path("namespace").asText())
                    && name.equals(ref.path("name").asText());
        }

        static void write(ObjectNode spec, Owner owner) {
            spec.putObject("parentRef").put("group", "").put("resource", "services").put("namespace", owner.namespace())
                    .put("name", owner.name());
        }
    }

    /** Why a value could not be had. */
    public static final class AllocationException extends RuntimeException {
        public enum Reason { NOT_IN_RANGE, ALREADY_ALLOCATED, RANGE_FULL }

        private final Reason reason;

        AllocationException(Reason reason) {
            super(reason.name(), null, false, false);
            this.reason = reason;
        }

        public Reason reason() {
            return reason;
        }
    }

    private final Supplier<GenericStore> store;
    private final Values values;

    public RangeAllocator(Supplier<GenericStore> store, Values values) {
        this.store = store;
        this.values = values;
    }

    public Values values() {
        return values;
    }

    /** Allocates the named value for owner; fails when it is outside the range or already held. A dry run only checks. */
    public Uni<Void> allocate(String name, Owner owner, boolean dryRun) {
        if (values.offsetOf(name).isEmpty()) {
            return Uni.createFrom().failure(new AllocationException(AllocationException.Reason.NOT_IN_RANGE));
        }
        if (dryRun) {
            return store.get().get("", name).onItemOrFailure().transformToUni((found, failure) -> {
                if (failure != null && !isNotFound(failure)) {
                    return Uni.createFrom().failure(failure);
                }
                return found == null ? Uni.createFrom().voidItem()
                        : Uni.createFrom().failure(new AllocationException(AllocationException.Reason.ALREADY_ALLOCATED));
            });
        }
        return store.get().create("", values.allocationObject(name, owner), WRITE).replaceWithVoid()
                .onFailure(RangeAllocator::isAlreadyExists)
                .transform(e -> new AllocationException(AllocationException.Reason.ALREADY_ALLOCATED));
    }

    /** Allocates any free value for owner and returns its name; a dry run only finds one. */
    public Uni<String> allocateNext(Owner owner, boolean dryRun) {
        return store.get().list("", "0", "", 0, "", "", "").flatMap(listed -> {
            Set<String> taken = new HashSet<>();
            for (StoredObject allocation : listed.items()) {
                taken.add(allocation.key().name());
            }
            return tryNext(new Candidates(values, taken), owner, dryRun, CREATE_ATTEMPTS);
        });
    }

    private Uni<String> tryNext(Candidates candidates, Owner owner, boolean dryRun, int attemptsLeft) {
        if (!candidates.hasNext() || attemptsLeft == 0) {
            return Uni.createFrom().failure(new AllocationException(AllocationException.Reason.RANGE_FULL));
        }
        String name = candidates.next();
        if (dryRun) {
            return Uni.createFrom().item(name);
        }
        return allocate(name, owner, false).replaceWith(name).onFailure(AllocationException.class)
                .recoverWithUni(taken -> tryNext(candidates, owner, false, attemptsLeft - 1));
    }

    /** Releases the value if owner holds it; never fails (a value left behind is logged, not fatal to the caller). */
    public Uni<Void> release(String name, Owner owner) {
        GenericStore allocations = store.get();
        return allocations.get("", name)
                .flatMap(found -> owner.holds(found)
                        ? allocations.delete("", name, new DeleteOptions(false, null, null, Json.text(found, "metadata", "uid"), null))
                                .replaceWithVoid()
                        : Uni.createFrom().voidItem())
                .onFailure(RangeAllocator::isNotFound).recoverWithNull()
                .onFailure().recoverWithUni(failure -> {
                    LOG.warnf("could not release %s %s of service %s/%s: %s", allocations.type().kind(), name,
                            owner.namespace(), owner.name(), failure.getMessage());
                    return Uni.createFrom().voidItem();
                });
    }

    private static boolean isAlreadyExists(Throwable failure) {
        return failure instanceof StatusException status && status.code() == 409;
    }

    private static boolean isNotFound(Throwable failure) {
        return failure instanceof StatusException status && status.code() == 404;
    }

    /**
     * The free values in the order they are tried: the dynamic part of the range from a random
     * point round to it, then the static band likewise.
     */
    private static final class Candidates implements Iterator<String> {
        private final Values values;
        private final Set<String> taken;
        private final long[][] segments;
        private int segment;
        private long visited;
        private String next;

        Candidates(Values values, Set<String> taken) {
            this.values = values;
            this.taken = taken;
            long band = Math.min(values.staticBand(), values.size());
            long upper = values.size() - band;
            this.segments = new long[][] {
                {band, upper, upper == 0 ? 0 : (long) (RANDOM.nextDouble() * upper)},
                {0, band, band == 0 ? 0 : (long) (RANDOM.nextDouble() * band)}};
        }

        @Override
        public boolean hasNext() {
            while (next == null && segment < segments.length) {
                long[] s = segments[segment];
                if (visited >= s[1]) {
                    segment++;
                    visited = 0;
                    continue;
                }
                String name = values.nameAt(s[0] + (s[2] + visited) % s[1]);
                visited++;
                if (!taken.contains(name)) {
                    next = name;
                }
            }
            return next != null;
        }

        @Override
        public String next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            String name = next;
            taken.add(name);
            next = null;
            return name;
        }
    }
}
