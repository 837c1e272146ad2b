package io.quarkube.api;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import io.quarkube.api.streaming.PodStreamingRoutes;
import io.quarkube.registry.ResourceService;
import io.quarkube.registry.StatusException;
import io.quarkube.security.ClientCertificateUser;
import io.quarkube.security.UserInfo;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * Mounts the Kubernetes API on the Vert.x router: authentication (client certificates, service
 * account tokens), request bodies up to kube-apiserver's 3 MiB, discovery, health and the resource
 * routes.
 */
@ApplicationScoped
public class ApiRouter {

    static final long MAX_BODY_BYTES = 3L * 1024 * 1024;
    /** Paths that probes and kubectl's version check reach without credentials. */
    private static final String USER_KEY = "io.quarkube.user";
    private static final Set<String> ANONYMOUS = Set.of("/livez", "/readyz", "/healthz", "/version");

    @Inject
    ResourceRoutes resources;
    @Inject
    DiscoveryRoutes discovery;
    @Inject
    HealthRoutes health;
    @Inject
    OpenApiRoutes openApi;
    @Inject
    PodStreamingRoutes podStreaming;
    @Inject
    ResourceService resourceService;
    @Inject
    ServiceAccountIssuerRoutes serviceAccountIssuer;
    @Inject
    ReviewRoutes reviews;

    void mount(@Observes Router router) {
        router.route().order(-100).handler(this::authenticate);
        // a failure handler on the body route itself: Quarkus' own failure handler would otherwise
        // answer the 413 first, with an empty body instead of a Status
        BodyHandler bodies = BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES);
        router.route().order(-99).handler(ctx -> {
            // an upgrade (WebSocket watches; SPDY or WebSocket exec, attach, port-forward) must reach
            // its handler with the request unread
            if (ctx.request().getHeader("Upgrade") != null) {
                ctx.next();
            } else {
                bodies.handle(ctx);
            }
        }).failureHandler(ctx -> {
            if (ctx.statusCode() != 413) {
                ctx.next();
                return;
            }
            Responses.failure(ctx, new StatusException(413, "RequestEntityTooLarge",
                    "the request body is larger than the limit of " + MAX_BODY_BYTES + " bytes", null, null, null, null, null));
        });
        health.mount(router);
        discovery.mount(router);
        openApi.mount(router);
        podStreaming.mount(router);
        serviceAccountIssuer.mount(router);
        // before the resource routes, which would answer these paths with 404
        reviews.mount(router);
        router.routeWithRegex("/api/v1(/.*)?").handler(ctx -> resources.handle(ctx, "", "v1", rest(ctx.pathParam("param0"))));
        router.routeWithRegex("/apis/([^/]+)/([^/]+)(/.*)").handler(ctx -> resources.handle(ctx,
                ctx.pathParam("param0"), ctx.pathParam("param1"), rest(ctx.pathParam("param2"))));
    }

    private static String rest(String value) {
        return value == null ? "" : value;
    }

    /**
     * The user of the client certificate the TLS handshake verified against the cluster CA, read once
     * per TLS session (every request on a connection shares it).
     */
    private static Optional<UserInfo> authenticatedUser(SSLSession session) {
        if (session == null) {
            return Optional.empty();
        }
        if (session.getValue(USER_KEY) instanceof UserInfo known) {
            return Optional.of(known);
        }
        try {
            Optional<UserInfo> user = ClientCertificateUser.fromChain(List.of(session.getPeerCertificates()));
            user.ifPresent(u -> session.putValue(USER_KEY, u));
            return user;
        } catch (SSLPeerUnverifiedException noCertificate) {
            return Optional.empty();
        }
    }

    /**
     * Every request but the anonymous ones needs a client certificate the cluster CA signed, or a
     * service account token this cluster issued as its bearer token.
     */
    private void authenticate(RoutingContext ctx) {
        if (ANONYMOUS.contains(ctx.normalizedPath()) || ctx.normalizedPath().startsWith("/q/health")) {
            ctx.next();
            return;
        }
        Optional<UserInfo> certificateUser = authenticatedUser(ctx.request().sslSession());
        if (certificateUser.isPresent()) {
            ctx.put(USER_KEY, certificateUser.get());
            ctx.next();
            return;
        }
        Optional<String> token = bearerToken(ctx.request().getHeader("Authorization"));
        if (token.isPresent()) {
            authenticateToken(ctx, token.get());
            return;
        }
        if (ctx.request().method() == HttpMethod.OPTIONS) {
            ctx.next();
            return;
        }
        unauthorized(ctx);
    }

    /**
     * Checks the token against storage (the service account and what the token is bound to must
     * still exist). The request is paused meanwhile: the body handler comes after this one, and a
     * body arriving before it would be lost. The verdict continues on the request's own context.
     */
    private void authenticateToken(RoutingContext ctx, String token) {
        Context context = Vertx.currentContext();
        ctx.request().pause();
        resourceService.serviceAccountTokens().authenticate(token).subscribe().with(
                user -> context.runOnContext(ignored -> {
                    if (user.isEmpty()) {
                        unauthorized(ctx);
                        return;
                    }
                    ctx.put(USER_KEY, user.get());
                    if (ctx.request().getHeader("Upgrade") != null) {
                        // no body handler follows for an upgrade (see mount) to resume the request
                        ctx.request().resume();
                    }
                    ctx.next();
                }),
                failure -> context.runOnContext(ignored -> Responses.failure(ctx, failure)));
    }

    /** Who sent the request, once it passed authentication. */
    static UserInfo user(RoutingContext ctx) {
        UserInfo user = ctx.get(USER_KEY);
        if (user == null) {
            throw new IllegalStateException("no authenticated user on " + ctx.normalizedPath());
        }
        return user;
    }

    /** The token of an "Authorization: Bearer TOKEN" header, as kube-apiserver reads it. */
    static Optional<String> bearerToken(String authorization) {
        if (authorization == null) {
            return Optional.empty();
        }
        String[] parts = authorization.trim().split(" +", 2);
        if (parts.length != 2 || !parts[0].equalsIgnoreCase("bearer") || parts[1].isBlank()) {
            return Optional.empty();
        }
        return Optional.of(parts[1].trim());
    }

    private static void unauthorized(RoutingContext ctx) {
        Responses.failure(ctx, new StatusException(401, "Unauthorized", "Unauthorized", null, null, null, null, null));
    }
}
