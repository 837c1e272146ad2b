package io.quarkube.agent.testing.controlplane;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives tests a real control plane: {@code @ExtendWith(ControlPlaneExtension.class)}, then take a
 * {@link ControlPlane} as a parameter. One control plane serves the whole test run; the root store
 * stops it when the run ends.
 */
public final class ControlPlaneExtension implements ParameterResolver {

    private static final Namespace NAMESPACE = Namespace.create(ControlPlaneExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == ControlPlane.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(ControlPlane.class, key -> ControlPlane.start(), ControlPlane.class);
    }
}
