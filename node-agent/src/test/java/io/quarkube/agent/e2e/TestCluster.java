package io.quarkube.agent.e2e;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkube.agent.testing.TestAgents;

/** Pods, events and waits of the end-to-end tests, in one namespace. */
final class TestCluster {

    static final Duration WAIT = Duration.ofSeconds(60);

    private final KubernetesClient admin;
    private final String namespace;

    TestCluster(KubernetesClient admin, String namespace) {
        this.admin = admin;
        this.namespace = namespace;
        admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build()).create();
    }

    String namespace() {
        return namespace;
    }

    /** A pod without a node, one container requesting cpu and memory; labels app=APP. */
    static Pod pod(String name, String app, String cpu, String memory) {
        return new PodBuilder()
                .withNewMetadata().withName(name).withLabels(Map.of("app", app)).endMetadata()
                .withNewSpec()
                .withTerminationGracePeriodSeconds(1L)
                .addNewContainer().withName("app").withImage("busybox:1.36")
                .withNewResources().withRequests(Map.of("cpu", new Quantity(cpu), "memory", new Quantity(memory))).endResources()
                .endContainer()
                .endSpec()
                .build();
    }

    Pod create(Pod pod) {
        return admin.pods().inNamespace(namespace).resource(pod).create();
    }

    Pod get(String name) {
        return admin.pods().inNamespace(namespace).withName(name).get();
    }

    List<Pod> pods(String app) {
        return admin.pods().inNamespace(namespace).withLabel("app", app).list().getItems();
    }

    /** Waits until the pod satisfies the predicate; returns it as last seen. */
    Pod await(String name, String what, Predicate<Pod> predicate) {
        Pod[] seen = new Pod[1];
        TestAgents.await(WAIT, name + " " + what, () -> {
            seen[0] = get(name);
            return seen[0] != null && predicate.test(seen[0]);
        });
        return seen[0];
    }

    Pod awaitRunning(String name) {
        return await(name, "Running", TestCluster::running);
    }

    /** Events about the named pod with the reason, oldest first. */
    List<Event> events(String podName, String reason) {
        return admin.v1().events().inNamespace(namespace).list().getItems().stream()
                .filter(e -> podName.equals(e.getInvolvedObject().getName()) && reason.equals(e.getReason()))
                .toList();
    }

    Event awaitEvent(String podName, String reason) {
        TestAgents.await(WAIT, reason + " event of " + podName, () -> !events(podName, reason).isEmpty());
        return events(podName, reason).get(0);
    }

    static boolean bound(Pod pod) {
        return pod.getSpec().getNodeName() != null && !pod.getSpec().getNodeName().isEmpty();
    }

    static boolean running(Pod pod) {
        return pod.getStatus() != null && "Running".equals(pod.getStatus().getPhase());
    }

    static boolean ready(Pod pod) {
        return condition(pod, "Ready").map(c -> "True".equals(c.getStatus())).orElse(false);
    }

    static boolean terminating(Pod pod) {
        return pod.getMetadata().getDeletionTimestamp() != null;
    }

    static Optional<PodCondition> condition(Pod pod, String type) {
        if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
            return Optional.empty();
        }
        return pod.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst();
    }

    /** Removes the namespace's pods at once (their nodes' agents may be gone) and the namespace. */
    void delete() {
        admin.pods().inNamespace(namespace).withGracePeriod(0).delete();
        admin.namespaces().withName(namespace).delete();
    }
}
