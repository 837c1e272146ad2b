package io.quarkube.api.streaming;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkube.security.ClusterCertificates;
import io.quarkube.security.IssuedCertificate;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.PemKeyCertOptions;

/**
 * The control plane's HTTPS client towards node agents, authenticated with a client certificate the
 * cluster CA issues ({@code kube-apiserver-kubelet-client} in {@code system:masters}, as kubeadm
 * sets kube-apiserver up). Like kube-apiserver without {@code --kubelet-certificate-authority}, it
 * does not verify the agents' serving certificates: agents serve with self-signed ones.
 */
@ApplicationScoped
public class KubeletClient {

    static final String USER = "kube-apiserver-kubelet-client";
    static final String FILE_BASE_NAME = "apiserver-kubelet-client";
    /** A connection attempt to an agent gives up after this long, as kube-apiserver's dialer does. */
    private static final int CONNECT_TIMEOUT_MS = 30_000;

    @Inject
    Vertx vertx;
    @ConfigProperty(name = "quarkube.data-dir")
    Optional<String> dataDir;

    private volatile HttpClient client;

    /** A request to an agent; the caller sends it (or upgrades it with {@code connect()}). */
    Future<HttpClientRequest> request(KubeletEndpoint endpoint, HttpMethod method, String uri) {
        return client().request(new RequestOptions().setMethod(method).setHost(endpoint.host()).setPort(endpoint.port())
                .setURI(uri).setFollowRedirects(false));
    }


    private HttpClient client() {
        if (client == null) {
            throw new IllegalStateException("the client towards node agents is not set up: quarkube.data-dir is not set");
        }
        return client;
    }

    /** Issues (or reuses) the client certificate before requests arrive: file I/O stays off the event loop. */
    void onStart(@Observes StartupEvent event) {
        if (dataDir.isPresent()) {
            client = create();
        }
    }

    private HttpClient create() {
        IssuedCertificate certificate = certificate();
        HttpClientOptions options = new HttpClientOptions().setSsl(true).setTrustAll(true).setVerifyHost(false)
                .setKeyCertOptions(new PemKeyCertOptions().setCertPath(certificate.cert().toString())
                        .setKeyPath(certificate.key().toString()))
                .setConnectTimeout(CONNECT_TIMEOUT_MS)
                // each log stream or tunnel holds its connection for as long as it lasts
                .setMaxPoolSize(1024).setKeepAlive(true);
        return vertx.createHttpClient(options);
    }

    /** The client certificate in the data directory, issued on first start and reused afterwards. */
    private IssuedCertificate certificate() {
        Path dir = Path.of(dataDir.orElseThrow());
        return new ClusterCertificates(dir).issueClientCertificate(FILE_BASE_NAME, USER, List.of(ClusterCertificates.ADMIN_GROUP));
    }

    @PreDestroy
    void close() {
        if (client != null) {
            client.close();
        }
    }
}
