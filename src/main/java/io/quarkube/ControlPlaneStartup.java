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
import io.quarkube.registry.ResourceType;
import io.quarkube.registry.StatusException;
import io.quarkube.registry.WriteOptions;
import io.quarkube.storage.ObjectKey;
import io.quarkube.storage.PgStorage;
import io.quarkube.storage.WatchCache;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.quarkus.runtime.StartupEvent;

/** Brings storage up before the API serves: schema, watch cache, and the namespaces every cluster has. */
@ApplicationScoped
public class ControlPlaneStartup {

    private static final Logger LOG = Logger.getLogger(ControlPlaneStartup.class);
    /** The first address of the service network (10.96.0.0/12), reserved for the API service. */
    static final String KUBERNETES_SERVICE_IP = "10.96.0.1";
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
        // No quarkube pipeline relies on thread-local context (no request-scoped beans, no
        // transactions spanning callbacks), yet context propagation wraps every Mutiny callback to
        // capture and restore it: about a tenth of the control plane's CPU per request.
        Infrastructure.clearInterceptors();
        pg.createSchema();
        cache.start();
        createSystemObjects();
        if (!kubeconfig.isEmpty()) {
            LOG.infof("quarkube is ready at https://%s:%d%n  kubeconfig: %s%n  export KUBECONFIG=%s", host, port, kubeconfig, kubeconfig);
        }
    }

    /** The namespaces every cluster has and the kubernetes service with its endpoints. */
    void createSystemObjects() {
        for (String name : SYSTEM_NAMESPACES) {
            ObjectNode namespace = Json.object().put("apiVersion", "v1").put("kind", "Namespace");
            namespace.putObject("metadata").put("name", name);
            createIfMissing("namespaces", "", namespace);
        }
        createIfMissing("services", "default", kubernetesService());
        createIfMissing("endpoints", "default", kubernetesEndpoints());
    }

    /**
     * Creates the object unless the freshly loaded watch cache already holds it: on a restart that
     * saves a write (and a revision) per object; a create racing another replica still ends in 409.
     */
    private void createIfMissing(String resource, String namespace, ObjectNode object) {
        ResourceType type = ResourceCatalog.find("", "v1", resource).orElseThrow();
        String name = object.path("metadata").path("name").asText();
        if (cache.get(new ObjectKey(type.groupResource(), type.namespaced() ? namespace : "", name)) != null) {
            return;
        }
        try {
            resources.store(type).create(namespace, object, WriteOptions.DEFAULT).await().indefinitely();
        } catch (StatusException e) {
            if (e.code() != 409) {
                throw e;
            }
        }
    }

    /** The "kubernetes" service through which workloads reach the API, as kube-apiserver keeps it. */
    private ObjectNode kubernetesService() {
        ObjectNode service = Json.object().put("apiVersion", "v1").put("kind", "Service");
        service.putObject("metadata").put("name", "kubernetes").putObject("labels")
                .put("component", "apiserver").put("provider", "kubernetes");
        ObjectNode spec = service.putObject("spec").put("clusterIP", KUBERNETES_SERVICE_IP).put("type", "ClusterIP");
        spec.putArray("ports").addObject().put("name", "https").put("port", 443).put("protocol", "TCP").put("targetPort", port);
        return service;
    }

    private ObjectNode kubernetesEndpoints() {
        ObjectNode endpoints = Json.object().put("apiVersion", "v1").put("kind", "Endpoints");
        endpoints.putObject("metadata").put("name", "kubernetes").putObject("labels")
                .put("endpointslice.kubernetes.io/skip-mirror", "true");
        ObjectNode subset = endpoints.putArray("subsets").addObject();
        subset.putArray("addresses").addObject().put("ip", advertisedAddress());
        subset.putArray("ports").addObject().put("name", "https").put("port", port).put("protocol", "TCP");
        return endpoints;
    }

    /** The bind address when it is one concrete IP, else loopback (a wildcard or a host name). */
    private String advertisedAddress() {
        boolean literal = host.matches("[0-9.]+") || host.contains(":");
        return literal && !"0.0.0.0".equals(host) && !"::".equals(host) ? host : "127.0.0.1";
    }

    void onStop(@Observes ShutdownEvent event) {
        cache.stop();
    }
}
