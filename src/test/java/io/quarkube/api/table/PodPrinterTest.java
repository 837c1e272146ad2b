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
import com.fasterxml.jackson.databind.node.ObjectNode;

class PodPrinterTest {

    private static final String RUNNING = "{'running':{'startedAt':'" + ago(600) + "'}}";

    /** A pod created ten minutes ago with the given spec and status JSON. */
    private static ObjectNode pod(String spec, String status) {
        return json("{'apiVersion':'v1','kind':'Pod','metadata':{'name':'web','namespace':'default',"
                + "'creationTimestamp':'" + ago(600) + "'},'spec':" + spec + ",'status':" + status + "}");
    }

    private static final String ONE_CONTAINER = "{'containers':[{'name':'app','image':'nginx'}]}";
    private static final String TWO_CONTAINERS =
            "{'containers':[{'name':'app','image':'nginx'},{'name':'log','image':'busybox'}]}";
    private static final String ONE_INIT_CONTAINER = "{'initContainers':[{'name':'setup','image':'busybox'}],"
            + "'containers':[{'name':'app','image':'nginx'}]}";

    /** Ready, Status and Restarts for one pod. */
    record Expected(String ready, String status, String restarts) {
    }

    static Stream<Arguments> pods() {
        return Stream.of(
                Arguments.argumentSet("pending, not yet scheduled",
                        pod(ONE_CONTAINER, "{'phase':'Pending'}"),
                        new Expected("0/1", "Pending", "0")),
                Arguments.argumentSet("scheduling gated",
                        pod(ONE_CONTAINER, "{'phase':'Pending','conditions':[{'type':'PodScheduled',"
                                + "'status':'False','reason':'SchedulingGated'}]}"),
                        new Expected("0/1", "SchedulingGated", "0")),
                Arguments.argumentSet("container creating",
                        pod(ONE_CONTAINER, "{'phase':'Pending','containerStatuses':[{'name':'app','ready':false,"
                                + "'restartCount':0,'state':{'waiting':{'reason':'ContainerCreating'}}}]}"),
                        new Expected("0/1", "ContainerCreating", "0")),
                Arguments.argumentSet("running 1/1",
                        pod(ONE_CONTAINER, "{'phase':'Running','containerStatuses':[{'name':'app','ready':true,"
                                + "'restartCount':0,'state':" + RUNNING + "}]}"),
                        new Expected("1/1", "Running", "0")),
                Arguments.argumentSet("running but not ready 1/2",
                        pod(TWO_CONTAINERS, "{'phase':'Running','containerStatuses':["
                                + "{'name':'app','ready':true,'restartCount':0,'state':" + RUNNING + "},"
                                + "{'name':'log','ready':false,'restartCount':0,'state':" + RUNNING + "}]}"),
                        new Expected("1/2", "Running", "0")),
                Arguments.argumentSet("crash loop with restarts and last termination age",
                        pod(ONE_CONTAINER, "{'phase':'Running','containerStatuses':[{'name':'app','ready':false,"
                                + "'restartCount':3,'state':{'waiting':{'reason':'CrashLoopBackOff'}},"
                                + "'lastState':{'terminated':{'exitCode':1,'reason':'Error',"
                                + "'finishedAt':'" + ago(300) + "'}}}]}"),
                        new Expected("0/1", "CrashLoopBackOff", "3 (5m ago)")),
                Arguments.argumentSet("completed",
                        pod(ONE_CONTAINER, "{'phase':'Succeeded','containerStatuses':[{'name':'app','ready':false,"
                                + "'restartCount':0,'state':{'terminated':{'exitCode':0,'reason':'Completed'}}}]}"),
                        new Expected("0/1", "Completed", "0")),
                Arguments.argumentSet("terminated without a reason shows the exit code",
                        pod(ONE_CONTAINER, "{'phase':'Failed','containerStatuses':[{'name':'app','ready':false,"
                                + "'restartCount':0,'state':{'terminated':{'exitCode':137}}}]}"),
                        new Expected("0/1", "ExitCode:137", "0")),
                Arguments.argumentSet("one container completed next to a ready one",
                        pod(TWO_CONTAINERS, "{'phase':'Running','conditions':[{'type':'Ready','status':'True'}],"
                                + "'containerStatuses':["
                                + "{'name':'app','ready':false,'restartCount':0,"
                                + "'state':{'terminated':{'exitCode':0,'reason':'Completed'}}},"
                                + "{'name':'log','ready':true,'restartCount':0,'state':" + RUNNING + "}]}"),
                        new Expected("1/2", "Running", "0")),
                Arguments.argumentSet("first init container running",
                        pod(ONE_INIT_CONTAINER, "{'phase':'Pending','initContainerStatuses':[{'name':'setup',"
                                + "'ready':false,'restartCount':0,'state':" + RUNNING + "}],"
                                + "'containerStatuses':[{'name':'app','ready':false,'restartCount':0,"
                                + "'state':{'waiting':{'reason':'PodInitializing'}}}]}"),
                        new Expected("0/1", "Init:0/1", "0")),
                Arguments.argumentSet("init container crash looping",
                        pod(ONE_INIT_CONTAINER, "{'phase':'Pending','initContainerStatuses':[{'name':'setup',"
                                + "'ready':false,'restartCount':2,'state':{'waiting':{'reason':'CrashLoopBackOff'}},"
                                + "'lastState':{'terminated':{'exitCode':1,'finishedAt':'" + ago(30) + "'}}}]}"),
                        new Expected("0/1", "Init:CrashLoopBackOff", "2 (30s ago)")),
                Arguments.argumentSet("init container failed",
                        pod(ONE_INIT_CONTAINER, "{'phase':'Pending','initContainerStatuses':[{'name':'setup',"
                                + "'ready':false,'restartCount':0,'state':{'terminated':{'exitCode':2,"
                                + "'reason':'Error'}}}]}"),
                        new Expected("0/1", "Init:Error", "0")),
                Arguments.argumentSet("init done, main container running",
                        pod(ONE_INIT_CONTAINER, "{'phase':'Running','conditions':[{'type':'Initialized',"
                                + "'status':'True'}],'initContainerStatuses':[{'name':'setup','ready':true,"
                                + "'restartCount':4,'state':{'terminated':{'exitCode':0,'reason':'Completed'}}}],"
                                + "'containerStatuses':[{'name':'app','ready':true,'restartCount':0,"
                                + "'state':" + RUNNING + "}]}"),
                        new Expected("1/1", "Running", "0")),
                Arguments.argumentSet("started sidecar counts as a ready container",
                        pod("{'initContainers':[{'name':'proxy','image':'envoy','restartPolicy':'Always'}],"
                                + "'containers':[{'name':'app','image':'nginx'}]}",
                                "{'phase':'Running','conditions':[{'type':'Initialized','status':'True'}],"
                                        + "'initContainerStatuses':[{'name':'proxy','ready':true,'started':true,"
                                        + "'restartCount':1,'state':" + RUNNING + "}],"
                                        + "'containerStatuses':[{'name':'app','ready':true,'restartCount':0,"
                                        + "'state':" + RUNNING + "}]}"),
                        new Expected("2/2", "Running", "1")),
                Arguments.argumentSet("terminating via deletionTimestamp",
                        withDeletionTimestamp(pod(ONE_CONTAINER, "{'phase':'Running','containerStatuses':[{"
                                + "'name':'app','ready':true,'restartCount':0,'state':" + RUNNING + "}]}")),
                        new Expected("1/1", "Terminating", "0")),
                Arguments.argumentSet("a deleted pod that already succeeded stays Completed",
                        withDeletionTimestamp(pod(ONE_CONTAINER, "{'phase':'Succeeded','containerStatuses':[{"
                                + "'name':'app','ready':false,'restartCount':0,"
                                + "'state':{'terminated':{'exitCode':0,'reason':'Completed'}}}]}")),
                        new Expected("0/1", "Completed", "0")),
                Arguments.argumentSet("status reason wins over the phase",
                        pod(ONE_CONTAINER, "{'phase':'Failed','reason':'Evicted'}"),
                        new Expected("0/1", "Evicted", "0")));
    }

    private static ObjectNode withDeletionTimestamp(ObjectNode pod) {
        ((ObjectNode) pod.get("metadata")).put("deletionTimestamp", ago(5));
        return pod;
    }

    @ParameterizedTest
    @MethodSource("pods")
    void summarisesReadyStatusAndRestarts(ObjectNode pod, Expected expected) {
        Map<String, JsonNode> cells = cells("v1", "Pod", pod);

        assertEquals(expected, new Expected(cell(cells, "Ready"), cell(cells, "Status"), cell(cells, "Restarts")));
    }

    @Test
    void fillsNameAgeAndWideColumns() {
        ObjectNode pod = pod("{'nodeName':'node-1','readinessGates':[{'conditionType':'example.com/lb'}],"
                + "'containers':[{'name':'app','image':'nginx'}]}",
                "{'phase':'Running','podIP':'10.1.0.5','podIPs':[{'ip':'10.1.0.5'}],"
                        + "'conditions':[{'type':'example.com/lb','status':'True'}]}");

        Map<String, JsonNode> cells = cells("v1", "Pod", pod);

        assertEquals(List.of("Name", "Ready", "Status", "Restarts", "Age", "IP", "Node", "Nominated Node",
                "Readiness Gates"), List.copyOf(cells.keySet()));
        assertEquals(List.of("web", "0/1", "Running", "0", "10m", "10.1.0.5", "node-1", "<none>", "1/1"),
                cells.values().stream().map(JsonNode::asText).toList());
    }

    @Test
    void wideColumnsShowNoneForAnUnscheduledPod() {
        Map<String, JsonNode> cells = cells("v1", "Pod", pod(ONE_CONTAINER, "{'phase':'Pending'}"));

        assertEquals(List.of("<none>", "<none>", "<none>", "<none>"), List.of(cell(cells, "IP"),
                cell(cells, "Node"), cell(cells, "Nominated Node"), cell(cells, "Readiness Gates")));
    }

    @Test
    void marksRowsOfSucceededPodsCompleted() {
        ObjectNode table = TableFixtures.table("v1", "Pod", pod(ONE_CONTAINER, "{'phase':'Succeeded'}"));

        assertEquals(TableFixtures.jsonValue("[{'type':'Completed','status':'True','reason':'Succeeded',"
                + "'message':'The pod has completed successfully.'}]"), table.at("/rows/0/conditions"));
    }
}
