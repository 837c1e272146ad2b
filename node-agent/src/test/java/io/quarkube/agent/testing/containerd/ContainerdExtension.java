package io.quarkube.agent.testing.containerd;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import io.quarkube.agent.cri.CriRuntime;

/**
 * Gives tests a real containerd: {@code @ExtendWith(ContainerdExtension.class)}, then take a
 * {@link TestContainerd} or a {@link CriRuntime} as a test or lifecycle method parameter.
 *
 * <p>containerd is started once per test run (see {@link TestContainerd#start()}) and stopped when the run
 * ends, if it was started here. After each test, every pod sandbox that appeared during the test is
 * stopped and removed, with the cgroups containerd leaves behind, so tests need no cleanup of their own.
 * Tests sharing one containerd directory must not run in parallel (the default for this module).
 */
public final class ContainerdExtension implements ParameterResolver, BeforeEachCallback, AfterEachCallback {

    private static final Namespace NAMESPACE = Namespace.create(ContainerdExtension.class);
    private static final String SANDBOXES_BEFORE = "sandboxes-before";

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == TestContainerd.class || type == CriRuntime.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        TestContainerd containerd = containerd(context);
        return parameter.getParameter().getType() == CriRuntime.class ? containerd.runtime() : containerd;
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        context.getStore(NAMESPACE).put(SANDBOXES_BEFORE, containerd(context).sandboxIds());
    }

    @Override
    public void afterEach(ExtensionContext context) {
        TestContainerd containerd = containerd(context);
        @SuppressWarnings("unchecked")
        Set<String> before = context.getStore(NAMESPACE).get(SANDBOXES_BEFORE, Set.class);
        Set<String> created = new HashSet<>(containerd.sandboxIds());
        created.removeAll(before);
        containerd.removeSandboxes(created);
    }

    /** The one containerd of this test run, kept in the root store, which closes it when the run ends. */
    public static TestContainerd containerd(ExtensionContext context) {
        // The root store closes what it holds (an AutoCloseable) when the test run ends.
        return context.getRoot().getStore(NAMESPACE)
                .computeIfAbsent(TestContainerd.class, key -> TestContainerd.start(), TestContainerd.class);
    }
}
