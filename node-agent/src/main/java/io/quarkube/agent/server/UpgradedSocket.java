package io.quarkube.agent.server;

import java.lang.reflect.Field;

import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.NetSocket;

/**
 * Switches an HTTP/1.1 upgrade request's connection to a raw socket, whatever its method.
 *
 * <p>kubectl upgrades exec, attach and port-forward requests to SPDY with POST, but Vert.x 4 hands
 * out the socket ({@link HttpServerRequest#toNetSocket()}) only for GET upgrades and CONNECT. Once
 * the request has been read and forwarded, its method no longer matters here, so the request is
 * marked GET for the switch. That reaches into Vert.x's HTTP/1.x request ({@code method}, behind
 * any wrappers' {@code delegate}); a Vert.x that changes them fails here, and the tests see it.
 */
final class UpgradedSocket {

    private UpgradedSocket() {
    }

    /** Answers with the status and headers set on the response (101 and its headers) and returns the socket. */
    static Future<NetSocket> of(HttpServerRequest request) {
        if (request.method() != HttpMethod.GET && request.method() != HttpMethod.CONNECT) {
            try {
                markGet(request);
            } catch (ReflectiveOperationException | RuntimeException e) {
                return Future.failedFuture(new IllegalStateException("cannot switch a " + request.method()
                        + " upgrade request to a socket with this Vert.x", e));
            }
        }
        return request.toNetSocket();
    }

    private static void markGet(HttpServerRequest request) throws ReflectiveOperationException {
        Object current = request;
        for (int depth = 0; depth < 8; depth++) {
            Field method = field(current.getClass(), "method", HttpMethod.class);
            if (method != null && current.getClass().getSimpleName().startsWith("Http1x")) {
                method.set(current, HttpMethod.GET);
                return;
            }
            Field delegate = field(current.getClass(), "delegate", HttpServerRequest.class);
            if (delegate == null) {
                break;
            }
            current = delegate.get(current);
        }
        throw new IllegalStateException("no HTTP/1.x request found behind " + request.getClass().getName());
    }

    private static Field field(Class<?> type, String name, Class<?> fieldType) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            for (Field field : c.getDeclaredFields()) {
                if (field.getName().equals(name) && fieldType.isAssignableFrom(field.getType())) {
                    field.setAccessible(true);
                    return field;
                }
            }
        }
        return null;
    }
}
