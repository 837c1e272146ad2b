package io.quarkube.api.table;

import static io.quarkube.api.table.TableFixtures.cells;
import static io.quarkube.api.table.TableFixtures.json;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/** Disruption budgets, autoscalers, quotas, volumes, claims and RBAC bindings. */
class PolicyAndStoragePrintersTest {

    private static List<String> texts(Map<String, JsonNode> cells, String... columns) {
        return List.of(columns).stream().map(column -> cells.get(column).asText()).toList();
    }

    @Test
    void podDisruptionBudgetShowsIntOrStringBounds() {
        JsonNode budget = json("{'apiVersion':'policy/v1','kind':'PodDisruptionBudget','metadata':{'name':'web'},"
                + "'spec':{'minAvailable':'50%'},'status':{'disruptionsAllowed':1}}");

        assertEquals(List.of("50%", "N/A", "1"), texts(cells("policy/v1", "PodDisruptionBudget", budget),
                "Min Available", "Max Unavailable", "Allowed Disruptions"));
    }

    @Test
    void autoscalerShowsCurrentOverTargetMetrics() {
        JsonNode autoscaler = json("{'apiVersion':'autoscaling/v2','kind':'HorizontalPodAutoscaler','metadata':{"
                + "'name':'web'},'spec':{'scaleTargetRef':{'kind':'Deployment','name':'web'},'minReplicas':2,"
                + "'maxReplicas':10,'metrics':["
                + "{'type':'Resource','resource':{'name':'cpu','target':{'type':'Utilization','averageUtilization':80}}},"
                + "{'type':'Resource','resource':{'name':'memory','target':{'type':'AverageValue','averageValue':'1Gi'}}},"
                + "{'type':'Pods','pods':{'metric':{'name':'qps'},'target':{'type':'AverageValue','averageValue':'1k'}}}]},"
                + "'status':{'currentReplicas':3,'currentMetrics':[{'type':'Resource','resource':{'name':'cpu',"
                + "'current':{'averageUtilization':12,'averageValue':'120m'}}}]}}");

        assertEquals(List.of("Deployment/web", "cpu: 12%/80%, memory: <unknown>/1Gi + 1 more...", "2", "10", "3"),
                texts(cells("autoscaling/v2", "HorizontalPodAutoscaler", autoscaler),
                        "Reference", "Targets", "MinPods", "MaxPods", "Replicas"));
    }

    @Test
    void resourceQuotaSplitsRequestsFromLimits() {
        JsonNode quota = json("{'apiVersion':'v1','kind':'ResourceQuota','metadata':{'name':'team'},'status':{"
                + "'hard':{'pods':'10','requests.cpu':'2','limits.memory':'4Gi'},"
                + "'used':{'pods':'3','limits.memory':'1Gi'}}}");

        assertEquals(List.of("pods: 3/10, requests.cpu: 0/2", "limits.memory: 1Gi/4Gi"),
                texts(cells("v1", "ResourceQuota", quota), "Request", "Limit"));
    }

    @Test
    void persistentVolumeShowsCapacityModesAndClaim() {
        JsonNode volume = json("{'apiVersion':'v1','kind':'PersistentVolume','metadata':{'name':'pv1'},'spec':{"
                + "'capacity':{'storage':'10Gi'},'accessModes':['ReadWriteMany','ReadWriteOnce'],"
                + "'persistentVolumeReclaimPolicy':'Retain','storageClassName':'fast','volumeMode':'Filesystem',"
                + "'claimRef':{'namespace':'default','name':'data'}},'status':{'phase':'Bound'}}");

        assertEquals(List.of("10Gi", "RWO,RWX", "Retain", "Bound", "default/data", "fast", "<unset>", "Filesystem"),
                texts(cells("v1", "PersistentVolume", volume), "Capacity", "Access Modes", "Reclaim Policy",
                        "Status", "Claim", "StorageClass", "VolumeAttributesClass", "VolumeMode"));
    }

    @Test
    void pendingClaimShowsNoCapacity() {
        JsonNode claim = json("{'apiVersion':'v1','kind':'PersistentVolumeClaim','metadata':{'name':'data'},"
                + "'spec':{'resources':{'requests':{'storage':'1Gi'}},'storageClassName':'fast'},"
                + "'status':{'phase':'Pending'}}");

        assertEquals(List.of("Pending", "", "", "", "fast"), texts(cells("v1", "PersistentVolumeClaim", claim),
                "Status", "Volume", "Capacity", "Access Modes", "StorageClass"));
    }

    @Test
    void roleBindingShowsRoleAndSubjects() {
        JsonNode binding = json("{'apiVersion':'rbac.authorization.k8s.io/v1','kind':'RoleBinding','metadata':{"
                + "'name':'readers'},'roleRef':{'kind':'ClusterRole','name':'view'},'subjects':["
                + "{'kind':'User','name':'alice'},{'kind':'User','name':'bob'},{'kind':'Group','name':'devs'},"
                + "{'kind':'ServiceAccount','namespace':'ci','name':'runner'}]}");

        assertEquals(List.of("ClusterRole/view", "alice, bob", "devs", "ci:runner"),
                texts(cells("rbac.authorization.k8s.io/v1", "RoleBinding", binding),
                        "Role", "Users", "Groups", "ServiceAccounts"));
    }
}
