package io.quarkube.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Function;

import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.quarkube.agent.config.AgentConfig;
import io.quarkube.agent.cri.CriConfig;
import io.quarkube.agent.cri.CriRuntime;
import io.quarkube.agent.cri.CriRuntimeSettings;
import io.quarkube.agent.node.NodeFacts;
import io.quarkube.agent.runtime.ContainerRuntime;
import io.quarkube.agent.runtime.SimulatedRuntime;
import io.quarkube.agent.server.AgentServer;
import io.quarkube.agent.server.NodeServer;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import io.vertx.core.Vertx;

/** Starts the node agent from its command line (see {@link AgentArguments}) and runs until stopped. */
@QuarkusMain
public class AgentMain implements QuarkusApplication {

    private static final Logger LOG = Logger.getLogger(AgentMain.class);

    @Inject
    AgentConfig config;

    @Inject
    CriConfig criConfig;

    @Inject
    Vertx vertx;

    public static void main(String... args) {
        Quarkus.run(AgentMain.class, args);
    }

    @Override
    public int run(String... args) throws IOException {
        if (AgentArguments.isCleanupProxy(args)) {
            NodeNetworking.cleanupProxy(config);
            System.out.println("removed the service proxy's chains (prefixes " + config.proxy().chainPrefix() + ", "
                    + config.proxy().serviceChainPrefix() + ")");
            return 0;
        }
        AgentArguments arguments;
        try {
            arguments = AgentArguments.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            return 2;
        }
        // Only the given kubeconfig: never ~/.kube/config, in-cluster service accounts or KUBERNETES_* variables.
        Config clientConfig;
        try {
            clientConfig = Config.fromKubeconfig(Files.readString(arguments.kubeconfig()));
        } catch (IOException | RuntimeException e) {
            System.err.println("cannot read kubeconfig " + arguments.kubeconfig() + ": " + e.getMessage());
            return 2;
        }
        if (arguments.runtime() == AgentArguments.Runtime.SIMULATED) {
            SimulatedRuntime.SimulatedPodNetwork network = new SimulatedRuntime.SimulatedPodNetwork(config.simulated().podNetwork());
            LOG.infof("simulated runtime: no containers run on this machine");
            return runAgent(arguments, clientConfig,
                    node -> new SimulatedRuntime(Clock.systemUTC(), config.simulated().startDelay(), config.simulated().pullDelay(), network));
        }
        try (CriRuntime cri = CriRuntime.connect(new CriRuntimeSettings(arguments.criSocket().orElseThrow(),
                criConfig.requestTimeout(), criConfig.imagePullTimeout()))) {
            return runAgent(arguments, clientConfig, node -> cri);
        }
    }

    private int runAgent(AgentArguments arguments, Config clientConfig, Function<String, ContainerRuntime> runtimes) {
        try (KubernetesClient client = new KubernetesClientBuilder().withConfig(clientConfig).build();
                Agent agent = new Agent(client, config, arguments.nodeNames(), runtimes, Clock.systemUTC())) {
            agent.start();
            // The node's HTTPS endpoint (kubelet port): container logs, exec, attach, port-forward.
            // Simulated nodes share this one endpoint (the host's address and port), which answers that their pods run no processes.
            Optional<AgentServer> server = NodeServer.start(vertx, runtimes.apply(arguments.nodeNames().get(0)), clientConfig,
                            arguments.nodeNames().get(0), NodeFacts.ofHost(config.node(), "", config.pods().rootDirectory()).internalIp(),
                            config.node().kubeletPort());
            try {
                Quarkus.waitForExit();
            } finally {
                server.ifPresent(AgentServer::close);
            }
        }
        return 0;
    }
}
