package io.quarkube.api;

import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkube.json.Json;
import io.quarkube.registry.ResourceCatalog;
import io.quarkube.registry.ResourceType;

/** The discovery documents: legacy (APIVersions, APIGroupList, APIResourceList) and aggregated (v2, v2beta1). */
final class Discovery {

    static final String AGGREGATED_V2 = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";
    static final String AGGREGATED_V2BETA1 = "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList";

    private Discovery() {
    }

    static ObjectNode coreVersions(String serverAddress) {
        ObjectNode versions = Json.object().put("kind", "APIVersions");
        versions.putArray("versions").add("v1");
        versions.putArray("serverAddressByClientCIDRs").addObject().put("clientCIDR", "0.0.0.0/0").put("serverAddress", serverAddress);
        return versions;
    }

    /** The named groups served: the catalog's, then those of the reviews (which store nothing). */
    static List<String> groups() {
        return Stream.concat(ResourceCatalog.groups().stream(), ReviewRoutes.ALL.stream().map(ReviewRoutes.Review::group))
                .distinct().toList();
    }

    /** The versions served for a group, preferred first. */
    static List<String> versions(String group) {
        return Stream.concat(ResourceCatalog.versions(group).stream(),
                ReviewRoutes.ALL.stream().filter(r -> r.group().equals(group)).map(ReviewRoutes.Review::version)).distinct().toList();
    }

    private static List<ReviewRoutes.Review> reviews(String group, String version) {
        return ReviewRoutes.ALL.stream().filter(r -> r.group().equals(group) && r.version().equals(version)).toList();
    }

    static ObjectNode groupList() {
        ObjectNode list = Json.object().put("kind", "APIGroupList").put("apiVersion", "v1");
        ArrayNode groups = list.putArray("groups");
        for (String group : groups()) {
            groups.add(group(group));
        }
        return list;
    }

    static ObjectNode group(String group) {
        ObjectNode node = Json.object().put("kind", "APIGroup").put("apiVersion", "v1").put("name", group);
        ArrayNode versions = node.putArray("versions");
        List<String> served = versions(group);
        for (String version : served) {
            versions.addObject().put("groupVersion", group + "/" + version).put("version", version);
        }
        node.putObject("preferredVersion").put("groupVersion", group + "/" + served.get(0)).put("version", served.get(0));
        return node;
    }

    static ObjectNode resourceList(String group, String version) {
        String groupVersion = group.isEmpty() ? version : group + "/" + version;
        ObjectNode list = Json.object().put("kind", "APIResourceList").put("apiVersion", "v1").put("groupVersion", groupVersion);
        ArrayNode resources = list.putArray("resources");
        for (ResourceType type : ResourceCatalog.all()) {
            if (!type.apiVersion().equals(groupVersion)) {
                continue;
            }
            ObjectNode resource = resources.addObject().put("name", type.plural()).put("singularName", type.singular())
                    .put("namespaced", type.namespaced()).put("kind", type.kind());
            strings(resource.putArray("verbs"), ResourceType.VERBS);
            if (!type.shortNames().isEmpty()) {
                strings(resource.putArray("shortNames"), type.shortNames());
            }
            if (!type.categories().isEmpty()) {
                strings(resource.putArray("categories"), type.categories());
            }
            for (String sub : type.subresources()) {
                SubresourceKind kind = subresourceKind(type, sub);
                ObjectNode subresource = resources.addObject().put("name", type.plural() + "/" + sub).put("singularName", "")
                        .put("namespaced", type.namespaced()).put("kind", kind.kind());
                if (!kind.group().equals(type.group()) || !kind.version().equals(type.version())) {
                    // kubectl finds the group version of an Eviction (drain) or Scale here
                    subresource.put("group", kind.group()).put("version", kind.version());
                }
                strings(subresource.putArray("verbs"), subresourceVerbs(sub));
            }
        }
        for (ReviewRoutes.Review review : reviews(group, version)) {
            ObjectNode resource = resources.addObject().put("name", review.plural()).put("singularName", review.kind().toLowerCase())
                    .put("namespaced", false).put("kind", review.kind());
            strings(resource.putArray("verbs"), List.of("create"));
        }
        return list;
    }

    /** The aggregated document for the core group (/api) or all named groups (/apis). */
    static ObjectNode aggregated(boolean core, String apiVersion) {
        ObjectNode list = Json.object().put("kind", "APIGroupDiscoveryList").put("apiVersion", apiVersion);
        list.putObject("metadata");
        ArrayNode items = list.putArray("items");
        List<String> groups = core ? List.of("") : groups();
        for (String group : groups) {
            ObjectNode item = items.addObject();
            ObjectNode metadata = item.putObject("metadata");
            if (!group.isEmpty()) {
                metadata.put("name", group);
            }
            ArrayNode versions = item.putArray("versions");
            for (String version : versions(group)) {
                ObjectNode versionNode = versions.addObject().put("version", version);
                ArrayNode resources = versionNode.putArray("resources");
                for (ResourceType type : ResourceCatalog.all()) {
                    if (type.group().equals(group) && type.version().equals(version)) {
                        resources.add(aggregatedResource(type));
                    }
                }
                for (ReviewRoutes.Review review : reviews(group, version)) {
                    ObjectNode resource = resources.addObject().put("resource", review.plural());
                    resource.putObject("responseKind").put("group", review.group()).put("version", review.version()).put("kind", review.kind());
                    resource.put("scope", "Cluster").put("singularResource", review.kind().toLowerCase());
                    strings(resource.putArray("verbs"), List.of("create"));
                }
                versionNode.put("freshness", "Current");
            }
        }
        return list;
    }

    private static ObjectNode aggregatedResource(ResourceType type) {
        ObjectNode resource = Json.object().put("resource", type.plural());
        resource.putObject("responseKind").put("group", type.group()).put("version", type.version()).put("kind", type.kind());
        resource.put("scope", type.namespaced() ? "Namespaced" : "Cluster").put("singularResource", type.singular());
        strings(resource.putArray("verbs"), ResourceType.VERBS);
        if (!type.shortNames().isEmpty()) {
            strings(resource.putArray("shortNames"), type.shortNames());
        }
        if (!type.categories().isEmpty()) {
            strings(resource.putArray("categories"), type.categories());
        }
        if (!type.subresources().isEmpty()) {
            ArrayNode subresources = resource.putArray("subresources");
            for (String sub : type.subresources()) {
                ObjectNode subresource = subresources.addObject().put("subresource", sub);
                SubresourceKind kind = subresourceKind(type, sub);
                subresource.putObject("responseKind").put("group", kind.group()).put("version", kind.version()).put("kind", kind.kind());
                strings(subresource.putArray("verbs"), subresourceVerbs(sub));
            }
        }
        return resource;
    }

    /** The kind a subresource takes and answers with. */
    record SubresourceKind(String group, String version, String kind) {
    }

    static SubresourceKind subresourceKind(ResourceType type, String sub) {
        return switch (sub) {
            case "scale" -> new SubresourceKind("autoscaling", "v1", "Scale");
            case "eviction" -> new SubresourceKind("policy", "v1", "Eviction");
            case "token" -> new SubresourceKind("authentication.k8s.io", "v1", "TokenRequest");
            case "binding" -> sameGroup(type, "Binding");
            case "attach" -> sameGroup(type, "PodAttachOptions");
            case "exec" -> sameGroup(type, "PodExecOptions");
            case "portforward" -> sameGroup(type, "PodPortForwardOptions");
            default -> sameGroup(type, type.kind());
        };
    }

    private static SubresourceKind sameGroup(ResourceType type, String kind) {
        return new SubresourceKind(type.group(), type.version(), kind);
    }

    private static List<String> subresourceVerbs(String sub) {
        return switch (sub) {
            case "binding", "eviction", "token" -> List.of("create");
            case "finalize" -> List.of("update");
            case "log" -> List.of("get");
            case "attach", "exec", "portforward" -> List.of("create", "get");
            default -> List.of("get", "patch", "update");
        };
    }

    private static void strings(ArrayNode array, List<String> values) {
        values.forEach(array::add);
    }
}
