package io.quarkube;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkube.json.Json;
import io.quarkube.registry.ResourceCatalog;
import io.quarkube.registry.ResourceService;
import io.quarkube.registry.StatusException;
import io.quarkube.registry.WriteOptions;
import io.quarkube.storage.PgStorage;
import io.quarkube.storage.WatchCache;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/** Brings storage up before the API serves: schema, watch cache, and the namespaces every cluster has. */
@ApplicationScoped
public class ControlPlaneStartup {

    private static final Logger LOG = Logger.getLogger(ControlPlaneStartup.class);
    static final List<String> SYSTEM_NAMESPACES = List.of("default", "kube-system", "kube-public", "kube-node-lease");

    @Inject
    PgStorage pg;
    @Inject
    WatchCache cache;
    @Inject
    ResourceService resources;
    @ConfigProperty(name = "quarkube.kubeconfig", defaultValue = "")
    String kubeconfig;
    @ConfigProperty(name = "quarkus.http.ssl-port", defaultValue = "6443")
    int port;
    @ConfigProperty(name = "quarkus.http.host", defaultValue = "127.0.0.1")
    String host;

    void onStart(@Observes StartupEvent event) {
        pg.createSchema();
        cache.start();
        var namespaces = resources.store(ResourceCatalog.find("", "v1", "namespaces").orElseThrow());
        for (String name : SYSTEM_NAMESPACES) {
            ObjectNode namespace = Json.object().put("apiVersion", "v1").put("kind", "Namespace");
            namespace.putObject("metadata").put("name", name);
            try {
                namespaces.create("", namespace, WriteOptions.DEFAULT).await().indefinitely();
            } catch (StatusException e) {
                if (e.code() != 409) {
                    throw e;
                }
            }
        }
        if (!kubeconfig.isEmpty()) {
            LOG.infof("quarkube is ready at https://%s:%d%n  kubeconfig: %s%n  export KUBECONFIG=%s", host, port, kubeconfig, kubeconfig);
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        cache.stop();
    }
}
