package io.quarkube.agent.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import io.quarkube.agent.cri.CriRuntime;
import io.quarkube.agent.cri.v1.ExecRequest;
import io.quarkube.agent.testing.containerd.ContainerdExtension;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetSocket;

/** SPDY/3.1 upgrades to containerd's streaming server, for exec URLs it hands out. */
@ExtendWith(ContainerdExtension.class)
class RuntimeSpdyConnectorTest {

    private static final Duration CALL = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private final CriRuntime runtime;
    private Vertx vertx;
    private RuntimeSpdyConnector connector;
    private String containerId;

    RuntimeSpdyConnectorTest(CriRuntime runtime) {
        this.runtime = runtime;
    }

    @BeforeEach
    void start() throws Exception {
        CriTestPods pods = new CriTestPods(runtime, Files.createDirectories(dir.resolve("pod-logs")));
        String uid = UUID.randomUUID().toString();
        containerId = pods.start(pods.sandbox("default", "spdy-" + uid.substring(0, 8), uid), "main", 0, List.of("sleep", "3600"));
        vertx = Vertx.vertx();
        connector = new RuntimeSpdyConnector(vertx);
    }

    @AfterEach
    void stop() {
        if (connector != null) {
            connector.close();
        }
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().join();
        }
    }

    private String execUrl() {
        return runtime.exec(ExecRequest.newBuilder().setContainerId(containerId).addAllCmd(List.of("true")).setStdout(true).build())
                .await().atMost(CALL).getUrl();
    }

    private NetSocket connect(String url, String protocol) throws Exception {
        return connector.connect(url, protocol).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private AgentRequestException refusal(String url, String protocol) {
        ExecutionException failed = assertThrows(ExecutionException.class, () -> connect(url, protocol));
        return assertInstanceOf(AgentRequestException.class, failed.getCause());
    }

    @Test
    void theRuntimeSwitchesToSpdyWithTheAskedStreamProtocol() throws Exception {
        NetSocket socket = connect(execUrl(), WebSocketSpdyTranslator.RUNTIME_PROTOCOL);
        assertNotNull(socket);
        socket.close();
    }

    @Test
    void aTokenTheRuntimeDoesNotKnowIsRefusedWithItsStatus() {
        String url = execUrl();
        String unknown = url.substring(0, url.lastIndexOf('/') + 1) + "unknown-token";

        assertEquals(404, refusal(unknown, WebSocketSpdyTranslator.RUNTIME_PROTOCOL).status());
    }

    @Test
    void aStreamProtocolTheRuntimeDoesNotSpeakIsRefused() {
        AgentRequestException refused = refusal(execUrl(), "v9.channel.k8s.io");

        assertEquals(403, refused.status(), refused::getMessage);
        assertTrue(refused.getMessage().contains("v9.channel.k8s.io"), refused::getMessage);
    }
}
