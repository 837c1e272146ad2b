package io.quarkube.api;

import java.util.List;

import io.quarkube.api.streaming.PodStreamingRoutes;
import io.quarkube.registry.ResourceCatalog;
import io.quarkube.registry.ResourceType;
import io.quarkube.registry.StatusException;

/**
 * A parsed resource URL: {@code /api/v1/[namespaces/NS/]RESOURCE[/NAME[/SUBRESOURCE]]} or the same
 * under {@code /apis/GROUP/VERSION}.
 */
record ApiPath(ResourceType type, String namespace, String name, String subresource) {

    /** Parses the segments after the group/version; 404 for resources quarkube does not serve. */
    static ApiPath parse(String group, String version, List<String> segments) {
        String namespace = "";
        List<String> rest = segments;
        if (rest.size() >= 3 && rest.get(0).equals("namespaces") && !List.of("status", "finalize").contains(rest.get(2))) {
            namespace = rest.get(1);
            rest = rest.subList(2, rest.size());
        }
        if (rest.isEmpty() || rest.size() > 3) {
            throw StatusException.notFound("the server could not find the requested resource");
        }
        String plural = rest.get(0);
        ResourceType type = ResourceCatalog.find(group, version, plural)
                .orElseThrow(() -> StatusException.notFound("the server could not find the requested resource"));
        String name = rest.size() > 1 ? rest.get(1) : "";
        String subresource = rest.size() > 2 ? rest.get(2) : "";
        // log, exec, attach and portforward are served by PodStreamingRoutes, at namespaced paths only
        if (!subresource.isEmpty() && (!type.hasSubresource(subresource) || PodStreamingRoutes.SUBRESOURCES.contains(subresource))) {
            throw StatusException.notFound("the server could not find the requested resource");
        }
        if (!namespace.isEmpty() && !type.namespaced()) {
            throw StatusException.notFound("the server could not find the requested resource");
        }
        return new ApiPath(type, namespace, name, subresource);
    }

    boolean isCollection() {
        return name.isEmpty();
    }
}
