package io.quarkube.api.protobuf;

import java.util.Map;
import java.util.Optional;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;

import io.kubernetes.client.proto.Meta;
import io.kubernetes.client.proto.V1;
import io.kubernetes.client.proto.V1Apps;
import io.kubernetes.client.proto.V1Authentication;
import io.kubernetes.client.proto.V1Authorization;
import io.kubernetes.client.proto.V1Autoscaling;
import io.kubernetes.client.proto.V1Batch;
import io.kubernetes.client.proto.V1Coordination;
import io.kubernetes.client.proto.V1Discovery;
import io.kubernetes.client.proto.V1Events;
import io.kubernetes.client.proto.V1Networking;
import io.kubernetes.client.proto.V1Policy;
import io.kubernetes.client.proto.V1Rbac;
import io.kubernetes.client.proto.V1beta1Policy;
import io.kubernetes.client.proto.V2Autoscaling;

/**
 * Finds the protobuf message of an apiVersion and kind. Each group version is one generated.proto
 * file of k8s.io/api, and each kind is the message of the same name in it.
 */
final class ProtobufKinds {

    private static final String OBJECT_META = "k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta";

    private static final Map<String, FileDescriptor> FILES_BY_API_VERSION = Map.ofEntries(
            Map.entry("v1", V1.getDescriptor()),
            Map.entry("apps/v1", V1Apps.getDescriptor()),
            Map.entry("batch/v1", V1Batch.getDescriptor()),
            Map.entry("coordination.k8s.io/v1", V1Coordination.getDescriptor()),
            Map.entry("discovery.k8s.io/v1", V1Discovery.getDescriptor()),
            Map.entry("events.k8s.io/v1", V1Events.getDescriptor()),
            Map.entry("networking.k8s.io/v1", V1Networking.getDescriptor()),
            Map.entry("rbac.authorization.k8s.io/v1", V1Rbac.getDescriptor()),
            Map.entry("policy/v1", V1Policy.getDescriptor()),
            // Eviction bodies only: kube-apiserver still accepts policy/v1beta1 Evictions
            Map.entry("policy/v1beta1", V1beta1Policy.getDescriptor()),
            Map.entry("autoscaling/v1", V1Autoscaling.getDescriptor()),
            Map.entry("autoscaling/v2", V2Autoscaling.getDescriptor()),
            Map.entry("authorization.k8s.io/v1", V1Authorization.getDescriptor()),
            Map.entry("authentication.k8s.io/v1", V1Authentication.getDescriptor()));

    private ProtobufKinds() {
    }

    /**
     * The message of an object kind, or of DeleteOptions. Only messages with an ObjectMeta
     * {@code metadata} count as kinds, so that a body naming a nested type such as "PodSpec" is refused.
     */
    static Optional<Descriptor> find(String apiVersion, String kind) {
        // options kinds belong to every group version (client-go's typed clients send DELETE
        // bodies as DeleteOptions of their own group version), and have no ObjectMeta
        if (kind.equals("DeleteOptions") && FILES_BY_API_VERSION.containsKey(apiVersion)) {
            return Optional.of(Meta.DeleteOptions.getDescriptor());
        }
        return Optional.ofNullable(FILES_BY_API_VERSION.get(apiVersion))
                .map(file -> file.findMessageTypeByName(kind))
                .filter(ProtobufKinds::hasObjectMeta);
    }

    private static boolean hasObjectMeta(Descriptor message) {
        FieldDescriptor metadata = message.findFieldByName("metadata");
        return metadata != null && metadata.getType() == FieldDescriptor.Type.MESSAGE
                && metadata.getMessageType().getFullName().equals(OBJECT_META);
    }
}
