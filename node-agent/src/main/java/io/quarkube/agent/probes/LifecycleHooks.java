package io.quarkube.agent.probes;

import java.time.Duration;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.LifecycleHandler;

/** postStart and preStop handlers (exec, httpGet, sleep), run the way the kubelet runs them. */
public final class LifecycleHooks {

    /** How long a postStart handler may take before it counts as failed. */
    static final Duration POST_START_TIMEOUT = Duration.ofSeconds(30);

    private final HandlerRunner runner;
    private final boolean simulated;

    public LifecycleHooks(HandlerRunner runner, boolean simulated) {
        this.runner = runner;
        this.simulated = simulated;
    }

    public static boolean hasPostStart(Container container) {
        return container.getLifecycle() != null && container.getLifecycle().getPostStart() != null;
    }

    public static boolean hasPreStop(Container container) {
        return container.getLifecycle() != null && container.getLifecycle().getPreStop() != null;
    }

    public HandlerRunner.Outcome postStart(Container container, String containerId, String podIp) {
        return run(container.getLifecycle().getPostStart(), container, containerId, podIp, POST_START_TIMEOUT);
    }

    /** Runs preStop within budget (what is left of the grace period). */
    public HandlerRunner.Outcome preStop(Container container, String containerId, String podIp, Duration budget) {
        return run(container.getLifecycle().getPreStop(), container, containerId, podIp, budget);
    }

    private HandlerRunner.Outcome run(LifecycleHandler handler, Container container, String containerId, String podIp, Duration timeout) {
        if (simulated) {
            return HandlerRunner.Outcome.ok();
        }
        if (handler.getExec() != null) {
            return runner.exec(handler.getExec(), containerId, timeout);
        }
        if (handler.getHttpGet() != null) {
            return runner.httpGet(handler.getHttpGet(), container, podIp, timeout);
        }
        if (handler.getSleep() != null) {
            long seconds = Math.min(timeout.toSeconds(), handler.getSleep().getSeconds());
            try {
                Thread.sleep(Duration.ofSeconds(seconds).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return HandlerRunner.Outcome.ok();
        }
        if (handler.getTcpSocket() != null) {
            return runner.tcpSocket(handler.getTcpSocket(), container, podIp, timeout);
        }
        return HandlerRunner.Outcome.failed("the handler has no action");
    }
}
