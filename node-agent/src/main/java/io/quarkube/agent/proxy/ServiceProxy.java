package io.quarkube.agent.proxy;

import java.time.Duration;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jboss.logging.Logger;

import io.quarkube.agent.services.ServiceSource;

/**
 * The node's service proxy: rewrites its iptables rules whenever Services or EndpointSlices change, at most
 * once per {@code minSyncInterval} (changes arriving meanwhile are folded into the next sync, as kube-proxy's
 * bounded-frequency runner does), with a full write at start, after a failure and every {@code fullSyncInterval}.
 * One thread of its own.
 */
public final class ServiceProxy implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ServiceProxy.class);

    private final ServiceSource source;
    private final java.util.concurrent.atomic.AtomicLong writes = new java.util.concurrent.atomic.AtomicLong();
    private final ProxyRuleGenerator generator;
    private final RuleApplier applier;
    private final String nodeName;
    private final Duration minSyncInterval;
    private final Duration fullSyncInterval;
    private final boolean cleanupOnClose;
    private final AtomicBoolean pending = new AtomicBoolean();
    private final ScheduledThreadPoolExecutor thread = new ScheduledThreadPoolExecutor(1, runnable -> {
        Thread t = new Thread(runnable, "service-proxy");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean fullSyncDue = true;
    private volatile long lastSyncStart = System.nanoTime() - TimeUnit.DAYS.toNanos(1);
    private volatile boolean closed;
    /** Wait before retrying a failed sync: 1 s doubling to 30 s, back to 1 s after a success. */
    private long retryDelayMillis = 1000;

    public ServiceProxy(ServiceSource source, ProxyRuleGenerator generator, RuleApplier applier, String nodeName,
            Duration minSyncInterval, Duration fullSyncInterval, boolean cleanupOnClose) {
        this.source = source;
        this.generator = generator;
        this.applier = applier;
        this.nodeName = nodeName;
        this.minSyncInterval = minSyncInterval;
        this.fullSyncInterval = fullSyncInterval;
        this.cleanupOnClose = cleanupOnClose;
        // On close, a sync in progress finishes; syncs and retries still waiting are dropped.
        thread.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    public void start() {
        source.onChange(this::requestSync);
        requestSync();
        long full = fullSyncInterval.toMillis();
        thread.scheduleWithFixedDelay(() -> {
            fullSyncDue = true;
            requestSync();
        }, full, full, TimeUnit.MILLISECONDS);
    }

    /** Asks for a sync; several requests before it runs make one. */
    public void requestSync() {
        if (closed || !pending.compareAndSet(false, true)) {
            return;
        }
        long wait = Math.max(0, lastSyncStart + minSyncInterval.toNanos() - System.nanoTime());
        try {
            thread.schedule(this::sync, wait, TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            pending.set(false);
        }
    }

    private void sync() {
        pending.set(false); // changes from now on ask for another sync
        if (closed) {
            return;
        }
        lastSyncStart = System.nanoTime();
        try {
            RuleSet wanted = generator.generate(source.services(), source.endpointSlices(), nodeName);
            RuleApplier.Applied applied = applier.apply(wanted, fullSyncDue);
            fullSyncDue = false;
            retryDelayMillis = 1000;
            if (applied.changed()) {
                writes.incrementAndGet();
                LOG.debugf("%s sync: %d chains written in %d ms (%d chains, %d rules in all)", applied.full() ? "full" : "partial",
                        applied.chainsWritten(), TimeUnit.NANOSECONDS.toMillis(applied.nanos()), wanted.chainCount(), wanted.ruleCount());
            }
        } catch (RuntimeException e) {
            long delay = Math.max(retryDelayMillis, minSyncInterval.toMillis());
            LOG.warnf("service proxy sync failed, retrying with a full sync in %d ms: %s", delay, e.getMessage());
            fullSyncDue = true;
            retryDelayMillis = Math.min(retryDelayMillis * 2, 30_000);
            try {
                thread.schedule(this::requestSync, delay, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException closing) {
                // closed meanwhile
            }
        }
    }

    /** How many syncs wrote to the kernel so far (a sync that found nothing changed writes nothing). */
    public long writes() {
        return writes.get();
    }

    @Override
    public void close() {
        closed = true;
        // Not shutdownNow: a running iptables-restore finishes before the rules are removed.
        thread.shutdown();
        try {
            thread.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (cleanupOnClose) {
            try {
                applier.cleanup();
            } catch (RuntimeException e) {
                LOG.warnf("removing the service proxy's rules failed: %s", e.getMessage());
            }
        }
    }
}
