package io.quarkube.controllers.endpoints;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;

/** Services and pods as the controllers' informers hold them, for tests without an API. */
public final class TestBackends {

    private TestBackends() {
    }

    /** A Service selecting app=web with port "http" 80 → target port "web" (named). */
    public static ServiceBuilder service() {
        return new ServiceBuilder().withNewMetadata().withNamespace("ns").withName("web").withUid("svc-uid").endMetadata()
                .withNewSpec().addToSelector("app", "web").withClusterIP("10.96.0.20")
                .addNewPort().withName("http").withPort(80).withProtocol("TCP").withTargetPort(new IntOrString("web")).endPort()
                .endSpec();
    }

    /** A Running pod app=web on node-a whose container names port "web" as webPort. */
    public static PodBuilder pod(String name, String ip, boolean ready, int webPort) {
        return new PodBuilder().withNewMetadata().withNamespace("ns").withName(name).withUid(name + "-uid")
                .addToLabels("app", "web").endMetadata()
                .withNewSpec().withNodeName("node-a").addNewContainer().withName("main").withImage("busybox")
                .addNewPort().withName("web").withContainerPort(webPort).withProtocol("TCP").endPort().endContainer().endSpec()
                .withNewStatus().withPhase("Running").withPodIP(ip)
                .addNewCondition().withType("Ready").withStatus(ready ? "True" : "False").endCondition().endStatus();
    }

    public static Service web() {
        return service().build();
    }

    public static Pod ready(String name, String ip) {
        return pod(name, ip, true, 8080).build();
    }
}
