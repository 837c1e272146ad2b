package io.quarkube.api.streaming;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkube.api.Responses;
import io.quarkube.registry.ResourceCatalog;
import io.quarkube.registry.ResourceService;
import io.quarkube.registry.ResourceType;
import io.quarkube.registry.StatusException;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The pod subresources served by the node's agent: {@code log}, {@code exec}, {@code attach} and
 * {@code portforward}. Like kube-apiserver, the control plane finds the pod's node and proxies the
 * request to the agent's HTTPS endpoint ({@code /containerLogs}, {@code /exec}, {@code /attach},
 * {@code /portForward}); logs stream through with back-pressure, upgraded connections are tunnelled.
 */
@ApplicationScoped
public class PodStreamingRoutes {

    /** The subresources this class serves; no other route does. */
    public static final List<String> SUBRESOURCES = List.of("attach", "exec", "log", "portforward");
    /** How much of an agent's error answer becomes the Status message (kube-apiserver reads at most 4 KiB). */
    private static final int MAX_ERROR_BYTES = 4096;

    private static final Logger LOG = Logger.getLogger(PodStreamingRoutes.class);

    @Inject
    ResourceService resources;
    @Inject
    KubeletClient kubelets;

    public void mount(Router router) {
        router.routeWithRegex("/api/v1/namespaces/([^/]+)/pods/([^/]+)/(log|exec|attach|portforward)").handler(ctx -> {
            String namespace = ctx.pathParam("param0");
            String name = ctx.pathParam("param1");
            String subresource = ctx.pathParam("param2");
            try {
                Uni<Void> served = switch (subresource) {
                    case "log" -> log(ctx, namespace, name);
                    case "portforward" -> portForward(ctx, namespace, name);
                    default -> execOrAttach(ctx, namespace, name, subresource);
                };
                served.subscribe().with(ignored -> { }, failure -> Responses.failure(ctx, failure));
            } catch (RuntimeException e) {
                Responses.failure(ctx, e);
            }
        });
    }

    // ---- log -----------------------------------------------------------------------------------

    private Uni<Void> log(RoutingContext ctx, String namespace, String name) {
        requireMethod(ctx, HttpMethod.GET);
        PodLogQuery query = PodLogQuery.parse(name, ctx.request()::getParam);
        return pod(namespace, name).flatMap(pod -> {
            String container = PodContainers.resolve(pod, query.container());
            String nodeName = pod.path("spec").path("nodeName").asText("");
            if (nodeName.isEmpty()) {
                // kube-apiserver answers an unscheduled pod's log with an empty stream
                ctx.response().setStatusCode(200).putHeader("Content-Type", "text/plain").end();
                return Uni.createFrom().voidItem();
            }
            String uri = "/containerLogs/" + namespace + "/" + name + "/" + container
                    + (query.agentQuery().isEmpty() ? "" : "?" + query.agentQuery());
            return endpoint(nodeName).flatMap(endpoint -> future(kubelets.request(endpoint, HttpMethod.GET, uri)
                    .compose(request -> request.send())
                    .compose(answer -> relayLog(ctx, name, answer))));
        });
    }

    /** Streams a 200 through without buffering (the pipe pauses the agent while the client is slow). */
    private static Future<Void> relayLog(RoutingContext ctx, String podName, HttpClientResponse answer) {
        if (answer.statusCode() == 200) {
            ctx.response().setStatusCode(200).setChunked(true).putHeader("Content-Type", "text/plain");
            return answer.pipeTo(ctx.response());
        }
        return answer.body().compose(body -> Future.failedFuture(agentError(answer.statusCode(), podName, body)));
    }

    /** An agent's error answer as kube-apiserver's response checker turns a kubelet's into a Status. */
    static StatusException agentError(int code, String podName, Buffer body) {
        String text = body.length() > MAX_ERROR_BYTES ? body.getString(0, MAX_ERROR_BYTES) : body.toString();
        return switch (code) {
            case 400 -> StatusException.badRequest(text);
            case 404 -> new StatusException(404, "NotFound", text.isEmpty() ? "the server could not find the requested resource" : text,
                    "", "pods/log", podName, null, null);
            case 500 -> new StatusException(500, "InternalError", "Internal error occurred: " + text, null, null, null, null, null);
            default -> new StatusException(code, code == 403 ? "Forbidden" : code == 401 ? "Unauthorized" : "InternalError",
                    text, null, null, null, null, null);
        };
    }

    // ---- exec, attach, port-forward ------------------------------------------------------------

    private Uni<Void> execOrAttach(RoutingContext ctx, String namespace, String name, String subresource) {
        requireMethod(ctx, HttpMethod.GET, HttpMethod.POST);
        HttpServerRequest request = ctx.request();
        return pod(namespace, name).flatMap(pod -> {
            String container = PodContainers.resolve(pod, request.getParam("container"));
            String nodeName = requireNode(pod, name);
            String uri = "/" + subresource + "/" + namespace + "/" + name + "/" + container + "?"
                    + StreamQuery.execOrAttach(request.params(), subresource.equals("exec"));
            return tunnel(ctx, nodeName, uri);
        });
    }

    private Uni<Void> portForward(RoutingContext ctx, String namespace, String name) {
        requireMethod(ctx, HttpMethod.GET, HttpMethod.POST);
        HttpServerRequest request = ctx.request();
        return pod(namespace, name).flatMap(pod -> {
            String nodeName = requireNode(pod, name);
            String query = StreamQuery.portForward(request.params());
            return tunnel(ctx, nodeName, "/portForward/" + namespace + "/" + name + (query.isEmpty() ? "" : "?" + query));
        });
    }

    private Uni<Void> tunnel(RoutingContext ctx, String nodeName, String uri) {
        HttpServerRequest client = ctx.request();
        boolean upgrade = AgentUpgradeProxy.isUpgrade(client);
        // Vert.x's client switches to a tunnel only after a GET upgrade; the agent (like the kubelet)
        // takes GET and POST alike
        HttpMethod method = upgrade ? HttpMethod.GET : client.method();
        return endpoint(nodeName).flatMap(endpoint -> future(kubelets.request(endpoint, method, uri).compose(request -> {
            AgentUpgradeProxy.copyRequestHeaders(client.headers(), request.headers());
            // the connection ends with the tunnel; that is no error of the request
            request.exceptionHandler(closed -> LOG.debugf("connection to node %s closed: %s", nodeName, closed.getMessage()));
            return (upgrade ? request.connect() : request.send()).compose(answer -> AgentUpgradeProxy.complete(client, answer));
        })));
    }

    private static String requireNode(ObjectNode pod, String name) {
        String nodeName = pod.path("spec").path("nodeName").asText("");
        if (nodeName.isEmpty()) {
            throw StatusException.badRequest("pod " + name + " does not have a host assigned");
        }
        return nodeName;
    }

    // ---- shared --------------------------------------------------------------------------------

    private Uni<ObjectNode> pod(String namespace, String name) {
        return resources.store(type("pods")).get(namespace, name);
    }

    private Uni<KubeletEndpoint> endpoint(String nodeName) {
        return resources.store(type("nodes")).get("", nodeName).map(KubeletEndpoint::of);
    }

    private static ResourceType type(String plural) {
        return ResourceCatalog.find("", "v1", plural).orElseThrow();
    }

    private static void requireMethod(RoutingContext ctx, HttpMethod... allowed) {
        for (HttpMethod method : allowed) {
            if (ctx.request().method() == method) {
                return;
            }
        }
        throw StatusException.methodNotAllowed();
    }

    private static <T> Uni<T> future(Future<T> future) {
        return Uni.createFrom().completionStage(future.toCompletionStage());
    }
}
