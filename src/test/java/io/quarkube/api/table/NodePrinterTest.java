package io.quarkube.api.table;

import static io.quarkube.api.table.TableFixtures.ago;
import static io.quarkube.api.table.TableFixtures.cell;
import static io.quarkube.api.table.TableFixtures.cells;
import static io.quarkube.api.table.TableFixtures.json;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;

class NodePrinterTest {

    private static JsonNode node(String labels, String spec, String conditions) {
        return json("{'apiVersion':'v1','kind':'Node','metadata':{'name':'node-1','labels':" + labels
                + ",'creationTimestamp':'" + ago(5 * 3600) + "'},'spec':" + spec + ",'status':{'conditions':"
                + conditions + ",'addresses':[{'type':'Hostname','address':'node-1'},"
                + "{'type':'InternalIP','address':'192.168.1.10'}],'nodeInfo':{'kubeletVersion':'v1.33.1',"
                + "'osImage':'Debian GNU/Linux 12 (bookworm)','kernelVersion':'6.1.0-18-amd64',"
                + "'containerRuntimeVersion':'containerd://1.7.13'}}}");
    }

    private static final String READY = "[{'type':'MemoryPressure','status':'False'},{'type':'Ready','status':'True'}]";
    private static final String NOT_READY = "[{'type':'Ready','status':'False'}]";

    static Stream<Arguments> statuses() {
        return Stream.of(
                Arguments.argumentSet("Ready", node("{}", "{}", READY), "Ready"),
                Arguments.argumentSet("NotReady", node("{}", "{}", NOT_READY), "NotReady"),
                Arguments.argumentSet("Ready condition Unknown", node("{}", "{}",
                        "[{'type':'Ready','status':'Unknown'}]"), "NotReady"),
                Arguments.argumentSet("no Ready condition yet", node("{}", "{}", "[]"), "Unknown"),
                Arguments.argumentSet("cordoned", node("{}", "{'unschedulable':true}", READY),
                        "Ready,SchedulingDisabled"),
                Arguments.argumentSet("cordoned and not ready", node("{}", "{'unschedulable':true}", NOT_READY),
                        "NotReady,SchedulingDisabled"));
    }

    @ParameterizedTest
    @MethodSource("statuses")
    void statusComesFromTheReadyConditionAndCordon(JsonNode node, String expected) {
        assertEquals(expected, cell(cells("v1", "Node", node), "Status"));
    }

    static Stream<Arguments> roles() {
        return Stream.of(
                Arguments.argumentSet("no role labels", "{'kubernetes.io/hostname':'node-1'}", "<none>"),
                Arguments.argumentSet("control plane", "{'node-role.kubernetes.io/control-plane':''}",
                        "control-plane"),
                Arguments.argumentSet("several roles, sorted",
                        "{'node-role.kubernetes.io/worker':'','node-role.kubernetes.io/control-plane':''}",
                        "control-plane,worker"),
                Arguments.argumentSet("legacy role label", "{'kubernetes.io/role':'infra'}", "infra"),
                Arguments.argumentSet("empty role name ignored", "{'node-role.kubernetes.io/':''}", "<none>"));
    }

    @ParameterizedTest
    @MethodSource("roles")
    void rolesComeFromNodeRoleLabels(String labels, String expected) {
        assertEquals(expected, cell(cells("v1", "Node", node(labels, "{}", READY)), "Roles"));
    }

    @Test
    void fillsVersionAndWideColumns() {
        Map<String, JsonNode> cells = cells("v1", "Node", node("{}", "{}", READY));

        assertEquals(List.of("node-1", "Ready", "<none>", "5h", "v1.33.1", "192.168.1.10", "<none>",
                "Debian GNU/Linux 12 (bookworm)", "6.1.0-18-amd64", "containerd://1.7.13"),
                cells.values().stream().map(JsonNode::asText).toList());
    }
}
