package io.quarkube.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkube.registry.ResourceCatalog;
import io.quarkube.registry.ResourceType;

class DiscoveryTest {

    /** "group/version/plural kind" of every catalog type, in catalog order, then of the reviews. */
    private static List<String> catalog() {
        return java.util.stream.Stream.concat(
                ResourceCatalog.all().stream().map(t -> t.apiVersion() + "/" + t.plural() + " " + t.kind()),
                ReviewRoutes.ALL.stream().map(r -> r.apiVersion() + "/" + r.plural() + " " + r.kind())).toList();
    }

    @Test
    void aggregatedListsEveryKindOnce() {
        List<String> listed = new ArrayList<>();
        for (boolean core : List.of(true, false)) {
            for (JsonNode group : Discovery.aggregated(core, "apidiscovery.k8s.io/v2").path("items")) {
                String name = group.path("metadata").path("name").asText("");
                for (JsonNode version : group.path("versions")) {
                    String groupVersion = name.isEmpty() ? version.path("version").asText() : name + "/" + version.path("version").asText();
                    for (JsonNode resource : version.path("resources")) {
                        listed.add(groupVersion + "/" + resource.path("resource").asText() + " " + resource.at("/responseKind/kind").asText());
                    }
                }
            }
        }
        assertEquals(catalog(), listed);
    }

    @Test
    void legacyListsEveryKindOnce() {
        List<String> listed = new ArrayList<>();
        List<String> groupVersions = new ArrayList<>(List.of("v1"));
        for (JsonNode group : Discovery.groupList().path("groups")) {
            group.path("versions").forEach(v -> groupVersions.add(v.path("groupVersion").asText()));
        }
        for (String groupVersion : groupVersions) {
            int slash = groupVersion.indexOf('/');
            ObjectNode list = slash < 0 ? Discovery.resourceList("", groupVersion)
                    : Discovery.resourceList(groupVersion.substring(0, slash), groupVersion.substring(slash + 1));
            for (JsonNode resource : list.path("resources")) {
                if (!resource.path("name").asText().contains("/")) {
                    listed.add(groupVersion + "/" + resource.path("name").asText() + " " + resource.path("kind").asText());
                }
            }
        }
        assertEquals(catalog(), listed);
    }

    static Stream<Arguments> subresources() {
        return Stream.of(
                argumentSet("pod status", "", "pods", "status", "/v1/Pod", List.of("get", "patch", "update")),
                argumentSet("pod binding", "", "pods", "binding", "/v1/Binding", List.of("create")),
                argumentSet("pod log", "", "pods", "log", "/v1/Pod", List.of("get")),
                argumentSet("pod exec", "", "pods", "exec", "/v1/PodExecOptions", List.of("create", "get")),
                argumentSet("pod attach", "", "pods", "attach", "/v1/PodAttachOptions", List.of("create", "get")),
                argumentSet("pod port-forward", "", "pods", "portforward", "/v1/PodPortForwardOptions", List.of("create", "get")),
                argumentSet("namespace finalize", "", "namespaces", "finalize", "/v1/Namespace", List.of("update")),
                argumentSet("pod eviction", "", "pods", "eviction", "policy/v1/Eviction", List.of("create")),
                argumentSet("service account token", "", "serviceaccounts", "token", "authentication.k8s.io/v1/TokenRequest",
                        List.of("create")),
                argumentSet("deployment status", "apps", "deployments", "status", "apps/v1/Deployment", List.of("get", "patch", "update")),
                argumentSet("deployment scale", "apps", "deployments", "scale", "autoscaling/v1/Scale", List.of("get", "patch", "update")),
                argumentSet("replica set scale", "apps", "replicasets", "scale", "autoscaling/v1/Scale", List.of("get", "patch", "update")),
                argumentSet("stateful set scale", "apps", "statefulsets", "scale", "autoscaling/v1/Scale", List.of("get", "patch", "update")));
    }

    @ParameterizedTest
    @MethodSource("subresources")
    void aggregatedSubresourceKinds(String group, String plural, String subresource, String kind, List<String> verbs) {
        JsonNode found = null;
        for (JsonNode item : Discovery.aggregated(group.isEmpty(), "apidiscovery.k8s.io/v2").path("items")) {
            if (item.path("metadata").path("name").asText("").equals(group)) {
                for (JsonNode resource : item.at("/versions/0/resources")) {
                    if (resource.path("resource").asText().equals(plural)) {
                        for (JsonNode sub : resource.path("subresources")) {
                            if (sub.path("subresource").asText().equals(subresource)) {
                                found = sub;
                            }
                        }
                    }
                }
            }
        }
        assertEquals(kind, found.at("/responseKind/group").asText() + "/" + found.at("/responseKind/version").asText() + "/"
                + found.at("/responseKind/kind").asText());
        assertEquals(verbs, strings(found.path("verbs")));
    }

    @ParameterizedTest
    @MethodSource("subresources")
    void legacySubresourceKinds(String group, String plural, String subresource, String kind, List<String> verbs) {
        ResourceType type = ResourceCatalog.find(group, "v1", plural).orElseThrow();
        JsonNode found = null;
        for (JsonNode resource : Discovery.resourceList(group, "v1").path("resources")) {
            if (resource.path("name").asText().equals(type.plural() + "/" + subresource)) {
                found = resource;
            }
        }
        String expectedKind = kind.substring(kind.lastIndexOf('/') + 1);
        assertEquals(expectedKind, found.path("kind").asText());
        if (List.of("scale", "eviction", "token").contains(subresource)) {
            // a subresource of another group names it here: kubectl drain finds the Eviction's policy/v1 so
            assertEquals(kind.substring(0, kind.lastIndexOf('/')), found.path("group").asText() + "/" + found.path("version").asText());
        }
        assertEquals(verbs, strings(found.path("verbs")));
    }

    @Test
    void groupsPreferTheirFirstVersion() {
        ObjectNode apps = Discovery.group("apps");
        assertEquals("apps/v1", apps.at("/preferredVersion/groupVersion").asText());
        assertEquals("autoscaling/v2", Discovery.group("autoscaling").at("/preferredVersion/groupVersion").asText());
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }
}
