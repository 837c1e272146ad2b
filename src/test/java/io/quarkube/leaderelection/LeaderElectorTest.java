package io.quarkube.leaderelection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseSpec;
import io.quarkube.client.ApiClient;
import io.quarkube.testing.Await;
import io.quarkube.testing.ControlPlaneTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;

/**
 * Lease election inside one control plane: several electors stand for replicas. Takeover between
 * two control-plane processes is tested with the scheduler, which runs on it.
 */
@QuarkusTest
@QuarkusTestResource(value = ControlPlaneTestResource.class, restrictToAnnotatedClass = false)
class LeaderElectorTest {

    private static final Duration DEADLINE = Duration.ofSeconds(15);
    private static final LeaderElectionConfig FAST = new LeaderElectionConfig() {
        @Override
        public Duration leaseDuration() {
            return Duration.ofSeconds(2);
        }

        @Override
        public Duration renewDeadline() {
            return Duration.ofMillis(1500);
        }

        @Override
        public Duration retryPeriod() {
            return Duration.ofMillis(200);
        }

        @Override
        public Optional<String> identity() {
            return Optional.empty();
        }
    };

    @Inject
    ApiClient api;
    @Inject
    Vertx vertx;

    private final List<LeaderElector> electors = new ArrayList<>();

    @AfterEach
    void stopElectors() {
        electors.forEach(elector -> elector.stop().await().atMost(DEADLINE));
    }

    /** Counts its own start and stop callbacks. */
    private static final class Counting implements LeaderElector.Callbacks {
        final AtomicInteger started = new AtomicInteger();
        final AtomicInteger stopped = new AtomicInteger();

        @Override
        public void startedLeading() {
            started.incrementAndGet();
        }

        @Override
        public void stoppedLeading() {
            stopped.incrementAndGet();
        }
    }

    private LeaderElector elector(String lease, String identity, Counting callbacks) {
        LeaderElector elector = new LeaderElector("kube-system", lease, identity, api, vertx, FAST, callbacks);
        electors.add(elector);
        elector.start();
        return elector;
    }

    @Test
    void exactlyOneOfTwoCandidatesLeadsAndTheOtherTakesOverWhenItStops() {
        Counting first = new Counting();
        Counting second = new Counting();
        LeaderElector a = elector("one-of-two", "replica-a", first);
        LeaderElector b = elector("one-of-two", "replica-b", second);
        Await.until("a leader", () -> a.isLeader() || b.isLeader());
        LeaderElector leader = a.isLeader() ? a : b;
        LeaderElector follower = leader == a ? b : a;
        // several retry periods later the follower still follows
        Await.until("renewals", () -> renewTimeOf("one-of-two").isAfter(ZonedDateTime.now(ZoneOffset.UTC).minusSeconds(1)));
        assertFalse(follower.isLeader());
        assertEquals(leader.identity(), holderOf("one-of-two"));

        leader.stop().await().atMost(DEADLINE);
        Await.until("the follower takes over after the release", follower::isLeader);
        assertEquals(follower.identity(), holderOf("one-of-two"));
        assertEquals(1, lease("one-of-two").getSpec().getLeaseTransitions());
        assertEquals(1, first.started.get() + second.started.get() - 1, "each led once");
    }

    @Test
    void aLeaseNoLongerRenewedIsTakenOverAfterItsDuration() {
        ZonedDateTime longAgo = ZonedDateTime.now(ZoneOffset.UTC).minusHours(1);
        Lease lease = new Lease();
        lease.setMetadata(new ObjectMetaBuilder().withNamespace("kube-system").withName("abandoned").build());
        lease.setSpec(new LeaseSpec(longAgo, "crashed-replica", 1, 3, null, longAgo, null));
        api.create(lease).await().atMost(DEADLINE);

        Counting callbacks = new Counting();
        LeaderElector elector = elector("abandoned", "replica-c", callbacks);
        Await.until("takeover", elector::isLeader);
        Lease taken = lease("abandoned");
        assertEquals("replica-c", taken.getSpec().getHolderIdentity());
        assertEquals(4, taken.getSpec().getLeaseTransitions());
        assertTrue(taken.getSpec().getAcquireTime().isAfter(longAgo));
        assertEquals(1, callbacks.started.get());
    }

    @Test
    void aLeaderWhoseLeaseWasTakenStepsDown() {
        Counting callbacks = new Counting();
        LeaderElector elector = elector("stolen", "replica-d", callbacks);
        Await.until("leading", elector::isLeader);
        api.modify(Lease.class, "kube-system", "stolen", io.quarkube.registry.GenericStore.Part.MAIN, current -> {
            current.getSpec().setHolderIdentity("usurper");
            current.getSpec().setLeaseDurationSeconds(3600);
            current.getSpec().setRenewTime(ZonedDateTime.now(ZoneOffset.UTC));
            return current;
        }).await().atMost(DEADLINE);
        Await.until("stepped down", () -> callbacks.stopped.get() == 1);
        assertFalse(elector.isLeader());
        assertEquals("usurper", holderOf("stolen"));
    }

    private Lease lease(String name) {
        return api.get(Lease.class, "kube-system", name).await().atMost(DEADLINE);
    }

    private String holderOf(String name) {
        return lease(name).getSpec().getHolderIdentity();
    }

    private ZonedDateTime renewTimeOf(String name) {
        Lease lease = lease(name);
        return lease == null ? ZonedDateTime.now().minusYears(1) : lease.getSpec().getRenewTime();
    }

}
