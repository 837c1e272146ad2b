package io.quarkube.agent.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import io.quarkube.agent.cri.CriRuntime;
import io.quarkube.agent.cri.v1.ExecRequest;
import io.quarkube.agent.testing.containerd.ContainerdExtension;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;

/**
 * The frame translation between a WebSocket client offering only {@code v5.channel.k8s.io} (Vert.x's
 * client, writing frames as kubectl does) and containerd's real SPDY/3.1 streaming server, for exec
 * sessions the test opens in a busybox container. A plain HTTP server hands each upgrade to the
 * translator with the URL containerd gave for it, as the agent's server does after its checks.
 */
@ExtendWith(ContainerdExtension.class)
class WebSocketSpdyTranslatorTest {

    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private final CriRuntime runtime;
    private Vertx vertx;
    private RuntimeSpdyConnector connector;
    private HttpClient client;
    private int port;
    private String containerId;

    WebSocketSpdyTranslatorTest(CriRuntime runtime) {
        this.runtime = runtime;
    }

    @BeforeEach
    void start() throws Exception {
        CriTestPods pods = new CriTestPods(runtime, Files.createDirectories(dir.resolve("pod-logs")));
        String uid = UUID.randomUUID().toString();
        containerId = pods.start(pods.sandbox("default", "translated-" + uid.substring(0, 8), uid), "main", 0, List.of("sleep", "3600"));
        vertx = Vertx.vertx();
        connector = new RuntimeSpdyConnector(vertx);
        WebSocketSpdyTranslator translator = new WebSocketSpdyTranslator(connector);
        // the subprotocol is negotiated by the server, as the agent's server does it
        port = vertx.createHttpServer(new HttpServerOptions().setWebSocketSubProtocols(List.of(WebSocketSpdyTranslator.PROTOCOL)))
                .requestHandler(request -> {
            request.pause();
            StreamOptions options = StreamOptions.parse(request.params());
            runtime.exec(ExecRequest.newBuilder().setContainerId(containerId).addAllCmd(options.command()).setTty(options.tty())
                    .setStdin(options.stdin()).setStdout(options.stdout()).setStderr(options.stderr()).build())
                    .subscribe().with(response -> translator.translate(request, response.getUrl(), options)
                            .onFailure(failure -> request.response().setStatusCode(500).end(failure.toString())),
                            failure -> request.response().setStatusCode(500).end(failure.toString()));
        }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
        client = vertx.createHttpClient();
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

    /** One message the client received: its channel and the bytes after the channel byte. */
    record Message(int channel, String text) {
    }

    /** A client session: every message in order, and how the server closed. */
    record Session(WebSocket socket, List<Message> messages, AtomicReference<Short> closeStatus) {

        void send(int channel, String text) {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            socket.writeBinaryMessage(Buffer.buffer().appendByte((byte) channel).appendBytes(bytes));
        }

        /** v5's close signal for one of the client's streams. */
        void close(int channel) {
            socket.writeBinaryMessage(Buffer.buffer(new byte[] {(byte) 255, (byte) channel}));
        }

        String text(int channel) {
            StringBuilder text = new StringBuilder();
            messages.stream().filter(m -> m.channel() == channel).forEach(m -> text.append(m.text()));
            return text.toString();
        }

        JsonObject status() {
            return new JsonObject(text(3));
        }

        void awaitClose() {
            Polling.until(DEADLINE, () -> "the server to close the WebSocket, messages so far: " + messages, () -> closeStatus.get() != null);
        }
    }

    private Session open(String query) throws Exception {
        List<Message> messages = new CopyOnWriteArrayList<>();
        AtomicReference<Short> closeStatus = new AtomicReference<>();
        WebSocket socket = client.webSocket(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port)
                .setURI("/exec?" + query).addSubProtocol(WebSocketSpdyTranslator.PROTOCOL)).map(connected -> {
                    // on the event loop, before the first message is handled
                    connected.binaryMessageHandler(message -> messages.add(new Message(message.getUnsignedByte(0),
                            message.getString(1, message.length(), StandardCharsets.UTF_8.name()))));
                    connected.closeHandler(ignored -> closeStatus.set(connected.closeStatusCode()));
                    return connected;
                }).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        assertEquals(WebSocketSpdyTranslator.PROTOCOL, socket.subProtocol());
        return new Session(socket, messages, closeStatus);
    }

    private static String command(String... words) {
        StringBuilder query = new StringBuilder();
        for (String word : words) {
            query.append("&command=").append(java.net.URLEncoder.encode(word, StandardCharsets.UTF_8).replace("+", "%20"));
        }
        return query.toString();
    }

    @Test
    void stdoutAndStderrComeOnTheirChannelsThenSuccessAndANormalClose() throws Exception {
        Session session = open("output=1&error=1" + command("sh", "-c", "echo out; echo err >&2"));
        session.awaitClose();

        // first an empty message on stdout: the streams are up
        assertEquals(new Message(1, ""), session.messages().get(0));
        assertEquals("out\n", session.text(1));
        assertEquals("err\n", session.text(2));
        assertEquals("Success", session.status().getString("status"));
        assertEquals(3, session.messages().get(session.messages().size() - 1).channel(), "the Status is the last message");
        assertEquals((short) 1000, session.closeStatus().get());
    }

    @Test
    void theCloseSignalEndsTheRemoteStdinWhileTheSocketStaysOpen() throws Exception {
        Session session = open("input=1&output=1&error=1" + command("sh", "-c", "cat; echo after end of input"));
        session.send(0, "line one\n");
        Polling.until(DEADLINE, () -> "cat to echo the first line, got " + session.messages(), () -> session.text(1).equals("line one\n"));
        session.send(0, "line two\n");
        session.close(0);
        session.awaitClose();

        assertEquals("line one\nline two\nafter end of input\n", session.text(1));
        assertEquals("Success", session.status().getString("status"));
    }

    @Test
    void aNonZeroExitCodeIsTheStatusCause() throws Exception {
        Session session = open("output=1&error=1" + command("sh", "-c", "echo failing; exit 5"));
        session.awaitClose();

        assertEquals("failing\n", session.text(1));
        JsonObject status = session.status();
        assertEquals("Failure", status.getString("status"));
        assertEquals("NonZeroExitCode", status.getString("reason"));
        JsonObject cause = status.getJsonObject("details").getJsonArray("causes").getJsonObject(0);
        assertEquals("ExitCode", cause.getString("reason"));
        assertEquals("5", cause.getString("message"));
    }

    @Test
    void aCommandThatCannotStartIsAnInternalError() throws Exception {
        Session session = open("output=1&error=1" + command("/no/such/binary"));
        session.awaitClose();

        JsonObject status = session.status();
        assertEquals("Failure", status.getString("status"));
        assertEquals("InternalError", status.getString("reason"));
        assertTrue(status.getString("message").startsWith("Internal error occurred: "), status::encode);
        assertTrue(status.getString("message").contains("/no/such/binary"), status::encode);
    }

    @Test
    void aTerminalTakesItsSizeFromTheResizeChannel() throws Exception {
        Session session = open("input=1&output=1&tty=1" + command("sh", "-c",
                "while read line; do [ \"$line\" = done ] && exit 0; stty size; done"));
        session.send(4, "{\"Width\":123,\"Height\":45}");
        // the size reaches the terminal on its own stream: ask until the shell sees it
        Polling.until(DEADLINE, () -> "stty to report 45 rows and 123 columns, got " + session.text(1), () -> {
            session.send(0, "size?\n");
            return session.text(1).contains("45 123");
        });
        // a terminal's input has no end of its own: the shell is told to finish
        session.send(0, "done\n");
        session.awaitClose();

        assertTrue(session.messages().stream().noneMatch(m -> m.channel() == 2), "a terminal has no stderr channel");
        assertEquals("Success", session.status().getString("status"));
    }
}
