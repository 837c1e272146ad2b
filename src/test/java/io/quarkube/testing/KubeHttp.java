package io.quarkube.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

import javax.net.ssl.SSLContext;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkube.json.Json;

/**
 * A JDK HTTP client authenticated as the cluster admin of a data directory, for tests that talk to
 * control planes running as separate processes and need streamed watch responses.
 */
public final class KubeHttp {

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final HttpClient client;

    public KubeHttp(Path dataDir) {
        this.client = HttpClient.newBuilder().sslContext(adminContext(dataDir)).connectTimeout(REQUEST_TIMEOUT).build();
    }

    /** Sends a JSON request (body may be null) and returns the response status and parsed body. */
    public Reply send(String method, String url, ObjectNode body) {
        HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(Json.bytes(body));
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/json").header("Accept", "application/json")
                .method(method, publisher).build();
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            String text = response.body();
            return new Reply(response.statusCode(), text.startsWith("{") ? Json.parseObject(text) : Json.object());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The lines of a streamed response (a watch); closing the stream closes the connection. */
    public Stream<String> lines(String url) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).header("Accept", "application/json").GET().build();
        try {
            HttpResponse<Stream<String>> response = client.send(request, HttpResponse.BodyHandlers.ofLines());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("GET " + url + " answered " + response.statusCode());
            }
            return response.body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public record Reply(int status, ObjectNode body) {
        public long resourceVersion() {
            return Long.parseLong(body.path("metadata").path("resourceVersion").asText());
        }
    }

    private static SSLContext adminContext(Path dataDir) {
        return AdminTls.context(dataDir);
    }
}
