package io.quarkube.controllers.serviceaccount;

import static io.quarkube.testing.TestCluster.admin;


import org.junit.jupiter.api.Test;

import io.quarkube.testing.Await;
import io.quarkube.testing.ControlPlaneTestResource;
import io.quarkube.testing.Manifests;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Every namespace gets a default ServiceAccount, and gets it back when it is deleted. */
@QuarkusTest
@QuarkusTestResource(value = ControlPlaneTestResource.class, restrictToAnnotatedClass = false)
class ServiceAccountControllerTest {


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
        Await.until("a new default service account", () -> {
            var response = admin().get(account);
            return response.statusCode() == 200 && !uid.equals(response.path("metadata.uid"));
        });
    }

    private static void awaitStatus(String path, int status) {
        Await.until(path + " answering " + status, () -> admin().get(path).statusCode() == status);
    }

}
