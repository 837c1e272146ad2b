package io.quarkube.agent;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.jboss.logging.Logger;

/**
 * The threads of one agent process, shared by every node it maintains: one timer thread that only
 * hands work over, a bounded pool that runs the blocking API calls, and two threads of their own for
 * writing events. No thread per node or pod.
 */
public final class AgentExecutors implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(AgentExecutors.class);

    private final ScheduledExecutorService timer;
    private final ExecutorService workers;
    private final ExecutorService events;

    public AgentExecutors(int workerThreads) {
        this.timer = Executors.newSingleThreadScheduledExecutor(named("quarkube-agent-timer"));
        this.workers = Executors.newFixedThreadPool(workerThreads, named("quarkube-agent-worker"));
        this.events = Executors.newFixedThreadPool(2, named("quarkube-agent-events"));
    }

    public ExecutorService workers() {
        return workers;
    }

    /**
     * Where events are written, apart from the workers: a thousand pods starting at once queue
     * thousands of events, and node leases renewed behind them expired (the nodes turned Unknown
     * and their pods not ready), as the kubelet's lease never waits for its event broadcaster.
     */
    public ExecutorService events() {
        return events;
    }

    /** Runs task on a worker after delay. */
    public ScheduledFuture<?> schedule(Duration delay, Runnable task) {
        return timer.schedule(() -> submit(task), Math.max(0, delay.toMillis()), TimeUnit.MILLISECONDS);
    }

    /** Whether close() has begun: work handed over now is dropped. */
    public boolean closed() {
        return timer.isShutdown();
    }

    /** Runs task on a worker every period, first after initialDelay; a run never overlaps the previous one. */
    public ScheduledFuture<?> every(Duration initialDelay, Duration period, Runnable task) {
        // A run still busy when the next is due is not doubled: slow API calls must not pile up.
        AtomicBoolean running = new AtomicBoolean();
        Runnable guarded = () -> {
            try {
                task.run();
            } finally {
                running.set(false);
            }
        };
        return timer.scheduleAtFixedRate(() -> {
            if (running.compareAndSet(false, true)) {
                submit(guarded);
            }
        }, initialDelay.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    }

    public void submit(Runnable task) {
        if (workers.isShutdown()) {
            return;
        }
        try {
            workers.execute(() -> {
                try {
                    task.run();
                } catch (RejectedExecutionException stopping) {
                    // the agent is stopping: the task's follow-up has nowhere to run
                } catch (RuntimeException e) {
                    LOG.warnf(e, "agent task failed");
                }
            });
        } catch (RejectedExecutionException stopping) {
            // the agent is stopping
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        workers.shutdownNow();
        events.shutdownNow();
        try {
            workers.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static ThreadFactory named(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
