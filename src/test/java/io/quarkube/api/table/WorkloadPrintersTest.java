package io.quarkube.api.table;

import static io.quarkube.api.table.TableFixtures.ago;
import static io.quarkube.api.table.TableFixtures.cells;
import static io.quarkube.api.table.TableFixtures.json;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

class WorkloadPrintersTest {

    private static final String TEMPLATE = "'template':{'metadata':{'labels':{'app':'web'}},'spec':{'containers':["
            + "{'name':'app','image':'nginx:1.27'},{'name':'log','image':'busybox'}]}}";

    @Test
    void deploymentShowsReadyOverDesiredAndWideContainers() {
        JsonNode deployment = json("{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'web',"
                + "'creationTimestamp':'" + ago(200) + "'},'spec':{'replicas':3,'selector':{"
                + "'matchLabels':{'app':'web','tier':'front'},'matchExpressions':[{'key':'env','operator':'In',"
                + "'values':['prod','dev']}]}," + TEMPLATE + "},"
                + "'status':{'replicas':3,'readyReplicas':2,'updatedReplicas':3,'availableReplicas':2}}");

        ObjectNode table = TableFixtures.table("apps/v1", "Deployment", deployment);

        assertEquals(List.of("Name", "Ready", "Up-to-date", "Available", "Age", "Containers", "Images", "Selector"),
                List.copyOf(TableFixtures.cells(table).keySet()));
        assertEquals(TableFixtures.jsonValue("['web','2/3',3,2,'3m20s','app,log','nginx:1.27,busybox',"
                + "'app=web,env in (dev,prod),tier=front']"), table.at("/rows/0/cells"));
    }

    @Test
    void deploymentWithoutStatusIsZeroReady() {
        JsonNode deployment = json("{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'web'},"
                + "'spec':{'replicas':2}}");

        Map<String, JsonNode> cells = cells("apps/v1", "Deployment", deployment);

        assertEquals(List.of("0/2", "0", "0", "<unknown>", "", ""), List.of(cells.get("Ready").asText(),
                cells.get("Up-to-date").asText(), cells.get("Available").asText(), cells.get("Age").asText(),
                cells.get("Containers").asText(), cells.get("Selector").asText()));
    }

    @Test
    void replicaSetShowsDesiredCurrentReady() {
        JsonNode replicaSet = json("{'apiVersion':'apps/v1','kind':'ReplicaSet','metadata':{'name':'web-5d4f',"
                + "'creationTimestamp':'" + ago(90) + "'},'spec':{'replicas':3,'selector':{}," + TEMPLATE + "},"
                + "'status':{'replicas':3,'readyReplicas':1}}");

        Map<String, JsonNode> cells = cells("apps/v1", "ReplicaSet", replicaSet);

        assertEquals(List.of("web-5d4f", "3", "3", "1", "90s", "<none>"), List.of(cells.get("Name").asText(),
                cells.get("Desired").asText(), cells.get("Current").asText(), cells.get("Ready").asText(),
                cells.get("Age").asText(), cells.get("Selector").asText()));
    }

    @Test
    void controllerRevisionNamesItsController() {
        JsonNode revision = json("{'apiVersion':'apps/v1','kind':'ControllerRevision','metadata':{'name':'db-7c9',"
                + "'ownerReferences':[{'apiVersion':'apps/v1','kind':'StatefulSet','name':'db','controller':true}]},"
                + "'revision':2}");

        Map<String, JsonNode> cells = cells("apps/v1", "ControllerRevision", revision);

        assertEquals("statefulset.apps/db", cells.get("Controller").asText());
        assertEquals(2, cells.get("Revision").asLong());
    }
}
