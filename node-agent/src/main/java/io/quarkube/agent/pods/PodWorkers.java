package io.quarkube.agent.pods;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import org.jboss.logging.Logger;

import io.fabric8.kubernetes.api.model.Pod;
import io.quarkube.agent.runtime.RuntimeCallException;

/**
 * One worker per pod: a pod is synchronized by one thread at a time, changes that arrive while it
 * runs are folded into one more run, and a run asks when to look again. All pods of all nodes of the
 * process share a bounded pool, so the number of pods never sets the number of threads. Its threads
 * start when pods need them and end after a while idle: a quiet node keeps none, and pods started
 * together run their (mostly waiting) CRI calls side by side instead of queueing for a thread.
 */
public final class PodWorkers implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(PodWorkers.class);
    private static final Duration IDLE_THREAD_TIMEOUT = Duration.ofSeconds(30);

    private final Function<String, PodSyncer> syncerForNode;
    private final ExecutorService pool;
    private final ScheduledExecutorService timer;
    private final Map<String, Worker> workers = new ConcurrentHashMap<>();

    private final class Worker {
        private Pod latest;
        private boolean running;
        private boolean dirty;
        private boolean gone;
        private ScheduledFuture<?> requeue;
    }

    public PodWorkers(int threads, Function<String, PodSyncer> syncerForNode) {
        this.syncerForNode = syncerForNode;
        AtomicInteger count = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, IDLE_THREAD_TIMEOUT.toSeconds(), TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), r -> daemon(r, "quarkube-pod-worker-" + count.incrementAndGet()));
        pool.allowCoreThreadTimeOut(true);
        this.pool = pool;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "quarkube-pod-timer"));
    }

    /** A pod was added or changed (or the informer resynced): its worker runs again soon. */
    public void update(Pod pod) {
        Worker worker = workers.computeIfAbsent(pod.getMetadata().getUid(), uid -> new Worker());
        synchronized (worker) {
            worker.latest = pod;
            worker.gone = false;
            trigger(worker);
        }
    }

    /** The pod object is gone from the API: its worker cleans up what still runs and ends. */
    public void remove(Pod pod) {
        Worker worker = workers.computeIfAbsent(pod.getMetadata().getUid(), uid -> new Worker());
        synchronized (worker) {
            worker.latest = pod;
            worker.gone = true;
            trigger(worker);
        }
    }

    public int size() {
        return workers.size();
    }

    private void trigger(Worker worker) {
        if (worker.requeue != null) {
            worker.requeue.cancel(false);
            worker.requeue = null;
        }
        if (worker.running) {
            worker.dirty = true;
            return;
        }
        worker.running = true;
        try {
            pool.execute(() -> run(worker));
        } catch (RejectedExecutionException stopping) {
            // the agent is closing: no sync starts any more
            worker.running = false;
        }
    }

    private void run(Worker worker) {
        Pod pod;
        boolean gone;
        synchronized (worker) {
            worker.dirty = false;
            pod = worker.latest;
            gone = worker.gone;
        }
        String uid = pod.getMetadata().getUid();
        PodSyncer syncer = syncerForNode.apply(pod.getSpec().getNodeName());
        Duration next = null;
        try {
            if (syncer == null) {
                gone = true;
            } else if (gone) {
                syncer.forget(uid, pod.getMetadata().getNamespace(), pod.getMetadata().getName());
            } else {
                next = syncer.sync(pod).requeueAfter().orElse(null);
                if (next == null) {
                    gone = true;
                }
            }
        } catch (RuntimeCallException e) {
            // The runtime is away (restarting, say): one line per pod, not a stack trace every retry.
            LOG.warnf("sync of pod %s/%s failed: %s", pod.getMetadata().getNamespace(), pod.getMetadata().getName(), e.getMessage());
            next = Duration.ofSeconds(2);
        } catch (RuntimeException e) {
            if (pool.isShutdown()) {
                LOG.debugf("sync of pod %s/%s stopped by shutdown", pod.getMetadata().getNamespace(), pod.getMetadata().getName());
            } else {
                LOG.warnf(e, "sync of pod %s/%s failed", pod.getMetadata().getNamespace(), pod.getMetadata().getName());
            }
            next = Duration.ofSeconds(2);
        }
        synchronized (worker) {
            worker.running = false;
            if (worker.dirty && !(gone && worker.gone)) {
                trigger(worker);
            } else if (gone && next == null) {
                workers.remove(uid, worker);
            } else if (next != null && !pool.isShutdown()) {
                Duration delay = next;
                try {
                    worker.requeue = timer.schedule(() -> {
                        synchronized (worker) {
                            worker.requeue = null;
                            trigger(worker);
                        }
                    }, delay.toMillis(), TimeUnit.MILLISECONDS);
                } catch (RejectedExecutionException stopping) {
                    // the agent is closing: nothing is requeued
                }
            }
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        pool.shutdownNow();
        try {
            pool.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Thread daemon(Runnable runnable, String name) {
        Thread thread = new Thread(runnable, name);
        thread.setDaemon(true);
        return thread;
    }
}
