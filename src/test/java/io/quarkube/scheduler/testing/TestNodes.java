package io.quarkube.scheduler.testing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;

/**
 * Fabric8 Nodes for scheduler tests: {@code TestNodes.node("n1").allocatable("4", "8Gi", 110).label("zone", "a").build()};
 * Ready unless told otherwise, with hostname label like the kubelet's.
 */
public final class TestNodes {

    private TestNodes() {
    }

    public static Builder node(String name) {
        return new Builder(name);
    }

    public static final class Builder {
        private final String name;
        private final Map<String, String> labels = new HashMap<>();
        private final Map<String, Quantity> allocatable = new HashMap<>();
        private final List<Taint> taints = new ArrayList<>();
        private boolean unschedulable;
        private String ready = "True";

        private Builder(String name) {
            this.name = name;
            labels.put("kubernetes.io/hostname", name);
            allocatable("4", "8Gi", 110);
        }

        public Builder allocatable(String cpu, String memory, int pods) {
            allocatable.put("cpu", new Quantity(cpu));
            allocatable.put("memory", new Quantity(memory));
            allocatable.put("pods", new Quantity(Integer.toString(pods)));
            return this;
        }

        public Builder ephemeralStorage(String amount) {
            allocatable.put("ephemeral-storage", new Quantity(amount));
            return this;
        }

        public Builder label(String key, String value) {
            labels.put(key, value);
            return this;
        }

        public Builder taint(String key, String value, String effect) {
            taints.add(new TaintBuilder().withKey(key).withValue(value).withEffect(effect).build());
            return this;
        }

        public Builder unschedulable() {
            unschedulable = true;
            return this;
        }

        /** The Ready condition's status: "True" (default), "False", "Unknown", or null for none. */
        public Builder ready(String status) {
            ready = status;
            return this;
        }

        public Node build() {
            List<NodeCondition> conditions = ready == null ? List.of()
                    : List.of(new NodeConditionBuilder().withType("Ready").withStatus(ready).withReason("KubeletReady").build());
            return new NodeBuilder().withNewMetadata().withName(name).withLabels(labels).endMetadata()
                    .withNewSpec().withUnschedulable(unschedulable ? true : null).withTaints(taints).endSpec()
                    .withNewStatus().withAllocatable(allocatable).withCapacity(allocatable).withConditions(conditions).endStatus()
                    .build();
        }
    }
}
