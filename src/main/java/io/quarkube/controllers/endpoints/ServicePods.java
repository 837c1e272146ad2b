package io.quarkube.controllers.endpoints;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;

/**
 * Which pods back a Service and how, as kube-controller-manager's endpoint utilities decide it for
 * the Endpoints and EndpointSlice controllers alike: selection, readiness, named target ports.
 */
public final class ServicePods {

    private ServicePods() {
    }

    /**
     * Whether the controllers publish endpoints for the Service at all: it has a selector and is not
     * ExternalName. An empty selector counts as none: JSON cannot tell them apart (omitempty).
     */
    public static boolean hasEndpoints(Service service) {
        return service.getSpec() != null && service.getSpec().getSelector() != null
                && !service.getSpec().getSelector().isEmpty() && !"ExternalName".equals(service.getSpec().getType());
    }

    /** Whether the Service's selector (a map; empty selects nothing here, as kube's controllers treat it) picks the pod. */
    public static boolean selects(Service service, Pod pod) {
        Map<String, String> selector = service.getSpec().getSelector();
        if (selector == null || selector.isEmpty()
                || !Objects.equals(service.getMetadata().getNamespace(), pod.getMetadata().getNamespace())) {
            return false;
        }
        Map<String, String> labels = pod.getMetadata().getLabels();
        return labels != null && labels.entrySet().containsAll(selector.entrySet());
    }

    /**
     * kube's ShouldPodBeInEndpoints: the pod has an IP, has not finished for good, and is not being
     * deleted unless terminating pods are wanted.
     */
    public static boolean shouldBeInEndpoints(Pod pod, boolean includeTerminating) {
        if (ip(pod) == null) {
            return false;
        }
        String phase = pod.getStatus().getPhase();
        if ("Succeeded".equals(phase) || "Failed".equals(phase)) {
            return false;
        }
        return includeTerminating || pod.getMetadata().getDeletionTimestamp() == null;
    }

    public static boolean isTerminating(Pod pod) {
        return pod.getMetadata().getDeletionTimestamp() != null;
    }

    /** The pod's Ready condition is True. */
    public static boolean isReady(Pod pod) {
        List<PodCondition> conditions = pod.getStatus() == null ? null : pod.getStatus().getConditions();
        return conditions != null && conditions.stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    /** The pod's IPv4 address, or null while it has none. */
    public static String ip(Pod pod) {
        if (pod.getStatus() == null) {
            return null;
        }
        String ip = pod.getStatus().getPodIP();
        return ip == null || ip.isEmpty() ? null : ip;
    }

    /**
     * kube's FindPort: a numeric target port as it is, a named one looked up among the pod's
     * container ports of the same protocol; empty when the pod has no such port.
     */
    public static OptionalInt targetPort(Pod pod, ServicePort servicePort) {
        IntOrString target = servicePort.getTargetPort();
        if (target == null) {
            return OptionalInt.of(servicePort.getPort());
        }
        if (target.getStrVal() == null) {
            return OptionalInt.of(target.getIntVal());
        }
        String protocol = Objects.requireNonNullElse(servicePort.getProtocol(), "TCP");
        for (Container container : pod.getSpec().getContainers()) {
            if (container.getPorts() == null) {
                continue;
            }
            for (ContainerPort port : container.getPorts()) {
                if (target.getStrVal().equals(port.getName())
                        && protocol.equals(Objects.requireNonNullElse(port.getProtocol(), "TCP"))) {
                    return OptionalInt.of(port.getContainerPort());
                }
            }
        }
        return OptionalInt.empty();
    }

    /** The pod's DNS host name under the Service: set only when its subdomain is the Service's name. */
    public static String hostname(Service service, Pod pod) {
        String hostname = pod.getSpec().getHostname();
        return hostname != null && !hostname.isEmpty() && service.getMetadata().getName().equals(pod.getSpec().getSubdomain())
                ? hostname : null;
    }

    public static ObjectReference targetRef(Pod pod) {
        return new ObjectReferenceBuilder().withKind("Pod").withNamespace(pod.getMetadata().getNamespace())
                .withName(pod.getMetadata().getName()).withUid(pod.getMetadata().getUid()).build();
    }

    /** Whether the Service is headless (clusterIP None). */
    public static boolean isHeadless(Service service) {
        return "None".equals(service.getSpec().getClusterIP());
    }
}
