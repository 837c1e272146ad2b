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
import io.quarkube.registry.service.ServicesConfig;
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
    static final List<String> SYSTEM_NAMESPACES = List.of("default", "kube-system", "kube-public", "kube-node-lease");

    @Inject
    PgStorage pg;
    @Inject
    WatchCache cache;
    @Inject
    ResourceService resources;
    @Inject
    ServicesConfig services;
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
        createIfMissing("servicecidrs", "", serviceCidr());
        createIfMissing("services", "default", kubernetesService());
        try {
            createIfMissing("services", "kube-system", kubeDnsService());
        } catch (StatusException e) {
            if (e.code() != 422) {
                throw e;
            }
            // The address is outside the range, or a cluster from before kube-dns existed gave it to a Service of its own.
            LOG.warnf("kube-system/kube-dns not created: %s. Set quarkube.services.cluster-dns-ip to a free address of the "
                    + "service range, and the node agents' quarkube.agent.dns.cluster-ip to the same.", e.getMessage());
        }
    }

    /**
     * Creates the object unless the freshly loaded watch cache already holds it: on a restart that
     * saves a write (and a revision) per object; a create racing another replica still ends in 409.
     */
    private void createIfMissing(String resource, String namespace, ObjectNode object) {
        ResourceType type = ResourceCatalog.find(resource.equals("servicecidrs") ? "networking.k8s.io" : "", "v1", resource).orElseThrow();
        String name = object.path("metadata").path("name").asText();
        if (cache.get(new ObjectKey(type.groupResource(), type.namespaced() ? namespace : "", name)) != null) {
            return;
        }
        try {
            resources.store(type).create(namespace, object, WriteOptions.DEFAULT).await().indefinitely();
        } catch (StatusException e) {
            // 409: another replica created it first; 422 for the kubernetes Service: another replica holds its IP for it
            boolean createdElsewhere = e.code() == 409 || (e.code() == 422 && resources.store(type).get(namespace, name)
                    .onFailure().recoverWithNull().await().indefinitely() != null);
            if (!createdElsewhere) {
                throw e;
            }
        }
    }

    /** The "kubernetes" service through which workloads reach the API, as kube-apiserver keeps it. */
    private ObjectNode kubernetesService() {
        ObjectNode service = Json.object().put("apiVersion", "v1").put("kind", "Service");
        service.putObject("metadata").put("name", "kubernetes").putObject("labels")
                .put("component", "apiserver").put("provider", "kubernetes");
        // the first address of the service CIDR, as kube-apiserver reserves it
        String clusterIp = resources.serviceIpRange().addressAt(0);
        ObjectNode spec = service.putObject("spec").put("clusterIP", clusterIp).put("type", "ClusterIP");
        spec.putArray("ports").addObject().put("name", "https").put("port", 443).put("protocol", "TCP").put("targetPort", port);
        return service;
    }

    /**
     * The "kube-dns" service at the cluster DNS address, as kubeadm installs it: created here so the allocator
     * never hands that address to another Service. No selector: the node agents answer DNS at its address.
     */
    private ObjectNode kubeDnsService() {
        ObjectNode service = Json.object().put("apiVersion", "v1").put("kind", "Service");
        service.putObject("metadata").put("name", "kube-dns").putObject("labels")
                .put("k8s-app", "kube-dns").put("kubernetes.io/cluster-service", "true").put("kubernetes.io/name", "CoreDNS");
        String clusterIp = services.clusterDnsIp().orElseGet(() -> resources.serviceIpRange().addressAt(9));
        ObjectNode spec = service.putObject("spec").put("clusterIP", clusterIp).put("type", "ClusterIP");
        var ports = spec.putArray("ports");
        ports.addObject().put("name", "dns").put("port", 53).put("protocol", "UDP").put("targetPort", 53);
        ports.addObject().put("name", "dns-tcp").put("port", 53).put("protocol", "TCP").put("targetPort", 53);
        return service;
    }

    /** The default ServiceCIDR, "kubernetes", describing the configured range as kube-apiserver 1.33 does. */
    private ObjectNode serviceCidr() {
        ObjectNode cidr = Json.object().put("apiVersion", "networking.k8s.io/v1").put("kind", "ServiceCIDR");
        cidr.putObject("metadata").put("name", "kubernetes");
        cidr.putObject("spec").putArray("cidrs").add(resources.serviceIpRange().cidr());
        return cidr;
    }

    void onStop(@Observes ShutdownEvent event) {
        cache.stop();
    }
}
