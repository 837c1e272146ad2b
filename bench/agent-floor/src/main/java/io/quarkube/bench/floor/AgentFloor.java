package io.quarkube.bench.floor;

import java.nio.file.Files;
import java.nio.file.Path;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * A Quarkus application with the node agent's dependencies that does, at most, the first API calls
 * every agent makes: {@code idle} starts and waits; {@code client KUBECONFIG} also watches the pods
 * bound to a node, lists nodes and writes the node's Lease with the Fabric8 client. Then it prints
 * its resident memory ({@link Rss}).
 */
@QuarkusMain
public class AgentFloor implements QuarkusApplication {

    private static final String NODE = "floor-node";

    @Override
    public int run(String... args) throws Exception {
        String mode = args.length > 0 ? args[0] : "idle";
        KubernetesClient client = null;
        if (mode.equals("client")) {
            client = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(Files.readString(Path.of(args[1])))).build();
            client.pods().inAnyNamespace().withField("spec.nodeName", NODE).watch(new Watcher<Pod>() {
                @Override
                public void eventReceived(Action action, Pod pod) {
                }

                @Override
                public void onClose(WatcherException cause) {
                }
            });
            client.nodes().list();
            client.leases().inNamespace("kube-node-lease").resource(new LeaseBuilder()
                    .withNewMetadata().withName(NODE).withNamespace("kube-node-lease").endMetadata()
                    .withNewSpec().withHolderIdentity(NODE).withLeaseDurationSeconds(40).endSpec().build())
                    .createOr(lease -> lease.update());
        }
        Rss.settleAndPrint(mode);
        if (client != null) {
            client.close();
        }
        return 0;
    }

    public static void main(String... args) {
        Quarkus.run(AgentFloor.class, args);
    }
}
