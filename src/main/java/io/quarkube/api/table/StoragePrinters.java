package io.quarkube.api.table;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/** Persistent volumes and their claims. */
final class StoragePrinters {

    /** The beta annotation still wins over {@code spec.storageClassName}, as in kube-apiserver. */
    private static final String STORAGE_CLASS_ANNOTATION = "volume.beta.kubernetes.io/storage-class";

    /** Access modes in the order and abbreviations kubectl prints them. */
    private static final Map<String, String> ACCESS_MODES = accessModes();

    private StoragePrinters() {
    }

    private static Map<String, String> accessModes() {
        Map<String, String> modes = new LinkedHashMap<>();
        modes.put("ReadWriteOnce", "RWO");
        modes.put("ReadOnlyMany", "ROX");
        modes.put("ReadWriteMany", "RWX");
        modes.put("ReadWriteOncePod", "RWOP");
        return modes;
    }

    static void registerAll(PrinterRegistry registry) {
        registry.register("", "PersistentVolume", TablePrinter.of(List.of(
                Column.objectName(),
                Column.string("Capacity", "capacity is the description of the persistent volume's resources and "
                        + "capacity."),
                Column.string("Access Modes", "accessModes contains all ways the volume can be mounted."),
                Column.string("Reclaim Policy", "persistentVolumeReclaimPolicy defines what happens to a persistent "
                        + "volume when released from its claim."),
                Column.string("Status", "phase indicates if a volume is available, bound to a claim, or released by "
                        + "a claim."),
                Column.string("Claim", "claimRef is part of a bi-directional binding between PersistentVolume and "
                        + "PersistentVolumeClaim."),
                Column.string("StorageClass", "StorageClass of the pv"),
                Column.string("VolumeAttributesClass", "VolumeAttributesClass of the pv"),
                Column.string("Reason", "reason is a brief CamelCase string that describes any failure and is meant "
                        + "for machine parsing and tidy display in the CLI."),
                Column.age(),
                Column.string("VolumeMode", "volumeMode defines if a volume is intended to be used with a formatted "
                        + "filesystem or to remain in raw block state.").wide()),
                StoragePrinters::persistentVolume));
        registry.register("", "PersistentVolumeClaim", TablePrinter.of(List.of(
                Column.objectName(),
                Column.string("Status", "phase represents the current phase of PersistentVolumeClaim."),
                Column.string("Volume", "volumeName is the binding reference to the PersistentVolume backing this "
                        + "claim."),
                Column.string("Capacity", "capacity represents the actual resources of the underlying volume."),
                Column.string("Access Modes", "accessModes contains the actual access modes the volume backing the "
                        + "PVC has."),
                Column.string("StorageClass", "StorageClass of the pvc"),
                Column.string("VolumeAttributesClass", "VolumeAttributesClass of the pvc"),
                Column.age(),
                Column.string("VolumeMode", "volumeMode defines what type of volume is required by the claim.")
                        .wide()),
                StoragePrinters::persistentVolumeClaim));
    }

    private static List<Object> persistentVolume(JsonNode volume, Instant now) {
        JsonNode spec = volume.path("spec");
        JsonNode claim = spec.path("claimRef");
        return List.of(
                Cells.name(volume),
                Cells.text(spec.at("/capacity/storage"), "0"),
                accessModes(spec.path("accessModes")),
                spec.path("persistentVolumeReclaimPolicy").asText(),
                phase(volume),
                claim.isObject() ? claim.path("namespace").asText() + "/" + claim.path("name").asText() : "",
                storageClass(volume),
                Cells.text(spec.path("volumeAttributesClassName"), Cells.UNSET),
                volume.at("/status/reason").asText(),
                Times.age(volume, now),
                Cells.text(spec.path("volumeMode"), Cells.UNSET));
    }

    private static List<Object> persistentVolumeClaim(JsonNode claim, Instant now) {
        JsonNode spec = claim.path("spec");
        boolean bound = !spec.path("volumeName").asText().isEmpty();
        return List.of(
                Cells.name(claim),
                phase(claim),
                spec.path("volumeName").asText(),
                bound ? Cells.text(claim.at("/status/capacity/storage"), "0") : "",
                bound ? accessModes(claim.at("/status/accessModes")) : "",
                storageClass(claim),
                Cells.text(spec.path("volumeAttributesClassName"), Cells.UNSET),
                Times.age(claim, now),
                Cells.text(spec.path("volumeMode"), Cells.UNSET));
    }

    private static String phase(JsonNode object) {
        return Times.parse(object.at("/metadata/deletionTimestamp")).isPresent()
                ? "Terminating"
                : object.at("/status/phase").asText();
    }

    private static String storageClass(JsonNode object) {
        JsonNode annotation = object.at("/metadata/annotations").path(STORAGE_CLASS_ANNOTATION);
        return annotation.isTextual() ? annotation.asText() : object.at("/spec/storageClassName").asText();
    }

    /** "RWO,RWX": each mode once, in a fixed order. */
    static String accessModes(JsonNode modes) {
        List<String> present = new ArrayList<>();
        modes.forEach(mode -> present.add(mode.asText()));
        List<String> abbreviations = new ArrayList<>();
        ACCESS_MODES.forEach((mode, abbreviation) -> {
            if (present.contains(mode)) {
                abbreviations.add(abbreviation);
            }
        });
        return String.join(",", abbreviations);
    }
}
