package io.quarkube.agent.server;

import java.nio.file.NoSuchFileException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;

import org.jboss.logging.Logger;

import io.quarkube.agent.cri.v1.AttachRequest;
import io.quarkube.agent.cri.v1.ExecRequest;
import io.quarkube.agent.cri.v1.PortForwardRequest;
import io.quarkube.agent.runtime.ContainerRuntime;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.quarkube.agent.runtime.SimulatedRuntime;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The agent's own HTTPS endpoint, the counterpart of the kubelet's port 10250: container logs
 * ({@code /containerLogs/NS/POD/CONTAINER}), exec and attach ({@code /exec|/attach/NS/POD/CONTAINER})
 * and port-forward ({@code /portForward/NS/POD}). Only clients with a certificate the cluster CA
 * signed get in (the control plane's kubelet client); the TLS handshake refuses the others.
 */
public final class AgentServer implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(AgentServer.class);

    private final Vertx vertx;
    private final PodContainerLocator containers;
    private final ContainerRuntime runtime;
    /** Pods of simulated nodes run no processes: logs, exec, attach and port-forward say so instead. */
    private final boolean simulated;
    private static final String SIMULATED = "quarkube simulated node";
    private final RuntimeStreamProxy streams;
    private final RuntimeSpdyConnector spdy;
    private final ChannelProtocolBridge bridge;
    private final WebSocketSpdyTranslator translator;
    private HttpServer server;

    /**
     * @param host    the address to listen on ("0.0.0.0" for all)
     * @param port    the port, published as the node's daemonEndpoints.kubeletEndpoint.Port; 0 picks a free one
     * @param clientCaPem the cluster CA certificate (PEM) that client certificates must chain to
     * @param serving the server's certificate and key
     */
    public record Settings(String host, int port, String clientCaPem, ServingCertificate serving) {
    }

    private AgentServer(Vertx vertx, ContainerRuntime runtime) {
        this.vertx = vertx;
        this.runtime = runtime;
        this.simulated = runtime instanceof SimulatedRuntime;
        this.containers = new PodContainerLocator(runtime);
        this.streams = new RuntimeStreamProxy(vertx);
        this.spdy = new RuntimeSpdyConnector(vertx);
        this.bridge = new ChannelProtocolBridge(spdy);
        this.translator = new WebSocketSpdyTranslator(spdy);
    }

    /** Starts listening; the future completes once the port is bound. */
    public static Future<AgentServer> start(Vertx vertx, ContainerRuntime runtime, Settings settings) {
        AgentServer agentServer = new AgentServer(vertx, runtime);
        HttpServerOptions options = new HttpServerOptions().setHost(settings.host()).setPort(settings.port())
                .setSsl(true).setClientAuth(ClientAuth.REQUIRED)
                .setWebSocketSubProtocols(List.of(ChannelProtocolBridge.PORT_FORWARD_TUNNEL, WebSocketSpdyTranslator.PROTOCOL))
                .setTrustOptions(new PemTrustOptions().addCertValue(Buffer.buffer(settings.clientCaPem())))
                .setKeyCertOptions(new PemKeyCertOptions().setCertValue(Buffer.buffer(settings.serving().certificatePem()))
                        .setKeyValue(Buffer.buffer(settings.serving().keyPem())));
        Router router = Router.router(vertx);
        router.get("/containerLogs/:namespace/:pod/:container").handler(agentServer::containerLogs);
        router.route("/exec/:namespace/:pod/:container").handler(ctx -> agentServer.execOrAttach(ctx, true));
        router.route("/attach/:namespace/:pod/:container").handler(ctx -> agentServer.execOrAttach(ctx, false));
        router.route("/portForward/:namespace/:pod").handler(agentServer::portForward);
        router.route("/healthz").handler(ctx -> ctx.response().putHeader("Content-Type", "text/plain").end("ok"));
        return vertx.createHttpServer(options).requestHandler(router).listen().map(server -> {
            agentServer.server = server;
            LOG.infof("Serving container logs, exec, attach and port-forward on https://%s:%d", settings.host(), server.actualPort());
            return agentServer;
        });
    }

    /** The bound port (useful when started on port 0). */
    public int port() {
        return server.actualPort();
    }

    // ---- logs ----------------------------------------------------------------------------------

    private void containerLogs(RoutingContext ctx) {
        String namespace = ctx.pathParam("namespace");
        String pod = ctx.pathParam("pod");
        String container = ctx.pathParam("container");
        if (simulated) {
            ctx.response().setStatusCode(200).putHeader("Content-Type", "text/plain")
                    .end(SIMULATED + ": container \"" + container + "\" of pod " + namespace + "/" + pod + " runs no process, so it has no log\n");
            return;
        }
        try {
            LogReadOptions options = LogReadOptions.parse(ctx.request()::getParam, Instant.now());
            answer(ctx, containers.logSource(namespace, pod, container, options.previous())
                    .flatMap(source -> future(vertx.executeBlocking(() -> ContainerLogFile.open(source.file(), options), false))
                            .onFailure(NoSuchFileException.class).transform(missing -> AgentRequestException.notFound(
                                    "the log of container \"" + container + "\" in pod \"" + pod + "\" is not there (" + missing.getMessage() + ")"))
                            .invoke(file -> {
                                ctx.response().setStatusCode(200).putHeader("Content-Type", "text/plain");
                                new ContainerLogStream(vertx, file, ctx.response(), options.follow(),
                                        () -> containers.running(source.containerId())).start();
                            })));
        } catch (AgentRequestException e) {
            fail(ctx, e);
        }
    }

    // ---- exec, attach, port-forward ------------------------------------------------------------

    private void execOrAttach(RoutingContext ctx, boolean exec) {
        if (!allowed(ctx)) {
            return;
        }
        HttpServerRequest request = ctx.request();
        // held while the runtime prepares the session: an upgrade needs the request not yet read to its end
        request.pause();
        String namespace = ctx.pathParam("namespace");
        String pod = ctx.pathParam("pod");
        String container = ctx.pathParam("container");
        if (simulated) {
            fail(ctx, AgentRequestException.badRequest(SIMULATED + ": container \"" + container + "\" of pod " + namespace + "/" + pod
                    + " runs no process to " + (exec ? "exec in" : "attach to")));
            return;
        }
        try {
            boolean webSocket = ChannelProtocolBridge.isWebSocket(request);
            boolean translated = webSocket && WebSocketSpdyTranslator.offered(request);
            if (webSocket && !translated && !ChannelProtocolBridge.offersRuntimeChannelProtocol(request)) {
                // refused before the runtime prepares a session nobody would use
                throw ChannelProtocolBridge.execOverWebSocketRefused();
            }
            StreamOptions options = StreamOptions.parse(request.params());
            Uni<String> url = containers.runningContainerId(namespace, pod, container).flatMap(id -> exec
                    ? runtime.exec(ExecRequest.newBuilder().setContainerId(id).addAllCmd(options.command()).setTty(options.tty())
                            .setStdin(options.stdin()).setStdout(options.stdout()).setStderr(options.stderr()).build()).map(r -> r.getUrl())
                    : runtime.attach(AttachRequest.newBuilder().setContainerId(id).setTty(options.tty()).setStdin(options.stdin())
                            .setStdout(options.stdout()).setStderr(options.stderr()).build()).map(r -> r.getUrl()));
            // WebSocket v5 is translated to the runtime's SPDY streams; SPDY/3.1 and the WebSocket
            // channel protocols up to v4 are the runtime's own: tunnelled as they are
            answer(ctx, url.emitOn(onRequestThread()).flatMap(target -> future(translated
                    ? translator.translate(request, target, options)
                    : streams.proxy(request, target))));
        } catch (AgentRequestException e) {
            fail(ctx, e);
        }
    }

    private void portForward(RoutingContext ctx) {
        if (!allowed(ctx)) {
            return;
        }
        HttpServerRequest request = ctx.request();
        // held while the runtime prepares the session: an upgrade needs the request not yet read to its end
        request.pause();
        String namespace = ctx.pathParam("namespace");
        String pod = ctx.pathParam("pod");
        if (simulated) {
            fail(ctx, AgentRequestException.badRequest(SIMULATED + ": pod " + namespace + "/" + pod + " has no network to forward ports to"));
            return;
        }
        try {
            List<Integer> ports = ports(request.getParam("port"));
            answer(ctx, containers.readySandboxId(namespace, pod)
                    .flatMap(sandbox -> runtime.portForward(PortForwardRequest.newBuilder().setPodSandboxId(sandbox).addAllPort(ports).build()))
                    .emitOn(onRequestThread())
                    .flatMap(response -> future(ChannelProtocolBridge.isWebSocket(request)
                            ? bridge.portForward(request, response.getUrl())
                            : streams.proxy(request, response.getUrl()))));
        } catch (AgentRequestException e) {
            fail(ctx, e);
        }
    }

    private static List<Integer> ports(String value) {
        if (value == null || value.isEmpty()) {
            return List.of();
        }
        try {
            return java.util.Arrays.stream(value.split(",")).map(String::trim).map(Integer::parseInt).toList();
        } catch (NumberFormatException e) {
            throw AgentRequestException.badRequest("invalid port: " + value);
        }
    }

    private static boolean allowed(RoutingContext ctx) {
        HttpMethod method = ctx.request().method();
        if (method == HttpMethod.GET || method == HttpMethod.POST) {
            return true;
        }
        fail(ctx, new AgentRequestException(405, "method not allowed"));
        return false;
    }

    // ---- answers -------------------------------------------------------------------------------

    private static <T> void answer(RoutingContext ctx, Uni<T> work) {
        work.subscribe().with(ignored -> { }, failure -> fail(ctx, failure));
    }

    /** The kubelet's error answer: a status code and the message (plain text for logs, a Status for streams). */
    private static void fail(RoutingContext ctx, Throwable failure) {
        if (ctx.response().headWritten()) {
            LOG.debugf("%s failed after the answer started: %s", ctx.request().path(), failure.getMessage());
            ctx.response().reset();
            return;
        }
        // a request held for an upgrade that does not happen is read to its end, so its connection serves the next one
        ctx.request().resume();
        int status = 500;
        String message = failure.getMessage() == null ? failure.toString() : failure.getMessage();
        if (failure instanceof AgentRequestException request) {
            status = request.status();
        } else {
            LOG.warnf(failure, "%s %s failed", ctx.request().method(), ctx.request().path());
        }
        if (ctx.request().path().startsWith("/containerLogs/")) {
            ctx.response().setStatusCode(status).putHeader("Content-Type", "text/plain; charset=utf-8").end(message);
            return;
        }
        // as the kubelet's streaming server: a refused exec, attach or port-forward answers a Status, which
        // kubectl shows as it is (a plain text answer it would try to read as a YAML Status)
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
                .end(Serialization.asJson(new StatusBuilder().withStatus("Failure").withMessage(message)
                        .withReason(REASONS.getOrDefault(status, "")).withCode(status).build()));
    }

    private static final Map<Integer, String> REASONS = Map.of(400, "BadRequest", 401, "Unauthorized", 403, "Forbidden",
            404, "NotFound", 405, "MethodNotAllowed", 500, "InternalError");

    /**
     * Continues on the request's own event loop (the runtime answers on a gRPC thread): the upgrade
     * and the connection to the runtime's streaming server then live on one thread, and what the
     * client sends right after the 101 meets its handlers.
     */
    private static Executor onRequestThread() {
        Context request = Vertx.currentContext();
        return task -> request.runOnContext(ignored -> task.run());
    }

    private static <T> Uni<T> future(Future<T> future) {
        return Uni.createFrom().completionStage(() -> future.toCompletionStage());
    }

    @Override
    public void close() {
        streams.close();
        spdy.close();
        if (server != null) {
            server.close().toCompletionStage().toCompletableFuture().join();
        }
    }
}
