package io.quarkube.security;

import java.nio.ByteBuffer;
import java.security.cert.Certificate;
import java.util.List;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;

/**
 * A TLS handshake between two SSLEngines joined by buffers: proves that JSSE accepts the
 * certificates, host names and key usages without opening a socket.
 */
final class InMemoryTlsHandshake {

    private InMemoryTlsHandshake() {
    }

    /**
     * Runs a handshake where the client dials serverName with HTTPS host name checks and the server
     * requires a client certificate. Returns the client chain the server saw; throws on rejection.
     */
    static List<Certificate> run(SSLContext client, SSLContext server, String serverName) throws Exception {
        SSLEngine clientEngine = client.createSSLEngine(serverName, 6443);
        clientEngine.setUseClientMode(true);
        SSLParameters parameters = clientEngine.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        clientEngine.setSSLParameters(parameters);
        SSLEngine serverEngine = server.createSSLEngine();
        serverEngine.setUseClientMode(false);
        serverEngine.setNeedClientAuth(true);

        int capacity = 4 * Math.max(clientEngine.getSession().getPacketBufferSize(),
                serverEngine.getSession().getPacketBufferSize());
        ByteBuffer toServer = ByteBuffer.allocate(capacity);
        ByteBuffer toClient = ByteBuffer.allocate(capacity);
        clientEngine.beginHandshake();
        serverEngine.beginHandshake();
        for (int round = 0; round < 100 && !(done(clientEngine) && done(serverEngine)); round++) {
            step(clientEngine, toClient, toServer);
            step(serverEngine, toServer, toClient);
        }
        if (!(done(clientEngine) && done(serverEngine))) {
            throw new SSLException("handshake did not finish");
        }
        return List.of(serverEngine.getSession().getPeerCertificates());
    }

    private static boolean done(SSLEngine engine) {
        HandshakeStatus status = engine.getHandshakeStatus();
        return status == HandshakeStatus.NOT_HANDSHAKING || status == HandshakeStatus.FINISHED;
    }

    /** Feeds the engine what its peer sent, runs delegated tasks and lets it write what it must send. */
    private static void step(SSLEngine engine, ByteBuffer incoming, ByteBuffer outgoing) throws SSLException {
        ByteBuffer application = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize());
        incoming.flip();
        while (incoming.hasRemaining()) {
            SSLEngineResult result = engine.unwrap(incoming, application);
            runTasks(engine);
            if (result.getStatus() != SSLEngineResult.Status.OK || result.bytesConsumed() == 0) {
                break;
            }
        }
        incoming.compact();
        while (engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP) {
            SSLEngineResult result = engine.wrap(ByteBuffer.allocate(0), outgoing);
            runTasks(engine);
            if (result.getStatus() != SSLEngineResult.Status.OK) {
                break;
            }
        }
    }

    private static void runTasks(SSLEngine engine) {
        for (Runnable task = engine.getDelegatedTask(); task != null; task = engine.getDelegatedTask()) {
            task.run();
        }
    }
}
