package io.quarkube.controllers.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;

class PodTemplateHashTest {

    private static PodTemplateSpec template(String image, String hashLabel) {
        PodTemplateSpecBuilder builder = new PodTemplateSpecBuilder().withNewMetadata().addToLabels("app", "web").endMetadata()
                .withNewSpec().addNewContainer().withName("web").withImage(image).endContainer().endSpec();
        PodTemplateSpec template = builder.build();
        if (hashLabel != null) {
            template.getMetadata().getLabels().put(PodTemplateHash.LABEL, hashLabel);
        }
        return template;
    }

    @Test
    void equalTemplatesHashAlikeWhateverTheirHashLabel() {
        assertEquals(PodTemplateHash.of(template("busybox:1", null), null), PodTemplateHash.of(template("busybox:1", "abc"), null));
    }

    @Test
    void anotherTemplateOrCollisionCountHashesDifferently() {
        String hash = PodTemplateHash.of(template("busybox:1", null), null);
        assertNotEquals(hash, PodTemplateHash.of(template("busybox:2", null), null));
        assertNotEquals(hash, PodTemplateHash.of(template("busybox:1", null), 1));
    }

    @Test
    void hashesUseOnlyTheSafeAlphabet() {
        assertTrue(PodTemplateHash.of(template("busybox:1", null), null).matches("[bcdfghjklmnpqrstvwxz2456789]+"));
    }
}
