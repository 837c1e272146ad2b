package io.quarkube.bench;

import java.nio.file.Path;

import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;

/** TLS settings from a quarkube data directory: the admin client certificate and the cluster CA. */
final class ClusterTls {

    private ClusterTls() {
    }

    /** A client authenticated as the cluster admin that trusts the cluster CA. */
    static HttpClientOptions adminClient(Path dataDir) {
        return new HttpClientOptions().setSsl(true)
                .setKeyCertOptions(new PemKeyCertOptions()
                        .setCertPath(dataDir.resolve("admin.crt").toString())
                        .setKeyPath(dataDir.resolve("admin.key").toString()))
                .setTrustOptions(new PemTrustOptions().addCertPath(dataDir.resolve("ca.crt").toString()))
                .setVerifyHost(false);
    }

    /** A server with the control plane's own certificate, so a baseline pays the same TLS costs. */
    static HttpServerOptions apiServer(Path dataDir) {
        return new HttpServerOptions().setSsl(true)
                .setKeyCertOptions(new PemKeyCertOptions()
                        .setCertPath(dataDir.resolve("apiserver.crt").toString())
                        .setKeyPath(dataDir.resolve("apiserver.key").toString()))
                .setTrustOptions(new PemTrustOptions().addCertPath(dataDir.resolve("ca.crt").toString()))
                .setClientAuth(io.vertx.core.http.ClientAuth.REQUEST);
    }
}
