package io.quarkube;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.quarkube.storage.PgStorage;
import io.quarkube.testing.ControlPlaneTestResource;
import io.quarkube.testing.TestCluster;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@QuarkusTestResource(value = ControlPlaneTestResource.class, restrictToAnnotatedClass = false)
class ControlPlaneStartupTest {

    @Inject
    ControlPlaneStartup startup;
    @Inject
    PgStorage pg;

    @ParameterizedTest
    @ValueSource(strings = {
            "/api/v1/namespaces/default", "/api/v1/namespaces/kube-system", "/api/v1/namespaces/kube-public",
            "/api/v1/namespaces/kube-node-lease", "/api/v1/namespaces/default/services/kubernetes",
            "/api/v1/namespaces/default/endpoints/kubernetes"})
    void systemObjectsExistAfterStart(String path) {
        TestCluster.admin().get(path).then().statusCode(200);
    }

    @Test
    void creatingTheSystemObjectsAgainWritesNothing() {
        long before = pg.committedRevision().await().indefinitely();

        startup.createSystemObjects();

        // A create that fails with AlreadyExists still takes a revision: none may be taken.
        assertEquals(before, pg.committedRevision().await().indefinitely());
    }
}
