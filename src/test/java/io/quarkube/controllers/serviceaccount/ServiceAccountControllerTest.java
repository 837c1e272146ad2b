package io.quarkube.controllers.serviceaccount;

import static io.quarkube.testing.TestCluster.admin;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.quarkube.testing.ControlPlaneTestResource;
import io.quarkube.testing.Manifests;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Every namespace gets a default ServiceAccount, and gets it back when it is deleted. */
@QuarkusTest
@QuarkusTestResource(value = ControlPlaneTestResource.class, restrictToAnnotatedClass = false)
class ServiceAccountControllerTest {

    private static final Duration DEADLINE = Duration.ofSeconds(20);

    @Test
    void theSystemNamespacesHaveTheirDefaultServiceAccount() {
        for (String ns : new String[] {"default", "kube-system", "kube-public", "kube-node-lease"}) {
            awaitStatus("/api/v1/namespaces/" + ns + "/serviceaccounts/default", 200);
        }
    }

    @Test
    void aNewNamespaceGetsADefaultServiceAccountThatComesBackWhenDeleted() {
        String ns = Manifests.namespace("sa");
        String account = "/api/v1/namespaces/" + ns + "/serviceaccounts/default";
        awaitStatus(account, 200);
        String uid = admin().get(account).then().extract().path("metadata.uid");

        admin().delete(account).then().statusCode(200);
        awaitCondition(() -> {
            var response = admin().get(account);
            return response.statusCode() == 200 && !uid.equals(response.path("metadata.uid"));
        }, "a new default service account");
    }

    private static void awaitStatus(String path, int status) {
        awaitCondition(() -> admin().get(path).statusCode() == status, path + " answering " + status);
    }

    private static void awaitCondition(java.util.function.BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting for " + what);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted");
            }
        }
    }
}
