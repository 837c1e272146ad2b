package io.quarkube.agent.services;

import java.util.List;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;

/** Look-ups of Services and their EndpointSlices, as cluster DNS asks them. */
public interface ClusterState {

    /** The Service, or null. */
    Service service(String namespace, String name);

    /** The EndpointSlices labelled {@code kubernetes.io/service-name=NAME} in the namespace. */
    List<EndpointSlice> endpointSlices(String namespace, String serviceName);
}
