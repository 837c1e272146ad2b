package io.quarkube.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import io.quarkube.ControlPlaneSetup;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Starts what the control plane needs before Quarkus boots, through the same code path as the
 * launcher: cluster certificates and the embedded (real) PostgreSQL and Redis, in a fresh data
 * directory under target/. The TLS port is fixed up front so the admin kubeconfig points at it.
 */
public class ControlPlaneTestResource implements QuarkusTestResourceLifecycleManager {

    private ControlPlaneSetup setup;

    @Override
    public Map<String, String> start() {
        try {
            Path dataDir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "quarkube-test-");
            int port = freePort();
            Map<String, String> settings = Map.of("quarkube.data-dir", dataDir.toString(), "quarkube.port",
                    Integer.toString(port), "quarkube.bind", "127.0.0.1");
            setup = ControlPlaneSetup.prepare(key -> Optional.ofNullable(settings.get(key)));
            Map<String, String> config = new HashMap<>(setup.config());
            config.put("quarkus.http.test-ssl-port", Integer.toString(port));
            TestCluster.configure(dataDir, port);
            return config;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
        if (setup != null) {
            setup.close();
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
