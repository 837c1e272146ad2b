package io.quarkube.api.openapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.quarkube.api.openapi.ApiOperation.Body;
import io.quarkube.registry.ResourceCatalog;
import io.quarkube.registry.ResourceType;

class ResourceOperationsTest {

    static Stream<Arguments> operations() {
        return Stream.of(
                Arguments.argumentSet("list pods", "pods", "/api/v1/namespaces/{namespace}/pods", "get", "list",
                        "listCoreV1NamespacedPod", "io.k8s.api.core.v1.PodList"),
                Arguments.argumentSet("create pod", "pods", "/api/v1/namespaces/{namespace}/pods", "post", "post",
                        "createCoreV1NamespacedPod", "io.k8s.api.core.v1.Pod"),
                Arguments.argumentSet("delete pods", "pods", "/api/v1/namespaces/{namespace}/pods", "delete",
                        "deletecollection", "deleteCoreV1CollectionNamespacedPod", "io.k8s.apimachinery.pkg.apis.meta.v1.Status"),
                Arguments.argumentSet("read pod", "pods", "/api/v1/namespaces/{namespace}/pods/{name}", "get", "get",
                        "readCoreV1NamespacedPod", "io.k8s.api.core.v1.Pod"),
                Arguments.argumentSet("patch pod status", "pods", "/api/v1/namespaces/{namespace}/pods/{name}/status",
                        "patch", "patch", "patchCoreV1NamespacedPodStatus", "io.k8s.api.core.v1.Pod"),
                Arguments.argumentSet("bind pod", "pods", "/api/v1/namespaces/{namespace}/pods/{name}/binding", "post",
                        "post", "createCoreV1NamespacedPodBinding", "io.k8s.api.core.v1.Binding"),
                Arguments.argumentSet("request a service account token", "serviceaccounts",
                        "/api/v1/namespaces/{namespace}/serviceaccounts/{name}/token", "post", "post",
                        "createCoreV1NamespacedServiceAccountToken", "io.k8s.api.authentication.v1.TokenRequest"),
                Arguments.argumentSet("pods in all namespaces", "pods", "/api/v1/pods", "get", "list",
                        "listCoreV1PodForAllNamespaces", "io.k8s.api.core.v1.PodList"),
                Arguments.argumentSet("watch pods", "pods", "/api/v1/watch/namespaces/{namespace}/pods", "get",
                        "watchlist", "watchCoreV1NamespacedPodList", "io.k8s.apimachinery.pkg.apis.meta.v1.WatchEvent"),
                Arguments.argumentSet("watch pod", "pods", "/api/v1/watch/namespaces/{namespace}/pods/{name}", "get",
                        "watch", "watchCoreV1NamespacedPod", "io.k8s.apimachinery.pkg.apis.meta.v1.WatchEvent"),
                Arguments.argumentSet("replace namespace", "namespaces", "/api/v1/namespaces/{name}", "put", "put",
                        "replaceCoreV1Namespace", "io.k8s.api.core.v1.Namespace"),
                Arguments.argumentSet("finalize namespace", "namespaces", "/api/v1/namespaces/{name}/finalize", "put",
                        "put", "replaceCoreV1NamespaceFinalize", "io.k8s.api.core.v1.Namespace"),
                Arguments.argumentSet("patch deployment", "deployments",
                        "/apis/apps/v1/namespaces/{namespace}/deployments/{name}", "patch", "patch",
                        "patchAppsV1NamespacedDeployment", "io.k8s.api.apps.v1.Deployment"),
                Arguments.argumentSet("scale deployment", "deployments",
                        "/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale", "patch", "patch",
                        "patchAppsV1NamespacedDeploymentScale", "io.k8s.api.autoscaling.v1.Scale"),
                Arguments.argumentSet("list cluster roles", "clusterroles",
                        "/apis/rbac.authorization.k8s.io/v1/clusterroles", "get", "list",
                        "listRbacAuthorizationV1ClusterRole", "io.k8s.api.rbac.v1.ClusterRoleList"));
    }

    @ParameterizedTest
    @MethodSource("operations")
    void documentsTheOperationAsKubeApiserverDoes(String plural, String path, String method, String action,
            String operationId, String responseSchema) {
        ApiOperation operation = operation(plural, path, method);
        assertEquals(action, operation.action());
        assertEquals(operationId, operation.operationId());
        assertEquals(responseSchema, operation.responseSchema());
    }

    @Test
    void operationsCarryTheGroupVersionKindTheyActOn() {
        assertEquals(ModelSchemas.gvk("apps", "v1", "Deployment"),
                operation("deployments", "/apis/apps/v1/namespaces/{namespace}/deployments", "get")
                        .groupVersionKind().orElseThrow());
        assertEquals(ModelSchemas.gvk("autoscaling", "v1", "Scale"),
                operation("deployments", "/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale", "get")
                        .groupVersionKind().orElseThrow());
        assertEquals(ModelSchemas.gvk("", "v1", "Binding"),
                operation("pods", "/api/v1/namespaces/{namespace}/pods/{name}/binding", "post")
                        .groupVersionKind().orElseThrow());
        assertEquals(ModelSchemas.gvk("authentication.k8s.io", "v1", "TokenRequest"),
                operation("serviceaccounts", "/api/v1/namespaces/{namespace}/serviceaccounts/{name}/token", "post")
                        .groupVersionKind().orElseThrow());
    }

    @Test
    void patchTakesTheServedPatchTypesAndFieldValidation() {
        ApiOperation patch = operation("pods", "/api/v1/namespaces/{namespace}/pods/{name}", "patch");
        assertEquals(Body.Kind.PATCH, patch.body().kind());
        assertEquals(List.of("application/json-patch+json", "application/merge-patch+json",
                "application/strategic-merge-patch+json"), patch.consumes());
        assertEquals(List.of("dryRun", "fieldManager", "fieldValidation"),
                patch.query().stream().map(ApiOperation.QueryParameter::name).toList());
    }

    @Test
    void clusterScopedKindsHaveNoNamespacePathsOrAllNamespacesList() {
        List<String> paths = paths("namespaces").keySet().stream().toList();
        assertEquals(List.of("/api/v1/namespaces", "/api/v1/namespaces/{name}", "/api/v1/namespaces/{name}/status",
                "/api/v1/namespaces/{name}/finalize", "/api/v1/watch/namespaces", "/api/v1/watch/namespaces/{name}"),
                paths);
    }

    @Test
    void pathParametersFollowTheTemplate() {
        assertEquals(List.of("name", "namespace"),
                new ApiPath("/api/v1/namespaces/{namespace}/pods/{name}", List.of()).pathParameters());
        assertTrue(new ApiPath("/api/v1/pods", List.of()).pathParameters().isEmpty());
    }

    private static ApiOperation operation(String plural, String path, String method) {
        ApiPath apiPath = paths(plural).get(path);
        return apiPath.operations().stream().filter(o -> o.method().equals(method)).findFirst().orElseThrow();
    }

    private static Map<String, ApiPath> paths(String plural) {
        ResourceType type = ResourceCatalog.all().stream().filter(t -> t.plural().equals(plural)
                && !t.group().equals("events.k8s.io")).findFirst().orElseThrow();
        return ResourceOperations.of(type, new ModelSchemas()).stream()
                .collect(Collectors.toMap(ApiPath::path, p -> p, (a, b) -> a, java.util.LinkedHashMap::new));
    }
}
