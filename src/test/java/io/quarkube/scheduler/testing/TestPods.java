package io.quarkube.scheduler.testing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;

/**
 * Fabric8 Pods for scheduler tests, as the API would hold them:
 * {@code TestPods.pod("a").requests("500m", "1Gi").label("app", "web").onNode("n1").build()}.
 * Resource and port calls apply to the container added last (one is added by default).
 */
public final class TestPods {

    private TestPods() {
    }

    public static Builder pod(String name) {
        return new Builder(name);
    }

    public static final class Builder {
        private final String name;
        private String namespace = "default";
        private final Map<String, String> labels = new HashMap<>();
        private final List<Container> containers = new ArrayList<>();
        private final List<Container> initContainers = new ArrayList<>();
        private final List<Toleration> tolerations = new ArrayList<>();
        private final List<TopologySpreadConstraint> spread = new ArrayList<>();
        private final Map<String, String> nodeSelector = new HashMap<>();
        private final Map<String, Quantity> overhead = new HashMap<>();
        private Affinity affinity;
        private String nodeName;
        private Container last;

        private Builder(String name) {
            this.name = name;
            container("c");
        }

        public Builder namespace(String value) {
            namespace = value;
            return this;
        }

        public Builder container(String containerName) {
            last = new ContainerBuilder().withName(containerName).withImage("busybox").withNewResources().endResources().build();
            containers.add(last);
            return this;
        }

        public Builder initContainer(String containerName, String restartPolicy) {
            last = new ContainerBuilder().withName(containerName).withImage("busybox").withRestartPolicy(restartPolicy)
                    .withNewResources().endResources().build();
            initContainers.add(last);
            return this;
        }

        /** Requests of the last container; a null amount is left out. */
        public Builder requests(String cpu, String memory) {
            Map<String, Quantity> requests = new HashMap<>();
            if (cpu != null) {
                requests.put("cpu", new Quantity(cpu));
            }
            if (memory != null) {
                requests.put("memory", new Quantity(memory));
            }
            last.getResources().setRequests(requests);
            return this;
        }

        public Builder request(String resource, String amount) {
            Map<String, Quantity> requests = last.getResources().getRequests() == null ? new HashMap<>()
                    : new HashMap<>(last.getResources().getRequests());
            requests.put(resource, new Quantity(amount));
            last.getResources().setRequests(requests);
            return this;
        }

        public Builder overhead(String cpu, String memory) {
            overhead.put("cpu", new Quantity(cpu));
            overhead.put("memory", new Quantity(memory));
            return this;
        }

        public Builder hostPort(int port, String protocol, String hostIp) {
            last.getPorts().add(new ContainerPortBuilder().withContainerPort(port).withHostPort(port).withProtocol(protocol)
                    .withHostIP(hostIp).build());
            return this;
        }

        public Builder label(String key, String value) {
            labels.put(key, value);
            return this;
        }

        public Builder toleration(String key, String operator, String value, String effect, Long seconds) {
            tolerations.add(new TolerationBuilder().withKey(key).withOperator(operator).withValue(value).withEffect(effect)
                    .withTolerationSeconds(seconds).build());
            return this;
        }

        public Builder nodeSelector(String key, String value) {
            nodeSelector.put(key, value);
            return this;
        }

        public Builder affinity(Affinity value) {
            affinity = value;
            return this;
        }

        public Builder spread(TopologySpreadConstraint constraint) {
            spread.add(constraint);
            return this;
        }

        /** Assigned to the node (as bound pods are). */
        public Builder onNode(String node) {
            nodeName = node;
            return this;
        }

        public Pod build() {
            return new PodBuilder().withNewMetadata().withName(name).withNamespace(namespace).withLabels(labels).endMetadata()
                    .withNewSpec().withContainers(containers).withInitContainers(initContainers).withTolerations(tolerations)
                    .withNodeSelector(nodeSelector).withAffinity(affinity).withTopologySpreadConstraints(spread)
                    .withOverhead(overhead.isEmpty() ? null : overhead).withNodeName(nodeName).endSpec()
                    .withNewStatus().withPhase("Pending").endStatus().build();
        }
    }
}
