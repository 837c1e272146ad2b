package io.quarkube.api;

import java.nio.charset.StandardCharsets;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.quarkube.json.Json;
import io.quarkube.registry.ResourceService;
import io.vertx.ext.web.Router;

/**
 * Service account issuer discovery, as kube-apiserver serves it to authenticated clients: the
 * OpenID provider configuration and the key set that verifies the cluster's service account
 * tokens, so that systems outside the cluster can accept those tokens.
 */
@ApplicationScoped
public class ServiceAccountIssuerRoutes {

    @Inject
    ResourceService resources;

    void mount(Router router) {
        router.get("/.well-known/openid-configuration").handler(ctx -> resources.serviceAccountTokens().signer().subscribe().with(
                signer -> Responses.raw(ctx, 200, "application/json", Json.bytes(signer.openIdConfiguration())),
                failure -> Responses.failure(ctx, failure)));
        router.get("/openid/v1/jwks").handler(ctx -> resources.serviceAccountTokens().signer().subscribe().with(
                signer -> Responses.raw(ctx, 200, "application/jwk-set+json", signer.jwks().getBytes(StandardCharsets.UTF_8)),
                failure -> Responses.failure(ctx, failure)));
    }
}
