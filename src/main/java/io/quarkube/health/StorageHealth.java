package io.quarkube.health;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.quarkube.storage.WatchCache;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/** Whether the control plane's storage answers: PostgreSQL, Redis and this replica's watch cache. */
@ApplicationScoped
public class StorageHealth {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    @Inject
    Pool pool;
    @Inject
    ReactiveRedisDataSource redis;
    @Inject
    WatchCache cache;

    public Uni<Boolean> postgresUp() {
        return pool.query("SELECT 1").execute().map(rows -> true)
                .ifNoItem().after(TIMEOUT).fail().onFailure().recoverWithItem(false);
    }

    public Uni<Boolean> redisUp() {
        return redis.execute("PING").map(reply -> reply != null && "PONG".equalsIgnoreCase(reply.toString()))
                .ifNoItem().after(TIMEOUT).fail().onFailure().recoverWithItem(false);
    }

    public boolean watchCacheReady() {
        return cache.isReady();
    }

    @Readiness
    @ApplicationScoped
    static class PostgresCheck implements AsyncHealthCheck {
        @Inject
        StorageHealth health;

        @Override
        public Uni<HealthCheckResponse> call() {
            return health.postgresUp().map(up -> HealthCheckResponse.named("postgresql").status(up).build());
        }
    }

    @Readiness
    @ApplicationScoped
    static class RedisCheck implements AsyncHealthCheck {
        @Inject
        StorageHealth health;

        @Override
        public Uni<HealthCheckResponse> call() {
            return health.redisUp().map(up -> HealthCheckResponse.named("redis").status(up).build());
        }
    }

    @Readiness
    @ApplicationScoped
    static class WatchCacheCheck implements HealthCheck {
        @Inject
        StorageHealth health;

        @Override
        public HealthCheckResponse call() {
            return HealthCheckResponse.named("watch-cache").status(health.watchCacheReady()).build();
        }
    }
}
