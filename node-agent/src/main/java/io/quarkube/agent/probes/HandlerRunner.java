package io.quarkube.agent.probes;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ExecAction;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.HTTPHeader;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.TCPSocketAction;
import io.quarkube.agent.cri.v1.ExecSyncRequest;
import io.quarkube.agent.cri.v1.ExecSyncResponse;
import io.quarkube.agent.runtime.ContainerRuntime;
import io.quarkube.agent.runtime.RuntimeCallException;

/**
 * Runs the actions probes and lifecycle hooks share: exec in the container (CRI ExecSync), an HTTP
 * GET against the pod, a TCP connect. Blocking, bounded by the action's timeout.
 */
public final class HandlerRunner {

    /** Whether the action succeeded, and what to tell users when it did not. */
    public record Outcome(boolean success, String message) {
        static Outcome ok() {
            return new Outcome(true, "");
        }

        static Outcome failed(String message) {
            return new Outcome(false, message);
        }
    }

    private final ContainerRuntime runtime;

    /** One HTTP client for the process, made on first use: each client owns a selector thread. */
    private static final class Http {
        static final HttpClient CLIENT = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();
    }

    public HandlerRunner(ContainerRuntime runtime) {
        this.runtime = runtime;
    }

    public Outcome exec(ExecAction action, String containerId, Duration timeout) {
        try {
            ExecSyncResponse response = runtime.execSync(ExecSyncRequest.newBuilder().setContainerId(containerId)
                    .addAllCmd(action.getCommand()).setTimeout(Math.max(1, timeout.toSeconds())).build())
                    .await().atMost(timeout.plusSeconds(5));
            if (response.getExitCode() == 0) {
                return Outcome.ok();
            }
            String output = response.getStdout().toString(StandardCharsets.UTF_8) + response.getStderr().toString(StandardCharsets.UTF_8);
            return Outcome.failed(output.isBlank() ? "command " + action.getCommand() + " exited with " + response.getExitCode() : output.strip());
        } catch (RuntimeCallException e) {
            if (e.code() == io.grpc.Status.Code.DEADLINE_EXCEEDED) {
                return Outcome.failed("command \"" + String.join(" ", action.getCommand()) + "\" timed out");
            }
            return Outcome.failed(e.runtimeMessage().isEmpty() ? e.getMessage() : e.runtimeMessage());
        } catch (RuntimeException e) {
            return Outcome.failed("command " + action.getCommand() + " timed out");
        }
    }

    /** An HTTP GET: 200-399 is success, like the kubelet. */
    public Outcome httpGet(HTTPGetAction action, Container container, String podIp, Duration timeout) {
        String host = action.getHost() == null || action.getHost().isEmpty() ? podIp : action.getHost();
        int port = port(action.getPort(), container);
        String scheme = action.getScheme() == null ? "http" : action.getScheme().toLowerCase();
        String path = action.getPath() == null || action.getPath().isEmpty() ? "/" : action.getPath();
        if (!path.startsWith("/")) {
            path = "/" + path;
        }
        String hostPart = host.contains(":") ? "[" + host + "]" : host;
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(scheme + "://" + hostPart + ":" + port + path))
                .timeout(timeout).GET().header("User-Agent", "kube-probe/1.33");
        List<HTTPHeader> headers = action.getHttpHeaders() == null ? List.of() : action.getHttpHeaders();
        for (HTTPHeader header : headers) {
            request.setHeader(header.getName(), header.getValue());
        }
        try {
            HttpResponse<Void> response = Http.CLIENT.send(request.build(), HttpResponse.BodyHandlers.discarding());
            int status = response.statusCode();
            return status >= 200 && status < 400 ? Outcome.ok() : Outcome.failed("HTTP probe failed with statuscode: " + status);
        } catch (IOException e) {
            return Outcome.failed("Get \"" + scheme + "://" + hostPart + ":" + port + path + "\": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Outcome.failed("interrupted");
        }
    }

    public Outcome tcpSocket(TCPSocketAction action, Container container, String podIp, Duration timeout) {
        String host = action.getHost() == null || action.getHost().isEmpty() ? podIp : action.getHost();
        int port = port(action.getPort(), container);
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), (int) Math.max(1, timeout.toMillis()));
            return Outcome.ok();
        } catch (IOException e) {
            return Outcome.failed("dial tcp " + host + ":" + port + ": " + e.getMessage());
        }
    }

    /** A port given by number or by the name of one of the container's ports. */
    static int port(IntOrString port, Container container) {
        if (port.getIntVal() != null) {
            return port.getIntVal();
        }
        String name = port.getStrVal();
        for (ContainerPort candidate : container.getPorts()) {
            if (name.equals(candidate.getName())) {
                return candidate.getContainerPort();
            }
        }
        try {
            return Integer.parseInt(name);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("container " + container.getName() + " has no port named " + name);
        }
    }
}
