package io.quarkube.agent.services;

import java.util.List;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;

/** Every Service and EndpointSlice the node knows of, and a way to hear that they changed: what the service proxy reads. */
public interface ServiceSource {

    List<Service> services();

    List<EndpointSlice> endpointSlices();

    /** listener runs (on the source's thread, briefly) after any change. */
    void onChange(Runnable listener);
}
