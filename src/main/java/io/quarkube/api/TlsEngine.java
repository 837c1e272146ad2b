package io.quarkube.api;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.vertx.http.HttpServerOptionsCustomizer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.JdkSSLEngineOptions;

/**
 * TLS record buffers of the API server from Netty's pool. By default Vert.x gives the JDK's TLS
 * engine a fresh heap buffer of a full record (about 17 KB) for every write it encrypts: with 100
 * watches that was four fifths of the control plane's allocation, a young collection every 2.7 s.
 */
@ApplicationScoped
public class TlsEngine implements HttpServerOptionsCustomizer {

    @Override
    public void customizeHttpsServer(HttpServerOptions options) {
        options.setSslEngineOptions(new JdkSSLEngineOptions().setPooledHeapBuffers(true));
    }
}
