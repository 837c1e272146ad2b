package io.quarkube.controllers.runtime;

import java.time.Duration;

import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.impl.VertxInternal;

/**
 * Runs one {@link Reconciler}: owns its work queue on a Vert.x context of its own, hands keys to at
 * most {@code concurrency} reconciles at a time (never the same key twice at once), re-queues
 * after failures with per-key back-off and when a reconcile asks to look again. Controllers
 * therefore never sleep, loop or retry themselves.
 */
public final class ControllerRunner {

    private static final Logger LOG = Logger.getLogger(ControllerRunner.class);

    private final String name;
    private final Reconciler reconciler;
    private final Context context;
    private final int concurrency;
    private final WorkQueue<ObjectRef> queue;
    private int inFlight;
    private volatile boolean running;

    public ControllerRunner(String name, Reconciler reconciler, Vertx vertx, int concurrency) {
        this.name = name;
        this.reconciler = reconciler;
        // a context of its own, whichever thread builds the runner: queue state is confined to it
        this.context = ((VertxInternal) vertx).createEventLoopContext();
        this.concurrency = concurrency;
        this.queue = new WorkQueue<>((delay, task) -> vertx.setTimer(Math.max(1, delay.toMillis()),
                id -> context.runOnContext(ignored -> {
                    task.run();
                    pump();
                })));
    }

    public String name() {
        return name;
    }

    /** Starts handing out keys; keys enqueued before are kept. */
    public void start() {
        running = true;
        context.runOnContext(ignored -> pump());
    }

    /** Stops handing out keys (reconciles in flight finish); the queue keeps what arrives meanwhile. */
    public void stop() {
        running = false;
    }

    public boolean running() {
        return running;
    }

    /** Asks for a reconcile of the key; callable from any thread. */
    public void enqueue(ObjectRef key) {
        context.runOnContext(ignored -> {
            queue.add(key);
            pump();
        });
    }

    /** Asks for a reconcile once period has passed, shared with every other ask within it; callable from any thread. */
    public void enqueueBatched(ObjectRef key, Duration period) {
        context.runOnContext(ignored -> {
            queue.addBatched(key, period);
            pump();
        });
    }

    public void enqueueAfter(ObjectRef key, Duration delay) {
        context.runOnContext(ignored -> {
            // a zero delay adds at once, and only a pump hands it out
            queue.addAfter(key, delay);
            pump();
        });
    }

    private void pump() {
        while (running && inFlight < concurrency) {
            ObjectRef key = queue.next();
            if (key == null) {
                return;
            }
            inFlight++;
            reconcile(key);
        }
    }

    private void reconcile(ObjectRef key) {
        Uni<Result> attempt;
        try {
            attempt = reconciler.reconcile(key);
        } catch (RuntimeException e) {
            attempt = Uni.createFrom().failure(e);
        }
        attempt.subscribe().with(
                result -> context.runOnContext(ignored -> finished(key, result, null)),
                failure -> context.runOnContext(ignored -> finished(key, null, failure)));
    }

    private void finished(ObjectRef key, Result result, Throwable failure) {
        inFlight--;
        if (failure == null) {
            queue.forget(key);
            if (result != null && result.requeue()) {
                queue.addAfter(key, result.requeueAfter());
            }
        } else if (failure instanceof TerminalException) {
            queue.forget(key);
            LOG.warnf("%s: giving up on %s: %s", name, key, failure.getMessage());
        } else {
            int attempts = queue.failures(key) + 1;
            // the first failures are usually conflicts with a concurrent writer; say more only when it persists
            if (attempts >= 5) {
                LOG.warnf("%s: reconciling %s failed %d times, retrying: %s", name, key, attempts, failure.toString());
            } else {
                LOG.debugf("%s: reconciling %s failed, retrying: %s", name, key, failure);
            }
            queue.addRateLimited(key);
        }
        queue.done(key);
        pump();
    }
}
