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

class BatchPrintersTest {

    private static JsonNode job(String metadataExtra, String spec, String status) {
        return json("{'apiVersion':'batch/v1','kind':'Job','metadata':{'name':'pi','creationTimestamp':'"
                + ago(600) + "'" + metadataExtra + "},'spec':" + spec + ",'status':" + status + "}");
    }

    /** The STATUS, COMPLETIONS and DURATION cells. */
    record Expected(String status, String completions, String duration) {
    }

    static Stream<Arguments> jobs() {
        return Stream.of(
                Arguments.argumentSet("not started", job("", "{'completions':1}", "{}"),
                        new Expected("Running", "0/1", "")),
                Arguments.argumentSet("running for a minute and a half",
                        job("", "{'completions':3}", "{'startTime':'" + ago(90) + "','succeeded':1}"),
                        new Expected("Running", "1/3", "90s")),
                Arguments.argumentSet("complete",
                        job("", "{'completions':1}", "{'startTime':'" + ago(600) + "','completionTime':'" + ago(400)
                                + "','succeeded':1,'conditions':[{'type':'SuccessCriteriaMet','status':'True'},"
                                + "{'type':'Complete','status':'True'}]}"),
                        new Expected("Complete", "1/1", "3m20s")),
                Arguments.argumentSet("failed",
                        job("", "{'completions':1}", "{'startTime':'" + ago(60) + "','conditions':["
                                + "{'type':'FailureTarget','status':'True'},{'type':'Failed','status':'True'}]}"),
                        new Expected("Failed", "0/1", "60s")),
                Arguments.argumentSet("failure target before failed",
                        job("", "{'completions':1}", "{'conditions':[{'type':'FailureTarget','status':'True'}]}"),
                        new Expected("FailureTarget", "0/1", "")),
                Arguments.argumentSet("suspended", job("", "{'completions':1,'suspend':true}",
                        "{'conditions':[{'type':'Suspended','status':'True'}]}"),
                        new Expected("Suspended", "0/1", "")),
                Arguments.argumentSet("terminating", job(",'deletionTimestamp':'" + ago(1) + "'",
                        "{'completions':1}", "{}"),
                        new Expected("Terminating", "0/1", "")),
                Arguments.argumentSet("work queue with parallelism",
                        job("", "{'parallelism':4}", "{'succeeded':2}"),
                        new Expected("Running", "2/1 of 4", "")));
    }

    @ParameterizedTest
    @MethodSource("jobs")
    void jobShowsStatusCompletionsAndDuration(JsonNode job, Expected expected) {
        Map<String, JsonNode> cells = cells("batch/v1", "Job", job);

        assertEquals(expected, new Expected(cell(cells, "Status"), cell(cells, "Completions"),
                cell(cells, "Duration")));
    }

    @Test
    void cronJobShowsScheduleAndLastRun() {
        JsonNode cronJob = json("{'apiVersion':'batch/v1','kind':'CronJob','metadata':{'name':'nightly',"
                + "'creationTimestamp':'" + ago(3 * 3600) + "'},'spec':{'schedule':'0 2 * * *','suspend':false,"
                + "'jobTemplate':{'spec':{'template':{'spec':{'containers':[{'name':'backup','image':'tools'}]}}}}},"
                + "'status':{'active':[{'name':'nightly-1'}],'lastScheduleTime':'" + ago(300) + "'}}");

        Map<String, JsonNode> cells = cells("batch/v1", "CronJob", cronJob);

        assertEquals(List.of("nightly", "0 2 * * *", "<none>", "False", "1", "5m", "3h", "backup", "tools",
                "<none>"), cells.values().stream().map(JsonNode::asText).toList());
    }
}
