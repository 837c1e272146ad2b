package io.quarkube.bench;

import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;

/**
 * The do-nothing streaming server the watch benchmark compares against: {@code GET /watch} opens
 * a chunked response; {@code POST /publish} writes its body, as one line, to every open response
 * and then answers 200. Same TLS certificate and client authentication as the control plane.
 */
public final class StreamBaselineServer {

    public static void main(String[] argv) {
        Args args = new Args(argv);
        Path dataDir = Path.of(args.get("data-dir"));
        int port = args.getInt("port", 0);
        Vertx vertx = Vertx.vertx();
        Set<HttpServerResponse> open = ConcurrentHashMap.newKeySet();
        vertx.createHttpServer(ClusterTls.apiServer(dataDir).setHost("127.0.0.1").setPort(port))
                .requestHandler(request -> {
                    HttpServerResponse response = request.response();
                    if (request.path().equals("/watch")) {
                        response.setChunked(true).putHeader("Content-Type", "application/json");
                        open.add(response);
                        response.closeHandler(v -> open.remove(response));
                        response.write("");
                    } else if (request.path().equals("/publish")) {
                        request.body().onSuccess(body -> {
                            Buffer line = body.copy().appendByte((byte) '\n');
                            open.forEach(watch -> watch.write(line));
                            response.end();
                        });
                    } else if (request.path().equals("/readyz")) {
                        response.end("ok");
                    } else {
                        response.setStatusCode(404).end();
                    }
                })
                .listen()
                .onSuccess(server -> System.out.println("baseline streaming server on port " + server.actualPort()))
                .onFailure(failure -> {
                    failure.printStackTrace();
                    System.exit(1);
                });
    }
}
