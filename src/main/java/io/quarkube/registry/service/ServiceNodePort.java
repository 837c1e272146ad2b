package io.quarkube.registry.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.networking.v1.IPAddressSpec;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * The record that a Service holds a node port: cluster-scoped, named by the port number, with the
 * Service in spec.parentRef (the shape of an IPAddress). Internal to the control plane: stored
 * through the resource service like any object, but not served over the API, as kube-apiserver
 * keeps its node port bitmap out of the API.
 */
@Group("internal.quarkube.io")
@Version("v1")
@Plural("servicenodeports")
@JsonInclude(JsonInclude.Include.NON_NULL)
// plain bean deserialisation: Fabric8's polymorphic deserializer knows only its own kinds
@JsonDeserialize(using = JsonDeserializer.None.class)
public class ServiceNodePort implements HasMetadata {

    public static final String API_VERSION = "internal.quarkube.io/v1";

    private String apiVersion = API_VERSION;
    private String kind = "ServiceNodePort";
    private ObjectMeta metadata;
    private IPAddressSpec spec;

    @Override
    public String getApiVersion() {
        return apiVersion;
    }

    @Override
    public void setApiVersion(String apiVersion) {
        this.apiVersion = apiVersion;
    }

    @Override
    public String getKind() {
        return kind;
    }

    public void setKind(String kind) {
        this.kind = kind;
    }

    @Override
    public ObjectMeta getMetadata() {
        return metadata;
    }

    @Override
    public void setMetadata(ObjectMeta metadata) {
        this.metadata = metadata;
    }

    public IPAddressSpec getSpec() {
        return spec;
    }

    public void setSpec(IPAddressSpec spec) {
        this.spec = spec;
    }
}
