package io.quarkube.testing;

import java.nio.file.Path;

import io.quarkube.security.ClusterCertificates;
import io.restassured.RestAssured;
import io.restassured.builder.RequestSpecBuilder;
import io.restassured.config.SSLConfig;
import io.restassured.specification.RequestSpecification;

/**
 * Where the control plane under test listens and how to reach it: HTTPS with the admin client
 * certificate, as kubectl does.
 */
public final class TestCluster {

    private static Path dataDir;
    private static int port;

    private TestCluster() {
    }

    static void configure(Path dir, int tlsPort) {
        dataDir = dir;
        port = tlsPort;
    }

    public static Path dataDir() {
        return dataDir;
    }

    public static int port() {
        return port;
    }

    public static String url() {
        return "https://127.0.0.1:" + port;
    }

    public static Path kubeconfig() {
        return dataDir.resolve("admin.kubeconfig");
    }

    /** RestAssured authenticated as the cluster admin. */
    public static RequestSpecification admin() {
        Path pki = dataDir;
        SSLConfig ssl = SSLConfig.sslConfig()
                .keyStore(pki.resolve("admin.p12").toString(), ClusterCertificates.KEYSTORE_PASSWORD).keystoreType("PKCS12")
                .trustStore(pki.resolve("ca.p12").toString(), ClusterCertificates.KEYSTORE_PASSWORD).trustStoreType("PKCS12");
        return RestAssured.given(new RequestSpecBuilder().setBaseUri(url()).build())
                .config(RestAssured.config().sslConfig(ssl));
    }

    /** RestAssured with no client certificate (anonymous), trusting the cluster CA. */
    public static RequestSpecification anonymous() {
        SSLConfig ssl = SSLConfig.sslConfig()
                .trustStore(dataDir.resolve("ca.p12").toString(), ClusterCertificates.KEYSTORE_PASSWORD).trustStoreType("PKCS12");
        return RestAssured.given(new RequestSpecBuilder().setBaseUri(url()).build())
                .config(RestAssured.config().sslConfig(ssl));
    }
}
