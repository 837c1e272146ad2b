package io.quarkube.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.vertx.VertxHttpClientFactory;
import io.quarkube.testing.ControlPlaneTestResource;
import io.quarkube.testing.TestCluster;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The Fabric8 kubernetes-client (Vert.x HTTP client), configured from the admin kubeconfig. */
@QuarkusTest
@QuarkusTestResource(value = ControlPlaneTestResource.class, restrictToAnnotatedClass = false)
class Fabric8ClientTest {

    private static final String NAMESPACE = "fabric8-client";
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    private static KubernetesClient client;

    @BeforeAll
    static void connect() throws IOException {
        Config config = Config.fromKubeconfig(Files.readString(TestCluster.kubeconfig()));
        client = new KubernetesClientBuilder().withConfig(config).withHttpClientFactory(new VertxHttpClientFactory()).build();
        if (client.namespaces().withName(NAMESPACE).get() == null) {
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build()).create();
        }
    }

    @AfterAll
    static void disconnect() {
        if (client != null) {
            client.close();
        }
    }

    @Test
    void createReadUpdateDelete() {
        var configMaps = client.configMaps().inNamespace(NAMESPACE);
        ConfigMap created = configMaps.resource(configMap("crud", Map.of("step", "created"))).create();
        assertNotEquals(null, created.getMetadata().getUid());

        ConfigMap read = configMaps.withName("crud").get();
        assertEquals("created", read.getData().get("step"));
        assertEquals(created.getMetadata().getResourceVersion(), read.getMetadata().getResourceVersion());
        assertTrue(configMaps.withLabel("suite", "fabric8").list().getItems().stream()
                .anyMatch(item -> item.getMetadata().getName().equals("crud")));

        ConfigMap edited = configMaps.withName("crud").edit(cm -> new ConfigMapBuilder(cm).addToData("step", "edited").build());
        assertEquals("edited", edited.getData().get("step"));

        // An update carrying the old resourceVersion loses to the edit: 409 Conflict.
        KubernetesClientException conflict = assertThrows(KubernetesClientException.class,
                () -> configMaps.resource(new ConfigMapBuilder(read).addToData("step", "stale").build()).update());
        assertEquals(409, conflict.getCode());

        assertEquals(1, configMaps.withName("crud").delete().size());
        assertNull(configMaps.withName("crud").get());
    }

    @Test
    void informerSeesAddUpdateAndDeleteInOrder() throws Exception {
        BlockingQueue<String> events = new LinkedBlockingQueue<>();
        var configMaps = client.configMaps().inNamespace(NAMESPACE).withLabel("informed", "yes");
        try (SharedIndexInformer<ConfigMap> informer = configMaps.runnableInformer(0)) {
            informer.addEventHandler(recorder(events));
            informer.start().toCompletableFuture().get(DEADLINE.toSeconds(), TimeUnit.SECONDS);

            ConfigMap watched = new ConfigMapBuilder(configMap("informed", Map.of("step", "one")))
                    .editMetadata().addToLabels("informed", "yes").endMetadata().build();
            client.configMaps().inNamespace(NAMESPACE).resource(watched).create();
            client.configMaps().inNamespace(NAMESPACE).withName("informed")
                    .edit(cm -> new ConfigMapBuilder(cm).addToData("step", "two").build());
            client.configMaps().inNamespace(NAMESPACE).withName("informed").delete();

            assertEquals(List.of("ADD informed one", "UPDATE informed two", "DELETE informed two"), take(events, 3));
            assertTrue(informer.getStore().list().isEmpty(), "the informer's cache ends empty");
        }
    }

    private static ResourceEventHandler<ConfigMap> recorder(BlockingQueue<String> events) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(ConfigMap obj) {
                events.add("ADD " + describe(obj));
            }

            @Override
            public void onUpdate(ConfigMap oldObj, ConfigMap newObj) {
                events.add("UPDATE " + describe(newObj));
            }

            @Override
            public void onDelete(ConfigMap obj, boolean deletedFinalStateUnknown) {
                events.add("DELETE " + describe(obj));
            }
        };
    }

    private static String describe(ConfigMap configMap) {
        return configMap.getMetadata().getName() + " " + configMap.getData().get("step");
    }

    private static List<String> take(BlockingQueue<String> events, int count) throws InterruptedException {
        List<String> taken = new ArrayList<>();
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (taken.size() < count) {
            String event = events.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (event == null) {
                fail("only " + taken + " within " + DEADLINE);
            }
            taken.add(event);
        }
        return taken;
    }

    private static ConfigMap configMap(String name, Map<String, String> data) {
        return new ConfigMapBuilder().withNewMetadata().withName(name).withNamespace(NAMESPACE).addToLabels("suite", "fabric8")
                .endMetadata().withData(data).build();
    }
}
