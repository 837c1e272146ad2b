package io.quarkube.agent.e2e;

import java.util.Map;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import io.quarkube.agent.testing.controlplane.ControlPlane;

/**
 * The control plane of the end-to-end tests: one for the whole run, separate from the one
 * {@link io.quarkube.agent.testing.controlplane.ControlPlaneExtension} shares (so no other test's
 * nodes take part in scheduling), with a node monitor grace period of {@value #NODE_MONITOR_GRACE_SECONDS} s
 * instead of 40 s so a lost node is noticed quickly.
 */
public final class EndToEndControlPlane implements ParameterResolver {

    static final int NODE_MONITOR_GRACE_SECONDS = 8;
    private static final Namespace NAMESPACE = Namespace.create(EndToEndControlPlane.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == ControlPlane.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(ControlPlane.class,
                key -> ControlPlane.start(Map.of("quarkube.node-lifecycle.node-monitor-grace-period", NODE_MONITOR_GRACE_SECONDS + "s")),
                ControlPlane.class);
    }
}
