package io.quarkube.api.protobuf;

import java.util.Set;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.FieldDescriptor;

/**
 * Which scalar fields Go's JSON encoding would leave out. The Go protobuf marshaller writes every
 * non-pointer scalar, zero or not, so presence on the wire cannot tell an unset field from a
 * pointer set to its zero value; the JSON form of the same object leaves out the zero values of
 * {@code omitempty} fields. Empty strings and bytes are left out, since nearly every string field is
 * {@code omitempty} and an empty one means unset. Zero numbers and false are kept, since many are
 * pointers whose zero is meaningful ({@code replicas: 0}, {@code automountServiceAccountToken: false}),
 * except for the non-pointer {@code omitempty} fields listed here that common objects carry.
 */
final class GoOmitEmpty {

    /** Pointer strings whose empty value means something different from unset. */
    private static final Set<String> MEANINGFUL_EMPTY_STRINGS = Set.of(
            "k8s.io.api.core.v1.PersistentVolumeClaimSpec.storageClassName");

    /** Non-pointer {@code omitempty} numbers and booleans. */
    private static final Set<String> OMITTED_ZEROES = Set.of(
            "k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta.generation",
            "k8s.io.apimachinery.pkg.apis.meta.v1.ListMeta.remainingItemCount",
            "k8s.io.api.core.v1.Container.stdin",
            "k8s.io.api.core.v1.Container.stdinOnce",
            "k8s.io.api.core.v1.Container.tty",
            "k8s.io.api.core.v1.EphemeralContainerCommon.stdin",
            "k8s.io.api.core.v1.EphemeralContainerCommon.stdinOnce",
            "k8s.io.api.core.v1.EphemeralContainerCommon.tty",
            "k8s.io.api.core.v1.ContainerPort.hostPort",
            "k8s.io.api.core.v1.VolumeMount.readOnly",
            "k8s.io.api.core.v1.PodSpec.hostNetwork",
            "k8s.io.api.core.v1.PodSpec.hostPID",
            "k8s.io.api.core.v1.PodSpec.hostIPC",
            "k8s.io.api.core.v1.ServicePort.nodePort",
            "k8s.io.api.core.v1.ServiceSpec.publishNotReadyAddresses",
            "k8s.io.api.core.v1.ServiceSpec.healthCheckNodePort",
            "k8s.io.api.apps.v1.DeploymentSpec.minReadySeconds",
            "k8s.io.api.apps.v1.DeploymentSpec.paused",
            "k8s.io.api.apps.v1.ReplicaSetSpec.minReadySeconds",
            "k8s.io.api.apps.v1.DaemonSetSpec.minReadySeconds",
            "k8s.io.api.apps.v1.StatefulSetSpec.minReadySeconds",
            "k8s.io.api.authorization.v1.SubjectAccessReviewStatus.denied");

    private GoOmitEmpty() {
    }

    static boolean omits(FieldDescriptor field, Object value) {
        if (value instanceof String text) {
            return text.isEmpty() && !MEANINGFUL_EMPTY_STRINGS.contains(field.getFullName());
        }
        if (value instanceof ByteString bytes) {
            return bytes.isEmpty();
        }
        return isZero(value) && OMITTED_ZEROES.contains(field.getFullName());
    }

    private static boolean isZero(Object value) {
        if (value instanceof Boolean flag) {
            return !flag;
        }
        return value instanceof Number number && number.doubleValue() == 0;
    }
}
