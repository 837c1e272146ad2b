package io.quarkube.api;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.quarkube.health.StorageHealth;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * kube-apiserver's health endpoints: {@code /livez}, {@code /readyz} and {@code /healthz}, plain
 * "ok" or, with {@code ?verbose}, one line per check.
 */
@ApplicationScoped
public class HealthRoutes {

    @Inject
    StorageHealth storage;

    void mount(Router router) {
        router.get("/livez").handler(ctx -> respond(ctx, "livez", Map.of("ping", Uni.createFrom().item(true))));
        router.get("/readyz").handler(ctx -> respond(ctx, "readyz", readiness()));
        router.get("/healthz").handler(ctx -> respond(ctx, "healthz", readiness()));
    }

    private Map<String, Uni<Boolean>> readiness() {
        Map<String, Uni<Boolean>> checks = new LinkedHashMap<>();
        checks.put("ping", Uni.createFrom().item(true));
        checks.put("postgresql", storage.postgresUp());
        checks.put("redis", storage.redisUp());
        checks.put("watch-cache", Uni.createFrom().item(storage.watchCacheReady()));
        return checks;
    }

    private void respond(RoutingContext ctx, String endpoint, Map<String, Uni<Boolean>> checks) {
        boolean verbose = ctx.request().params().contains("verbose");
        Uni.join().all(checks.values().stream().toList()).andCollectFailures()
                .onFailure().recoverWithItem(() -> checks.values().stream().map(c -> false).toList())
                .subscribe().with(results -> {
                    StringBuilder body = new StringBuilder();
                    boolean ok = true;
                    int i = 0;
                    for (String name : checks.keySet()) {
                        boolean passed = results.get(i++);
                        ok &= passed;
                        body.append(passed ? "[+]" : "[-]").append(name).append(passed ? " ok" : " failed: reason withheld").append('\n');
                    }
                    body.append(endpoint).append(ok ? " check passed" : " check failed").append('\n');
                    String text = verbose || !ok ? body.toString() : "ok";
                    ctx.response().setStatusCode(ok ? 200 : 500).putHeader("Content-Type", "text/plain; charset=utf-8")
                            .putHeader("X-Content-Type-Options", "nosniff").end(text);
                });
    }
}
