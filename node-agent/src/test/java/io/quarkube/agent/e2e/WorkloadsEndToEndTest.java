package io.quarkube.agent.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkube.agent.Agent;
import io.quarkube.agent.AgentArguments;
import io.quarkube.agent.runtime.SimulatedRuntime;
import io.quarkube.agent.testing.TestAgents;
import io.quarkube.agent.testing.controlplane.ControlPlane;

/**
 * The workload controllers end to end: the packaged control plane (scheduler and controllers
 * running, as in production), one node agent running three simulated nodes (the nodes an agent
 * started with {@code --runtime simulated --simulate-nodes 3} runs, in this JVM), and the real
 * kubectl. Pods go through the agent's whole lifecycle; the simulated runtime's exit annotations
 * let Job pods finish and its unpullable registry keeps pods from ever becoming ready.
 *
 * <p>The cluster is this class's own, so no other test's nodes can receive its pods.
 */
class WorkloadsEndToEndTest {

    private static final Duration DEADLINE = Duration.ofSeconds(90);

    @TempDir
    static Path dir;

    private static ControlPlane controlPlane;
    private static KubernetesClient admin;
    private static KubernetesClient nodeClient;
    private static Agent agent;
    private static Set<String> nodes;

    @BeforeAll
    static void startCluster() {
        controlPlane = ControlPlane.start();
        admin = controlPlane.admin();
        Path nodeKubeconfig = controlPlane.nodeKubeconfig("e2e");
        AgentArguments arguments = AgentArguments.parse("--kubeconfig", nodeKubeconfig.toString(), "--node-name", "e2e",
                "--runtime", "simulated", "--simulate-nodes", "3");
        nodes = new TreeSet<>(arguments.nodeNames());
        nodeClient = ControlPlane.client(nodeKubeconfig);
        SimulatedRuntime.SimulatedPodNetwork network = new SimulatedRuntime.SimulatedPodNetwork("10.92.0.0");
        agent = TestAgents.start(nodeClient, TestAgents.config(dir, Map.of()), arguments.nodeNames(),
                node -> new SimulatedRuntime(Clock.systemUTC(), Duration.ofMillis(100), Duration.ZERO, network));
        TestAgents.await(Duration.ofSeconds(60), "3 Ready nodes", () -> admin.nodes().list().getItems().stream()
                .filter(n -> nodes.contains(n.getMetadata().getName())).filter(WorkloadsEndToEndTest::ready).count() == 3);
    }

    @AfterAll
    static void stopCluster() {
        if (agent != null) {
            agent.close();
        }
        if (nodeClient != null) {
            nodeClient.close();
        }
        if (controlPlane != null) {
            controlPlane.close();
        }
    }

    private static Kubectl kubectl(int minor) {
        return new Kubectl(minor, controlPlane.adminKubeconfig());
    }

    private static String namespace(Kubectl kubectl, String name) {
        kubectl.ok("create", "namespace", name);
        return name;
    }

    private static String deployment(String name, int replicas, String image, String extraSpec) {
        return """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: %s
                spec:
                  replicas: %d
                  selector:
                    matchLabels: {app: %s}%s
                  template:
                    metadata:
                      labels: {app: %s}
                    spec:
                      terminationGracePeriodSeconds: 2
                      containers:
                      - name: web
                        image: %s
                """.formatted(name, replicas, name, extraSpec, name, image);
    }

    @ParameterizedTest(name = "kubectl 1.{0}")
    @ValueSource(ints = {27, 33})
    void deploymentRollsOutScalesUpdatesAndRollsBack(int minor) {
        Kubectl kubectl = kubectl(minor);
        String ns = namespace(kubectl, "rollout-1-" + minor);
        kubectl.okWithInput(deployment("web", 2, "nginx:1.27", ""), "-n", ns, "apply", "-f", "-");

        Kubectl.Result first = kubectl.ok("-n", ns, "rollout", "status", "deployment/web", "--timeout=90s");
        assertTrue(first.stdout().contains("successfully rolled out"), first::describe);
        List<Pod> running = pods(ns, "web");
        assertEquals(2, running.size());
        for (Pod pod : running) {
            assertTrue(nodes.contains(pod.getSpec().getNodeName()), "bound to one of this cluster's nodes: " + pod.getSpec().getNodeName());
            assertTrue(pod.getStatus().getContainerStatuses().get(0).getContainerID().startsWith("simulated://"),
                    "run by the agent: " + pod.getStatus().getContainerStatuses().get(0).getContainerID());
        }

        kubectl.ok("-n", ns, "scale", "deployment/web", "--replicas=4");
        kubectl.ok("-n", ns, "rollout", "status", "deployment/web", "--timeout=90s");
        assertEquals(4, admin.apps().deployments().inNamespace(ns).withName("web").get().getStatus().getReadyReplicas());

        kubectl.ok("-n", ns, "set", "image", "deployment/web", "web=nginx:1.28");
        Kubectl.Result updated = kubectl.ok("-n", ns, "rollout", "status", "deployment/web", "--timeout=90s");
        assertTrue(updated.stdout().contains("successfully rolled out"), updated::describe);
        Deployment afterUpdate = admin.apps().deployments().inNamespace(ns).withName("web").get();
        assertEquals(4, afterUpdate.getStatus().getUpdatedReplicas());
        assertEquals(4, afterUpdate.getStatus().getAvailableReplicas());
        TestAgents.await(DEADLINE, "only nginx:1.28 pods left", () -> pods(ns, "web").stream()
                .allMatch(p -> p.getSpec().getContainers().get(0).getImage().equals("nginx:1.28")));

        Kubectl.Result history = kubectl.ok("-n", ns, "rollout", "history", "deployment/web");
        assertTrue(Pattern.compile("(?m)^1\\s").matcher(history.stdout()).find()
                && Pattern.compile("(?m)^2\\s").matcher(history.stdout()).find(), history::describe);

        kubectl.ok("-n", ns, "rollout", "undo", "deployment/web");
        kubectl.ok("-n", ns, "rollout", "status", "deployment/web", "--timeout=90s");
        Deployment undone = admin.apps().deployments().inNamespace(ns).withName("web").get();
        assertEquals("nginx:1.27", undone.getSpec().getTemplate().getSpec().getContainers().get(0).getImage());
        assertEquals("3", undone.getMetadata().getAnnotations().get("deployment.kubernetes.io/revision"));
        assertEquals(2, admin.apps().replicaSets().inNamespace(ns).withLabel("app", "web").list().getItems().size(),
                "the first ReplicaSet is scaled up again, not copied");
        TestAgents.await(DEADLINE, "only nginx:1.27 pods left", () -> pods(ns, "web").size() == 4 && pods(ns, "web").stream()
                .allMatch(p -> p.getSpec().getContainers().get(0).getImage().equals("nginx:1.27")));

        Kubectl.Result described = kubectl.ok("-n", ns, "describe", "deployment/web");
        assertTrue(described.stdout().contains("ScalingReplicaSet") && described.stdout().contains("deployment-controller"),
                described::describe);
        TestAgents.await(DEADLINE, "kube-controller-manager's reasons in kubectl get events", () -> {
            String events = kubectl.ok("-n", ns, "get", "events").stdout();
            return events.contains("ScalingReplicaSet") && events.contains("SuccessfulCreate") && events.contains("SuccessfulDelete");
        });
    }

    @Test
    void rolloutStatusFailsWhenNewPodsNeverBecomeReadyWithinTheProgressDeadline() {
        Kubectl kubectl = kubectl(33);
        String ns = namespace(kubectl, "stuck");
        kubectl.okWithInput(deployment("stuck", 2, "nginx:1.27", "\n  progressDeadlineSeconds: 10"), "-n", ns, "apply", "-f", "-");
        kubectl.ok("-n", ns, "rollout", "status", "deployment/stuck", "--timeout=90s");

        // the simulated runtime refuses this registry: the new pod stays in ErrImagePull / ImagePullBackOff
        kubectl.ok("-n", ns, "set", "image", "deployment/stuck", "web=" + SimulatedRuntime.UNPULLABLE_REGISTRY + "web:2");
        Kubectl.Result status = kubectl.run("-n", ns, "rollout", "status", "deployment/stuck", "--timeout=90s");

        assertNotEquals(0, status.exitCode(), status::describe);
        assertTrue(status.stderr().contains("exceeded its progress deadline"), status::describe);
        DeploymentCondition progressing = admin.apps().deployments().inNamespace(ns).withName("stuck").get().getStatus()
                .getConditions().stream().filter(c -> c.getType().equals("Progressing")).findFirst().orElseThrow();
        assertEquals("ProgressDeadlineExceeded", progressing.getReason());
        Pod newPod = pods(ns, "stuck").stream()
                .filter(p -> p.getSpec().getContainers().get(0).getImage().startsWith(SimulatedRuntime.UNPULLABLE_REGISTRY))
                .findFirst().orElseThrow();
        String waiting = newPod.getStatus().getContainerStatuses().get(0).getState().getWaiting().getReason();
        assertTrue(Set.of("ErrImagePull", "ImagePullBackOff").contains(waiting), waiting);
        assertEquals(2, admin.apps().deployments().inNamespace(ns).withName("stuck").get().getStatus().getAvailableReplicas(),
                "the old pods keep serving");
    }

    @Test
    void aDeletedPodIsReplaced() {
        Kubectl kubectl = kubectl(33);
        String ns = namespace(kubectl, "heal");
        kubectl.okWithInput(deployment("heal", 3, "nginx:1.27", ""), "-n", ns, "apply", "-f", "-");
        kubectl.ok("-n", ns, "rollout", "status", "deployment/heal", "--timeout=90s");
        String victim = pods(ns, "heal").get(0).getMetadata().getName();

        kubectl.ok("-n", ns, "delete", "pod", victim);

        TestAgents.await(DEADLINE, "3 ready pods again, without " + victim, () -> {
            List<Pod> pods = pods(ns, "heal");
            return pods.size() == 3 && pods.stream().allMatch(WorkloadsEndToEndTest::ready)
                    && pods.stream().noneMatch(p -> p.getMetadata().getName().equals(victim));
        });
        TestAgents.await(DEADLINE, "SuccessfulCreate events for 4 pods", () -> events(ns).stream()
                .filter(e -> e.getReason().equals("SuccessfulCreate")).mapToInt(e -> e.getCount() == null ? 1 : e.getCount()).sum() == 4);
    }

    @Test
    void deletingADeploymentCollectsItsReplicaSetsAndPods() {
        Kubectl kubectl = kubectl(33);
        String ns = namespace(kubectl, "collected");
        kubectl.okWithInput(deployment("gone", 2, "nginx:1.27", ""), "-n", ns, "apply", "-f", "-");
        kubectl.ok("-n", ns, "rollout", "status", "deployment/gone", "--timeout=90s");
        kubectl.ok("-n", ns, "set", "image", "deployment/gone", "web=nginx:1.28");
        kubectl.ok("-n", ns, "rollout", "status", "deployment/gone", "--timeout=90s");
        assertEquals(2, admin.apps().replicaSets().inNamespace(ns).list().getItems().size());

        kubectl.ok("-n", ns, "delete", "deployment", "gone");

        TestAgents.await(DEADLINE, "ReplicaSets and pods collected", () -> admin.apps().replicaSets().inNamespace(ns).list().getItems().isEmpty()
                && admin.pods().inNamespace(ns).list().getItems().isEmpty());
    }

    @Test
    void deletingANamespaceDeletesItsContentThenTheNamespace() {
        Kubectl kubectl = kubectl(33);
        String ns = namespace(kubectl, "doomed");
        kubectl.okWithInput(deployment("app", 2, "nginx:1.27", ""), "-n", ns, "apply", "-f", "-");
        kubectl.ok("-n", ns, "create", "configmap", "settings", "--from-literal=a=b");
        kubectl.ok("-n", ns, "rollout", "status", "deployment/app", "--timeout=90s");

        kubectl.ok("delete", "namespace", ns, "--timeout=90s");

        assertNull(admin.namespaces().withName(ns).get());
        Kubectl.Result gone = kubectl.run("get", "namespace", ns);
        assertNotEquals(0, gone.exitCode(), gone::describe);
        assertTrue(gone.stderr().contains("NotFound"), gone::describe);
        assertTrue(admin.pods().inNamespace(ns).list().getItems().isEmpty());
        assertTrue(admin.apps().replicaSets().inNamespace(ns).list().getItems().isEmpty());
        assertTrue(admin.configMaps().inNamespace(ns).list().getItems().isEmpty());
    }

    @Test
    void aJobRunsToCompletion() {
        Kubectl kubectl = kubectl(33);
        String ns = namespace(kubectl, "batch");
        kubectl.okWithInput("""
                apiVersion: batch/v1
                kind: Job
                metadata:
                  name: count
                spec:
                  completions: 3
                  parallelism: 2
                  template:
                    metadata:
                      annotations:
                        quarkube.io/simulate-exit-after: 1s
                        quarkube.io/simulate-exit-code: "0"
                    spec:
                      restartPolicy: Never
                      containers:
                      - name: count
                        image: busybox:1.36
                """, "-n", ns, "apply", "-f", "-");

        kubectl.ok("-n", ns, "wait", "--for=condition=complete", "job/count", "--timeout=90s");

        Job job = admin.batch().v1().jobs().inNamespace(ns).withName("count").get();
        assertEquals(3, job.getStatus().getSucceeded());
        assertNotNull(job.getStatus().getCompletionTime());
        List<Pod> pods = admin.pods().inNamespace(ns).withLabel("job-name", "count").list().getItems();
        assertEquals(3, pods.size());
        assertTrue(pods.stream().allMatch(p -> "Succeeded".equals(p.getStatus().getPhase())), "every pod Succeeded");
        TestAgents.await(DEADLINE, "the job-controller's Completed event", () -> events(ns).stream()
                .anyMatch(e -> e.getReason().equals("Completed") && e.getInvolvedObject().getName().equals("count")));
    }

    /** Cron's finest schedule is a minute, so this waits for the next minute to start (at most 60 s). */
    @Test
    void aCronJobFiresOnSchedule() {
        Kubectl kubectl = kubectl(33);
        String ns = namespace(kubectl, "cron");
        kubectl.okWithInput("""
                apiVersion: batch/v1
                kind: CronJob
                metadata:
                  name: tick
                spec:
                  schedule: "* * * * *"
                  concurrencyPolicy: Forbid
                  jobTemplate:
                    spec:
                      template:
                        metadata:
                          annotations:
                            quarkube.io/simulate-exit-after: 1s
                        spec:
                          restartPolicy: Never
                          containers:
                          - name: tick
                            image: busybox:1.36
                """, "-n", ns, "apply", "-f", "-");

        TestAgents.await(Duration.ofSeconds(100), "a Job of the CronJob completed", () -> admin.batch().v1().jobs().inNamespace(ns)
                .list().getItems().stream().anyMatch(j -> j.getMetadata().getName().startsWith("tick-") && complete(j)));

        Job job = admin.batch().v1().jobs().inNamespace(ns).list().getItems().get(0);
        assertEquals("CronJob", job.getMetadata().getOwnerReferences().get(0).getKind());
        assertEquals("tick", job.getMetadata().getOwnerReferences().get(0).getName());
        TestAgents.await(DEADLINE, "lastScheduleTime and lastSuccessfulTime", () -> {
            CronJob cronJob = admin.batch().v1().cronjobs().inNamespace(ns).withName("tick").get();
            return cronJob.getStatus().getLastScheduleTime() != null && cronJob.getStatus().getLastSuccessfulTime() != null;
        });
        TestAgents.await(DEADLINE, "the cronjob-controller's SuccessfulCreate and SawCompletedJob events", () -> {
            Set<String> reasons = events(ns).stream().filter(e -> e.getInvolvedObject().getKind().equals("CronJob"))
                    .map(Event::getReason).collect(Collectors.toSet());
            return reasons.containsAll(Set.of("SuccessfulCreate", "SawCompletedJob"));
        });
    }

    @Test
    void aDaemonSetRunsOnePodOnEveryNode() {
        Kubectl kubectl = kubectl(33);
        String ns = namespace(kubectl, "daemons");
        kubectl.okWithInput("""
                apiVersion: apps/v1
                kind: DaemonSet
                metadata:
                  name: everywhere
                spec:
                  selector:
                    matchLabels: {app: everywhere}
                  template:
                    metadata:
                      labels: {app: everywhere}
                    spec:
                      containers:
                      - name: agent
                        image: busybox:1.36
                """, "-n", ns, "apply", "-f", "-");

        kubectl.ok("-n", ns, "rollout", "status", "daemonset/everywhere", "--timeout=90s");

        List<Pod> pods = pods(ns, "everywhere");
        assertEquals(nodes, pods.stream().map(p -> p.getSpec().getNodeName()).collect(Collectors.toCollection(TreeSet::new)));
        assertEquals(3, pods.size(), "one pod per node");
        assertTrue(pods.stream().allMatch(WorkloadsEndToEndTest::ready));
        assertEquals(3, admin.apps().daemonSets().inNamespace(ns).withName("everywhere").get().getStatus().getNumberReady());
    }

    private static List<Pod> pods(String namespace, String app) {
        return admin.pods().inNamespace(namespace).withLabel("app", app).list().getItems().stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null).toList();
    }

    private static List<Event> events(String namespace) {
        return admin.v1().events().inNamespace(namespace).list().getItems();
    }

    private static boolean complete(Job job) {
        return job.getStatus() != null && job.getStatus().getConditions() != null && job.getStatus().getConditions().stream()
                .anyMatch(c -> c.getType().equals("Complete") && c.getStatus().equals("True"));
    }

    private static boolean ready(Node node) {
        return node.getStatus() != null && node.getStatus().getConditions() != null && node.getStatus().getConditions().stream()
                .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
    }

    private static boolean ready(Pod pod) {
        return pod.getStatus() != null && pod.getStatus().getConditions() != null && pod.getStatus().getConditions().stream()
                .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
    }
}
