package io.quarkube.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkube.json.Json;

/**
 * Pods as a client would send them, built step by step:
 * {@code TestPods.pod("a").container("c", "nginx:1.25").requests("100m", "1Gi").build()}.
 * Resource and port calls apply to the container added last.
 */
public final class TestPods {

    private TestPods() {
    }

    public static Builder pod(String name) {
        return new Builder(name);
    }

    public static final class Builder {

        private final ObjectNode pod = Json.object().put("apiVersion", "v1").put("kind", "Pod");
        private final ObjectNode spec;
        private ObjectNode container;

        private Builder(String name) {
            pod.putObject("metadata").put("name", name);
            spec = pod.putObject("spec");
        }

        public Builder container(String name, String image) {
            return add("containers", name, image);
        }

        public Builder initContainer(String name, String image) {
            return add("initContainers", name, image);
        }

        private Builder add(String list, String name, String image) {
            container = Json.MAPPER.createObjectNode();
            if (name != null) {
                container.put("name", name);
            }
            if (image != null) {
                container.put("image", image);
            }
            (spec.get(list) instanceof ArrayNode a ? a : spec.putArray(list)).add(container);
            return this;
        }

        /** Requests of the last container; a null quantity is left out. */
        public Builder requests(String cpu, String memory) {
            return resources("requests", cpu, memory);
        }

        /** Limits of the last container; a null quantity is left out. */
        public Builder limits(String cpu, String memory) {
            return resources("limits", cpu, memory);
        }

        private Builder resources(String kind, String cpu, String memory) {
            ObjectNode quantities = Json.with(lastContainer(), "resources", kind);
            if (cpu != null) {
                quantities.put("cpu", cpu);
            }
            if (memory != null) {
                quantities.put("memory", memory);
            }
            return this;
        }

        public Builder port(int containerPort) {
            (lastContainer().get("ports") instanceof ArrayNode a ? a : lastContainer().putArray("ports"))
                    .addObject().put("containerPort", containerPort);
            return this;
        }

        /** Sets any field of the last container, e.g. a probe. */
        public Builder containerField(String field, JsonNode value) {
            lastContainer().set(field, value);
            return this;
        }

        public Builder label(String key, String value) {
            Json.with(pod, "metadata", "labels").put(key, value);
            return this;
        }

        /** Sets any field of the pod spec. */
        public Builder spec(String field, String value) {
            spec.put(field, value);
            return this;
        }

        public Builder spec(String field, JsonNode value) {
            spec.set(field, value);
            return this;
        }

        public Builder toleration(String key, String operator, String effect) {
            ObjectNode toleration = (spec.get("tolerations") instanceof ArrayNode a ? a : spec.putArray("tolerations")).addObject();
            if (key != null) {
                toleration.put("key", key);
            }
            toleration.put("operator", operator);
            if (effect != null) {
                toleration.put("effect", effect);
            }
            return this;
        }

        public ObjectNode build() {
            return pod.deepCopy();
        }

        /** The pod spec alone, for a workload's template. */
        public ObjectNode buildSpec() {
            return spec.deepCopy();
        }

        /** A pod template: the pod's labels and spec. */
        public ObjectNode buildTemplate() {
            ObjectNode template = Json.object();
            if (pod.path("metadata").get("labels") instanceof ObjectNode labels) {
                template.putObject("metadata").set("labels", labels.deepCopy());
            }
            template.set("spec", spec.deepCopy());
            return template;
        }

        private ObjectNode lastContainer() {
            if (container == null) {
                throw new IllegalStateException("add a container first");
            }
            return container;
        }
    }
}
