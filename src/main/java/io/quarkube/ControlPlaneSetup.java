package io.quarkube;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import io.quarkube.embedded.EmbeddedPostgres;
import io.quarkube.embedded.EmbeddedRedis;
import io.quarkube.security.ClusterCertificates;

/**
 * What has to exist before Quarkus starts: the data directory, the cluster certificates and, when
 * no external servers are configured, the embedded PostgreSQL and Redis. Produces the Quarkus
 * configuration pointing at them. Shared by the launcher's main and the tests' resource.
 */
public final class ControlPlaneSetup implements AutoCloseable {

    private final Map<String, String> config = new LinkedHashMap<>();
    private final Path dataDir;
    private EmbeddedPostgres postgres;
    private EmbeddedRedis redis;

    private ControlPlaneSetup(Path dataDir) {
        this.dataDir = dataDir;
    }

    /**
     * @param settings looks a setting up by its property name (quarkube.data-dir, quarkube.port,
     *                 quarkube.bind, quarkube.database-url, quarkube.redis-url, or the standard
     *                 quarkus.datasource.reactive.url / quarkus.redis.hosts); empty when unset
     */
    public static ControlPlaneSetup prepare(Function<String, Optional<String>> settings) {
        Path dataDir = Path.of(settings.apply("quarkube.data-dir")
                .orElse(System.getProperty("user.home") + "/.quarkube")).toAbsolutePath();
        ControlPlaneSetup setup = new ControlPlaneSetup(dataDir);
        try {
            setup.start(settings);
            return setup;
        } catch (RuntimeException e) {
            setup.close();
            throw e;
        }
    }

    private void start(Function<String, Optional<String>> settings) {
        int port = Integer.parseInt(settings.apply("quarkube.port").orElse("6443"));
        String bind = settings.apply("quarkube.bind").orElse("127.0.0.1");
        ClusterCertificates certificates = ClusterCertificates.ensure(dataDir, bind, port);
        config.put("quarkube.data-dir", dataDir.toString());
        config.put("quarkube.port", Integer.toString(port));
        config.put("quarkube.bind", bind);
        config.put("quarkube.kubeconfig", certificates.adminKubeconfig().toString());
        config.put("quarkus.http.host", bind);
        config.put("quarkus.http.ssl-port", Integer.toString(port));
        config.put("quarkus.tls.key-store.pem.0.cert", certificates.serverCert().toString());
        config.put("quarkus.tls.key-store.pem.0.key", certificates.serverKey().toString());
        config.put("quarkus.tls.trust-store.pem.certs", certificates.caCert().toString());

        Optional<String> databaseUrl = settings.apply("quarkube.database-url").or(() -> settings.apply("quarkus.datasource.reactive.url"));
        if (databaseUrl.isPresent()) {
            config.put("quarkus.datasource.reactive.url", databaseUrl.get());
        } else {
            postgres = EmbeddedPostgres.start(dataDir);
            config.put("quarkus.datasource.reactive.url", postgres.reactiveUrl());
            config.put("quarkus.datasource.username", postgres.username());
        }
        Optional<String> redisUrl = settings.apply("quarkube.redis-url").or(() -> settings.apply("quarkus.redis.hosts"));
        if (redisUrl.isPresent()) {
            config.put("quarkus.redis.hosts", redisUrl.get());
        } else {
            redis = EmbeddedRedis.start(dataDir);
            config.put("quarkus.redis.hosts", redis.url());
        }
    }

    public Map<String, String> config() {
        return config;
    }

    @Override
    public void close() {
        if (redis != null) {
            redis.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }
}
