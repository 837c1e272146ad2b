package io.quarkube.controllers.garbagecollector;

import static io.quarkube.testing.TestCluster.admin;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.quarkube.testing.Await;
import io.quarkube.testing.ControlPlaneTestResource;
import io.quarkube.testing.Manifests;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** Deleting owners with each propagation policy, through the API, with the garbage collector running. */
@QuarkusTest
@QuarkusTestResource(value = ControlPlaneTestResource.class, restrictToAnnotatedClass = false)
class GarbageCollectorTest {

    private static String ns;

    @BeforeAll
    static void namespace() {
        ns = Manifests.namespace("gc");
    }

    private static String configMaps() {
        return "/api/v1/namespaces/" + ns + "/configmaps";
    }

    /** Creates a ConfigMap owned by the given owners (name:uid pairs) and returns its uid. */
    private static String configMap(String name, String extraMetadata, String... owners) {
        StringBuilder references = new StringBuilder();
        for (String owner : owners) {
            String[] nameAndUid = owner.split(":");
            boolean block = nameAndUid.length > 2;
            references.append(references.isEmpty() ? "" : ",").append("""
                    {"apiVersion":"v1","kind":"ConfigMap","name":"%s","uid":"%s"%s}""".formatted(nameAndUid[0], nameAndUid[1],
                    block ? ",\"blockOwnerDeletion\":true" : ""));
        }
        String body = """
                {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"%s","ownerReferences":[%s]%s},"data":{"k":"v"}}"""
                .formatted(name, references, extraMetadata);
        return admin().contentType(ContentType.JSON).body(body).post(configMaps()).then().statusCode(201)
                .extract().path("metadata.uid");
    }

    private static void deleteWith(String name, String policy) {
        admin().contentType(ContentType.JSON).body("{\"propagationPolicy\":\"" + policy + "\"}")
                .delete(configMaps() + "/" + name).then().statusCode(200);
    }

    @Test
    void backgroundDeletionCollectsTheDependentsAfterTheOwnerIsGone() {
        String owner = configMap("bg-owner", "");
        configMap("bg-dependent-1", "", "bg-owner:" + owner);
        configMap("bg-dependent-2", "", "bg-owner:" + owner);
        deleteWith("bg-owner", "Background");
        admin().get(configMaps() + "/bg-owner").then().statusCode(404);
        awaitGone("bg-dependent-1");
        awaitGone("bg-dependent-2");
    }

    @Test
    void anObjectWhoseOwnerNeverExistedIsCollected() {
        configMap("orphaned-from-birth", "", "never-created:7c1b2ad4-4f0e-4bd4-9c1e-0f4a54b9a000");
        awaitGone("orphaned-from-birth");
    }

    @Test
    void orphanDeletionKeepsTheDependentsWithoutTheOwnerReference() {
        String owner = configMap("orphan-owner", "");
        configMap("orphan-dependent", "", "orphan-owner:" + owner);
        admin().contentType(ContentType.JSON).body("{\"propagationPolicy\":\"Orphan\"}").delete(configMaps() + "/orphan-owner")
                .then().statusCode(200).body("metadata.finalizers", hasItem("orphan")).body("metadata.deletionTimestamp", notNullValue());
        awaitGone("orphan-owner");
        admin().get(configMaps() + "/orphan-dependent").then().statusCode(200);
        assertNull(admin().get(configMaps() + "/orphan-dependent").path("metadata.ownerReferences"));
    }

    @Test
    void foregroundDeletionWaitsForBlockingDependents() {
        String owner = configMap("fg-owner", "");
        // the dependent holds a finalizer of its own, so it lingers as deleting until the test releases it
        configMap("fg-dependent", ",\"finalizers\":[\"example.com/hold\"]", "fg-owner:" + owner + ":block");
        admin().contentType(ContentType.JSON).body("{\"propagationPolicy\":\"Foreground\"}").delete(configMaps() + "/fg-owner")
                .then().statusCode(200).body("metadata.finalizers", hasItem("foregroundDeletion"));

        Await.until("the dependent marked for deletion",
                () -> admin().get(configMaps() + "/fg-dependent").path("metadata.deletionTimestamp") != null);
        admin().get(configMaps() + "/fg-owner").then().statusCode(200).body("metadata.deletionTimestamp", notNullValue());

        admin().contentType("application/merge-patch+json").body("{\"metadata\":{\"finalizers\":null}}")
                .patch(configMaps() + "/fg-dependent").then().statusCode(200);
        awaitGone("fg-dependent");
        awaitGone("fg-owner");
    }

    @Test
    void aDependentWithAnotherLiveOwnerLosesOnlyTheReferenceToTheDeletedOne() {
        String first = configMap("two-owners-a", "");
        String second = configMap("two-owners-b", "");
        configMap("two-owners-dependent", "", "two-owners-a:" + first, "two-owners-b:" + second);
        deleteWith("two-owners-a", "Background");
        Await.until("the reference to the deleted owner dropped", () -> {
            List<String> owners = admin().get(configMaps() + "/two-owners-dependent").path("metadata.ownerReferences.name");
            return owners != null && owners.equals(List.of("two-owners-b"));
        });
    }

    private static void awaitGone(String name) {
        Await.until(name + " deleted", () -> admin().get(configMaps() + "/" + name).statusCode() == 404);
    }

}
