package io.quarkube.embedded;

import java.nio.file.Path;
import java.util.Map;

/**
 * The embedded default: PostgreSQL and Redis child processes under one data directory, and the
 * Quarkus configuration that points the control plane at them.
 */
public final class EmbeddedStorage implements AutoCloseable {

    private final EmbeddedPostgres postgres;
    private final EmbeddedRedis redis;

    private EmbeddedStorage(EmbeddedPostgres postgres, EmbeddedRedis redis) {
        this.postgres = postgres;
        this.redis = redis;
    }

    public static EmbeddedStorage start(Path dataDir) {
        EmbeddedPostgres postgres = EmbeddedPostgres.start(dataDir);
        try {
            return new EmbeddedStorage(postgres, EmbeddedRedis.start(dataDir));
        } catch (RuntimeException e) {
            postgres.close();
            throw e;
        }
    }

    /** Configuration properties for the reactive PostgreSQL and Redis clients. */
    public Map<String, String> config() {
        return Map.of(
                "quarkus.datasource.reactive.url", postgres.reactiveUrl(),
                "quarkus.datasource.username", postgres.username(),
                "quarkus.redis.hosts", redis.url());
    }

    @Override
    public void close() {
        try {
            redis.close();
        } finally {
            postgres.close();
        }
    }
}
