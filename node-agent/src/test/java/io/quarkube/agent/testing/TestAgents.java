package io.quarkube.agent.testing;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

import io.quarkube.agent.Agent;
import io.quarkube.agent.config.AgentConfig;
import io.quarkube.agent.runtime.ContainerRuntime;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;

/** Agent configuration and polling helpers for tests. */
public final class TestAgents {

    private TestAgents() {
    }

    /** The agent's configuration with short back-offs and polls, pod files under dir, plus overrides. */
    public static AgentConfig config(Path dir, Map<String, String> overrides) {
        Map<String, String> values = new HashMap<>();
        values.put("quarkube.agent.pods.root-directory", dir.resolve("root").toString());
        values.put("quarkube.agent.pods.log-directory", dir.resolve("logs").toString());
        values.put("quarkube.agent.pods.initial-backoff", "1s");
        values.put("quarkube.agent.pods.max-backoff", "8s");
        values.put("quarkube.agent.pods.running-poll-interval", "200ms");
        values.put("quarkube.agent.pods.resync-interval", "10s");
        values.put("quarkube.agent.node.internal-ip", "127.0.0.1");
        // The host's iptables and DNS port are shared by every test run on the machine: tests that want the
        // service proxy and cluster DNS turn them on, with chain prefixes and a port of their own.
        values.put("quarkube.agent.proxy.enabled", "false");
        values.put("quarkube.agent.dns.enabled", "false");
        values.putAll(overrides);
        return new SmallRyeConfigBuilder()
                .withMapping(AgentConfig.class)
                // Quarkus's own converter, so "200ms" and "5m" read as they do in the application.
                .withConverter(Duration.class, 200, new DurationConverter())
                .withSources(new PropertiesConfigSource(values, "test", 500))
                .build()
                .getConfigMapping(AgentConfig.class);
    }

    public static Agent start(KubernetesClient client, AgentConfig config, List<String> nodes, Function<String, ContainerRuntime> runtimes) {
        Agent agent = new Agent(client, config, nodes, runtimes, Clock.systemUTC());
        agent.start();
        return agent;
    }

    /** Polls condition until it holds or the deadline passes (then fails with what). */
    public static void await(Duration timeout, String what, BooleanSupplier condition) {
        await(timeout, () -> what, condition);
    }

    /** As {@link #await(Duration, String, BooleanSupplier)}, describing the wait when it times out (e.g. with the last value seen). */
    public static void await(Duration timeout, java.util.function.Supplier<String> what, BooleanSupplier condition) {
        Instant deadline = Instant.now().plus(timeout);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what.get());
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
