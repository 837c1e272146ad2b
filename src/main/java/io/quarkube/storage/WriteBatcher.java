package io.quarkube.storage;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * Group commit for writes: a write that arrives while {@code maxInFlight} write statements are
 * already running waits for one of them to finish, and then goes to the database in one statement
 * with every other write that queued meanwhile. An idle store sends each write at once; a busy one
 * sends fewer, larger statements, and PostgreSQL's per-statement work (parse, plan, commit, WAL
 * flush) is shared by the whole batch. Each write still takes its own revision, applies its own
 * condition and gets its own outcome.
 *
 * <p>A batch runs in one transaction, so writes are ordered by key inside it: every batch takes
 * row locks in the same order, and two batches never deadlock. Two writes of one key keep the order
 * they arrived in. A batch that fails for a reason other than a lost revision (which the executor
 * retries) is split, and each write is sent alone, so one write's failure is only its own.
 *
 * <p>Each caller's outcome is delivered on the Vert.x context it submitted from, as a statement of
 * its own would have been.
 */
final class WriteBatcher {

    /** op is the change code the write makes: ADDED (create), MODIFIED (update) or DELETED. */
    record Write(int op, ObjectKey key, long expectedRevision, String value, String previous) {

        long bytes() {
            return (value == null ? 0 : value.length()) + (previous == null ? 0 : previous.length());
        }
    }

    /** event is the write's change code, or NONE when its condition failed; deleted is a delete's final state. */
    record Outcome(long revision, int event, String deleted) {
    }

    private record Pending(Write write, Context context, UniEmitter<? super Outcome> emitter) {

        void complete(Outcome outcome) {
            deliver(() -> emitter.complete(outcome));
        }

        void fail(Throwable failure) {
            deliver(() -> emitter.fail(failure));
        }

        private void deliver(Runnable delivery) {
            if (context == null || context == Vertx.currentContext()) {
                delivery.run();
            } else {
                context.runOnContext(ignored -> delivery.run());
            }
        }
    }

    private static final Comparator<Pending> BY_KEY = Comparator.comparing((Pending p) -> p.write().key().resource())
            .thenComparing(p -> p.write().key().namespace()).thenComparing(p -> p.write().key().name());
    /** Bounds a statement's size: objects may be up to 3 MiB each. */
    static final int MAX_WRITES = 128;
    static final long MAX_BYTES = 1 << 20;

    private final int maxInFlight;
    private final Function<List<Write>, Uni<List<Outcome>>> executor;
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private int inFlight;

    /** @param executor runs writes as one statement and answers one outcome per write, in order */
    WriteBatcher(int maxInFlight, Function<List<Write>, Uni<List<Outcome>>> executor) {
        this.maxInFlight = maxInFlight;
        this.executor = executor;
    }

    Uni<Outcome> submit(Write write) {
        return Uni.createFrom().emitter(emitter -> {
            synchronized (this) {
                queue.add(new Pending(write, Vertx.currentContext(), emitter));
            }
            sendWhatCanGo();
        });
    }

    private void sendWhatCanGo() {
        for (List<Pending> batch = nextBatch(); batch != null; batch = nextBatch()) {
            send(batch);
        }
    }

    private synchronized List<Pending> nextBatch() {
        if (inFlight >= maxInFlight || queue.isEmpty()) {
            return null;
        }
        inFlight++;
        List<Pending> batch = new ArrayList<>(Math.min(queue.size(), MAX_WRITES));
        long bytes = 0;
        while (!queue.isEmpty() && batch.size() < MAX_WRITES
                && (batch.isEmpty() || bytes + queue.peek().write().bytes() <= MAX_BYTES)) {
            Pending next = queue.poll();
            bytes += next.write().bytes();
            batch.add(next);
        }
        return batch;
    }

    private void send(List<Pending> batch) {
        batch.sort(BY_KEY); // stable: writes of one key keep their order
        executor.apply(batch.stream().map(Pending::write).toList()).subscribe().with(outcomes -> {
            finished();
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).complete(outcomes.get(i));
            }
        }, failure -> {
            finished();
            if (batch.size() == 1) {
                batch.get(0).fail(failure);
            } else {
                batch.forEach(this::sendAlone);
            }
        });
    }

    /** Retries one write of a failed batch in a statement of its own, beside the batches. */
    private void sendAlone(Pending pending) {
        executor.apply(List.of(pending.write())).subscribe().with(
                outcomes -> pending.complete(outcomes.get(0)), pending::fail);
    }

    private void finished() {
        synchronized (this) {
            inFlight--;
        }
        sendWhatCanGo();
    }
}
