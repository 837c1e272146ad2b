package io.quarkube.leaderelection;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

import org.jboss.logging.Logger;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseSpec;
import io.quarkube.client.ApiClient;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.impl.VertxInternal;

/**
 * Leader election on a {@code coordination.k8s.io/v1} Lease, as client-go's leaderelection does:
 * try to acquire or renew every retry period; a lease held by another replica is taken only after
 * it went unrenewed for its duration, measured on this replica's own clock from when the record
 * last changed (so clocks of different replicas need not agree); a leader that cannot renew within
 * the renew deadline steps down. Writes carry the read resourceVersion, so of two replicas racing
 * for an expired lease exactly one wins.
 */
public final class LeaderElector {

    private static final Logger LOG = Logger.getLogger(LeaderElector.class);

    /** Told when this replica starts and stops leading; called on the elector's own context. */
    public interface Callbacks {
        void startedLeading();

        void stoppedLeading();
    }

    private final String namespace;
    private final String name;
    private final String identity;
    private final ApiClient api;
    private final Vertx vertx;
    private final LeaderElectionConfig config;
    private final Callbacks callbacks;
    private final Context context;

    private long timer = -1;
    private boolean leader;
    private boolean attempting;
    private long lastRenewNanos;
    /** The holder and renew time last read, and when (local monotonic clock) they last changed. */
    private String observedRecord;
    private long observedAtNanos;

    public LeaderElector(String namespace, String name, String identity, ApiClient api, Vertx vertx,
            LeaderElectionConfig config, Callbacks callbacks) {
        this.namespace = namespace;
        this.name = name;
        this.identity = identity;
        this.api = api;
        this.vertx = vertx;
        this.config = config;
        this.callbacks = callbacks;
        this.context = ((VertxInternal) vertx).createEventLoopContext();
    }

    public String identity() {
        return identity;
    }

    private static final String GENERATED_IDENTITY = generatedIdentity();

    /**
     * This replica's name in leases and events: the configured identity, else its host name and a
     * random suffix fixed for the life of the process (so all its components share one name).
     */
    public static String identity(LeaderElectionConfig config) {
        return config.identity().orElse(GENERATED_IDENTITY);
    }

    private static String generatedIdentity() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "quarkube";
        }
        return host + "_" + java.util.UUID.randomUUID();
    }

    /** True while this replica holds the lease (as of its last successful renewal). */
    public boolean isLeader() {
        return leader;
    }

    public void start() {
        context.runOnContext(ignored -> {
            tick();
            timer = vertx.setPeriodic(config.retryPeriod().toMillis(), id -> context.runOnContext(ignoredToo -> tick()));
        });
    }

    /** Stops competing; a leader releases the lease so another replica takes over at once. */
    public Uni<Void> stop() {
        return Uni.createFrom().<Boolean> emitter(emitter -> context.runOnContext(ignored -> {
            vertx.cancelTimer(timer);
            boolean wasLeader = leader;
            if (wasLeader) {
                stepDown("stopping");
            }
            emitter.complete(wasLeader);
        })).flatMap(wasLeader -> wasLeader ? release() : Uni.createFrom().voidItem());
    }

    private void tick() {
        if (leader && System.nanoTime() - lastRenewNanos > config.renewDeadline().toNanos()) {
            stepDown("could not renew the lease within " + config.renewDeadline());
        }
        if (attempting) {
            return;
        }
        attempting = true;
        tryAcquireOrRenew().subscribe().with(
                held -> context.runOnContext(ignored -> settle(held, null)),
                failure -> context.runOnContext(ignored -> settle(false, failure)));
    }

    private void settle(boolean held, Throwable failure) {
        attempting = false;
        if (held) {
            lastRenewNanos = System.nanoTime();
            if (!leader) {
                leader = true;
                LOG.infof("%s now leads %s/%s", identity, namespace, name);
                callbacks.startedLeading();
            }
        } else if (leader && failure == null) {
            // the lease shows another holder: someone took over
            stepDown("another replica holds the lease");
        } else if (failure != null && !ApiClient.isConflict(failure)) {
            LOG.debugf("%s could not acquire or renew %s/%s: %s", identity, namespace, name, failure.getMessage());
        }
    }

    private void stepDown(String why) {
        leader = false;
        LOG.infof("%s stops leading %s/%s: %s", identity, namespace, name, why);
        callbacks.stoppedLeading();
    }

    /** True when this replica holds the lease after the attempt. */
    private Uni<Boolean> tryAcquireOrRenew() {
        ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
        int durationSeconds = (int) Math.max(1, config.leaseDuration().toSeconds());
        return api.get(Lease.class, namespace, name).flatMap(current -> {
            if (current == null) {
                Lease lease = new Lease();
                lease.setMetadata(new ObjectMetaBuilder().withNamespace(namespace).withName(name).build());
                lease.setSpec(new LeaseSpec(now, identity, durationSeconds, 0, null, now, null));
                return api.create(lease).replaceWith(true);
            }
            LeaseSpec spec = current.getSpec() == null ? new LeaseSpec() : current.getSpec();
            String holder = Objects.requireNonNullElse(spec.getHolderIdentity(), "");
            observe(holder + "@" + spec.getRenewTime());
            boolean mine = holder.equals(identity);
            if (!mine && !holder.isEmpty() && !expired(spec)) {
                return Uni.createFrom().item(false);
            }
            if (!mine) {
                spec.setAcquireTime(now);
                spec.setLeaseTransitions(Objects.requireNonNullElse(spec.getLeaseTransitions(), 0) + 1);
            }
            spec.setHolderIdentity(identity);
            spec.setRenewTime(now);
            spec.setLeaseDurationSeconds(durationSeconds);
            current.setSpec(spec);
            return api.update(current).replaceWith(true);
        });
    }

    private void observe(String record) {
        if (!record.equals(observedRecord)) {
            observedRecord = record;
            observedAtNanos = System.nanoTime();
        }
    }

    private boolean expired(LeaseSpec spec) {
        long duration = Duration.ofSeconds(Objects.requireNonNullElse(spec.getLeaseDurationSeconds(), 15)).toNanos();
        return System.nanoTime() - observedAtNanos > duration;
    }

    /** Gives the lease up: no holder, so the next replica to try takes it without waiting. */
    private Uni<Void> release() {
        return api.get(Lease.class, namespace, name).flatMap(current -> {
            if (current == null || current.getSpec() == null || !identity.equals(current.getSpec().getHolderIdentity())) {
                return Uni.createFrom().voidItem();
            }
            current.getSpec().setHolderIdentity(null);
            current.getSpec().setLeaseDurationSeconds(1);
            return api.update(current).replaceWithVoid();
        }).onFailure().invoke(failure -> LOG.debugf("releasing %s/%s failed: %s", namespace, name, failure.getMessage()))
                .onFailure().recoverWithNull();
    }
}
