package io.quarkube.controllers.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.BooleanSupplier;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.quarkube.client.ApiClient;
import io.quarkube.client.Informer;
import io.quarkube.registry.DeleteOptions;
import io.quarkube.testing.Await;
import io.quarkube.testing.ControlPlaneTestResource;
import io.quarkube.testing.Manifests;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;

/**
 * Watches against the real storage: ConfigMaps stand for the reconciled kind and Secrets for what
 * it owns. With one reconcile at a time keys are handed out in the order they were enqueued, and a
 * kind's handlers run in revision order, so "not enqueued" is shown by a later change of the same
 * kind whose key is reconciled while the earlier one's is not.
 */
@QuarkusTest
@QuarkusTestResource(value = ControlPlaneTestResource.class, restrictToAnnotatedClass = false)
class WatchesTest {

    @Inject
    ApiClient api;
    @Inject
    Vertx vertx;

    private String ns;
    private Watches watches;
    /** Keys of the test's namespace, in the order reconciled. */
    private final Queue<String> reconciled = new ConcurrentLinkedQueue<>();
    private volatile Reconciler observer = key -> Uni.createFrom().item(Result.done());

    @BeforeEach
    void namespace() {
        ns = Manifests.namespace("watches");
        watches = new Watches("watches-test", key -> {
            if (ns.equals(key.namespace())) {
                reconciled.add(key.name());
            }
            return observer.reconcile(key);
        }, api, vertx, 1);
    }

    @AfterEach
    void stop() {
        watches.stop();
    }

    @Test
    void informersStartInTheOrderDeclaredAndAllAreSyncedBeforeTheFirstReconcile() {
        ConfigMap owner = create(configMap("owner"));
        create(secret("dependent", owner, true));
        Queue<String> seen = new ConcurrentLinkedQueue<>();

        Informer<Secret> secrets = watches.owns(Secret.class, "ConfigMap");
        Informer<ConfigMap> configMaps = watches.forKind(ConfigMap.class);
        secrets.addHandler(Informer.Handler.onAddOrUpdate(secret -> {
            if (ns.equals(secret.getMetadata().getNamespace())) {
                seen.add("secret added; configmap cached: " + (configMaps.get(ns, "owner") != null));
            }
        }));
        configMaps.addHandler(Informer.Handler.onAddOrUpdate(configMap -> {
            if (ns.equals(configMap.getMetadata().getNamespace()) && configMap.getMetadata().getName().equals("owner")) {
                seen.add("configmap added; secret cached: " + (secrets.get(ns, "dependent") != null));
            }
        }));
        observer = key -> {
            if (ns.equals(key.namespace())) {
                seen.add("reconcile of " + key.name() + "; both cached: "
                        + (secrets.get(ns, "dependent") != null && configMaps.get(ns, "owner") != null));
            }
            return Uni.createFrom().item(Result.done());
        };

        watches.start().await().indefinitely();
        assertTrue(watches.running());
        assertNotNull(secrets.get(ns, "dependent"), "start completes with every informer synced");
        assertNotNull(configMaps.get(ns, "owner"), "start completes with every informer synced");
        // the reconciler counts a key before the observer records it: wait for the record itself
        Await.until("the first reconcile of owner recorded", () -> seen.size() >= 3);
        // later reconciles (a watch may deliver a just-written object again) are not the point here
        assertEquals(List.of("secret added; configmap cached: false", "configmap added; secret cached: true",
                "reconcile of owner; both cached: true"), List.copyOf(seen).subList(0, 3));
    }

    @Test
    void forKindEnqueuesAddsAndUpdatesOfTheObjectItselfButNotDeletes() {
        watches.forKind(ConfigMap.class);
        watches.start().await().indefinitely();

        ConfigMap doomed = create(configMap("doomed"));
        awaitReconciled("doomed", 1);
        doomed.setData(Map.of("changed", "yes"));
        api.update(doomed).await().indefinitely();
        awaitReconciled("doomed", 2);

        api.delete(ConfigMap.class, ns, "doomed", DeleteOptions.DEFAULT).await().indefinitely();
        create(configMap("later"));
        awaitReconciled("later", 1);
        assertEquals(2, count("doomed"), "a delete enqueues nothing");
    }

    @Test
    void forKindWithAConditionEnqueuesOnlyTheObjectsItConcerns() {
        watches.forKind(ConfigMap.class, configMap -> configMap.getData() != null && configMap.getData().containsKey("wanted"));
        watches.start().await().indefinitely();

        create(configMap("ignored"));
        ConfigMap wanted = configMap("wanted");
        wanted.setData(Map.of("wanted", "yes"));
        create(wanted);
        awaitReconciled("wanted", 1);
        assertEquals(0, count("ignored"));
    }

    @Test
    void ownsEnqueuesTheControllingOwnerOfTheKindOnEveryChangeOfADependent() {
        watches.owns(Secret.class, "ConfigMap");
        watches.forKind(ConfigMap.class);
        watches.start().await().indefinitely();
        ConfigMap owner = create(configMap("owner"));
        ConfigMap barrier = create(configMap("barrier"));
        awaitReconciled("owner", 1);
        awaitReconciled("barrier", 1);

        create(secret("controlled", owner, true));
        awaitReconciled("owner", 2);
        api.delete(Secret.class, ns, "controlled", DeleteOptions.DEFAULT).await().indefinitely();
        awaitReconciled("owner", 3);

        // an owner that is not the controller is not told, nor a controller of another kind of the same
        // name; the barrier's later change shows the handler has run for both
        create(secret("merely-owned", owner, false));
        Secret otherKind = secret("controlled-by-a-deployment", owner, true);
        otherKind.getMetadata().getOwnerReferences().get(0).setApiVersion("apps/v1");
        otherKind.getMetadata().getOwnerReferences().get(0).setKind("Deployment");
        create(otherKind);
        create(secret("controlled-by-barrier", barrier, true));
        awaitReconciled("barrier", 2);
        assertEquals(3, count("owner"));
    }

    @Test
    void stopEndsTheRunnerAndTheInformers() {
        Informer<ConfigMap> configMaps = watches.forKind(ConfigMap.class);
        watches.start().await().indefinitely();
        create(configMap("before"));
        awaitReconciled("before", 1);

        watches.stop();
        assertFalse(watches.running());
        Informer<ConfigMap> stillWatching = api.informer(ConfigMap.class, ns);
        stillWatching.start().await().indefinitely();
        try {
            create(configMap("after"));
            Await.until("a running informer sees the new ConfigMap", () -> stillWatching.get(ns, "after") != null);
            assertNull(configMaps.get(ns, "after"), "a stopped informer no longer follows the store");
            assertEquals(0, count("after"));
        } finally {
            stillWatching.stop();
        }
    }

    private ConfigMap configMap(String name) {
        return new ConfigMapBuilder().withNewMetadata().withNamespace(ns).withName(name).endMetadata().build();
    }

    private Secret secret(String name, ConfigMap owner, boolean controller) {
        return new SecretBuilder().withNewMetadata().withNamespace(ns).withName(name)
                .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("v1").withKind("ConfigMap")
                        .withName(owner.getMetadata().getName()).withUid(owner.getMetadata().getUid())
                        .withController(controller).build())
                .endMetadata().build();
    }

    private <T extends io.fabric8.kubernetes.api.model.HasMetadata> T create(T object) {
        return api.create(object).await().indefinitely();
    }

    private long count(String name) {
        return reconciled.stream().filter(name::equals).count();
    }

    private void awaitReconciled(String name, int times) {
        BooleanSupplier reached = () -> count(name) >= times;
        Await.until(name + " reconciled " + times + " times", reached);
    }
}
