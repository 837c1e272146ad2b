package io.quarkube.controllers.daemonset;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.quarkube.json.Json;

/**
 * A DaemonSet's template history as kube keeps it: one ControllerRevision per distinct template,
 * named {@code <daemonset>-<hash>}, labelled with the hash, numbered by revision, holding the
 * patch that restores the template ({@code {"spec":{"template":{..., "$patch":"replace"}}}}),
 * which is what kubectl rollout history and undo read. Pure functions.
 */
final class RevisionHistory {

    static final int DEFAULT_LIMIT = 10;

    private RevisionHistory() {
    }

    /** kube's getPatch: the template that replaces the DaemonSet's when applied as a strategic merge patch. */
    static ObjectNode patchOf(DaemonSet daemonSet) {
        ObjectNode template = normalized(daemonSet.getSpec().getTemplate());
        template.put("$patch", "replace");
        ObjectNode patch = Json.object();
        Json.with(patch, "spec").set("template", template);
        return patch;
    }

    /** True when the revision holds the DaemonSet's current template. */
    static boolean holdsTemplate(ControllerRevision revision, DaemonSet daemonSet) {
        return patchOf(daemonSet).equals(normalized(revision.getData()));
    }

    static ControllerRevision newRevision(DaemonSet daemonSet, String hash, long number) {
        ControllerRevision revision = new ControllerRevision();
        ObjectMeta metadata = new ObjectMeta();
        metadata.setName(daemonSet.getMetadata().getName() + "-" + hash);
        metadata.setNamespace(daemonSet.getMetadata().getNamespace());
        Map<String, String> labels = new HashMap<>();
        var templateLabels = daemonSet.getSpec().getTemplate().getMetadata() == null ? null
                : daemonSet.getSpec().getTemplate().getMetadata().getLabels();
        if (templateLabels != null) {
            labels.putAll(templateLabels);
        }
        labels.put(DaemonPlacement.REVISION_HASH, hash);
        metadata.setLabels(labels);
        metadata.setAnnotations(daemonSet.getMetadata().getAnnotations());
        metadata.setOwnerReferences(List.of(new OwnerReferenceBuilder().withApiVersion("apps/v1").withKind("DaemonSet")
                .withName(daemonSet.getMetadata().getName()).withUid(daemonSet.getMetadata().getUid())
                .withController(true).withBlockOwnerDeletion(true).build()));
        revision.setMetadata(metadata);
        revision.setData(Json.MAPPER.convertValue(patchOf(daemonSet), Map.class));
        revision.setRevision(number);
        return revision;
    }

    static long maxRevision(List<ControllerRevision> revisions) {
        return revisions.stream().mapToLong(r -> Objects.requireNonNullElse(r.getRevision(), 0L)).max().orElse(0);
    }

    static String hashOf(ControllerRevision revision) {
        Map<String, String> labels = revision.getMetadata().getLabels();
        return labels == null ? null : labels.get(DaemonPlacement.REVISION_HASH);
    }

    /**
     * Old revisions to delete beyond the limit, oldest first: never the current one nor one whose
     * hash live pods still carry.
     */
    static List<ControllerRevision> beyondLimit(List<ControllerRevision> revisions, ControllerRevision current, Set<String> hashesInUse,
            int limit) {
        List<ControllerRevision> removable = revisions.stream()
                .filter(r -> !r.getMetadata().getName().equals(current.getMetadata().getName()))
                .filter(r -> !hashesInUse.contains(hashOf(r)))
                .sorted(Comparator.comparingLong(r -> Objects.requireNonNullElse(r.getRevision(), 0L)))
                .toList();
        int excess = removable.size() - Math.max(0, limit);
        return excess <= 0 ? List.of() : removable.subList(0, excess);
    }

    /** The value as the tree its JSON parses to, so that numbers compare equal whatever their Java type. */
    private static ObjectNode normalized(Object value) {
        try {
            JsonNode tree = Json.MAPPER.readTree(Json.bytes(value));
            return tree instanceof ObjectNode object ? object : Json.object();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
