package io.quarkube.api.table;

import static io.quarkube.api.table.TableFixtures.ago;
import static io.quarkube.api.table.TableFixtures.cells;
import static io.quarkube.api.table.TableFixtures.json;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

class EventPrinterTest {

    private static final List<String> COLUMNS = List.of("Last Seen", "Type", "Reason", "Object", "Subobject",
            "Source", "Message", "First Seen", "Count", "Name");

    @Test
    void coreEventShowsLastSeenObjectAndMessage() {
        JsonNode event = json("{'apiVersion':'v1','kind':'Event','metadata':{'name':'web.17a'},"
                + "'involvedObject':{'kind':'Pod','name':'web','fieldPath':'spec.containers{app}'},"
                + "'reason':'Pulled','message':'Image pulled \\n','type':'Normal','count':4,"
                + "'firstTimestamp':'" + ago(600) + "','lastTimestamp':'" + ago(30) + "',"
                + "'source':{'component':'kubelet','host':'node-1'}}");

        var cells = cells("v1", "Event", event);

        assertEquals(COLUMNS, List.copyOf(cells.keySet()));
        assertEquals(List.of("30s", "Normal", "Pulled", "pod/web", "spec.containers{app}", "kubelet, node-1",
                "Image pulled", "10m", "4", "web.17a"), cells.values().stream().map(JsonNode::asText).toList());
    }

    @Test
    void eventsApiEventReadsItsOwnFieldNames() {
        JsonNode event = json("{'apiVersion':'events.k8s.io/v1','kind':'Event','metadata':{'name':'web.18b'},"
                + "'regarding':{'kind':'Deployment','name':'web'},'reason':'ScalingReplicaSet',"
                + "'note':'Scaled up','type':'Normal','eventTime':'" + ago(120) + "',"
                + "'reportingController':'deployment-controller','reportingInstance':''}");

        var cells = cells("events.k8s.io/v1", "Event", event);

        assertEquals(List.of("2m", "Normal", "ScalingReplicaSet", "deployment/web", "", "deployment-controller",
                "Scaled up", "2m", "1", "web.18b"), cells.values().stream().map(JsonNode::asText).toList());
    }

    @Test
    void seriesGivesLastSeenAndCount() {
        JsonNode event = json("{'apiVersion':'v1','kind':'Event','metadata':{'name':'e'},'involvedObject':{"
                + "'kind':'Node'},'type':'Warning','reason':'Rebooted','eventTime':'" + ago(3600) + "',"
                + "'series':{'count':7,'lastObservedTime':'" + ago(10) + "'}}");

        var cells = cells("v1", "Event", event);

        assertEquals(List.of("10s", "node", "60m", "7"), List.of(cells.get("Last Seen").asText(),
                cells.get("Object").asText(), cells.get("First Seen").asText(), cells.get("Count").asText()));
    }
}
