package io.quarkube.registry.batch;

import static io.quarkube.testing.TestJson.json;
import static io.quarkube.testing.TestJson.value;
import static io.quarkube.testing.TestPods.pod;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkube.json.Json;

class CronJobStrategyTest {

    private final CronJobStrategy strategy = new CronJobStrategy();

    private static ObjectNode cronJob(String schedule, String restartPolicy) {
        ObjectNode cronJob = json("{'kind':'CronJob','metadata':{'name':'tick'},'spec':{}}");
        if (schedule != null) {
            Json.with(cronJob, "spec").put("schedule", schedule);
        }
        var template = pod("tick").container("tick", "busybox:1.36");
        if (restartPolicy != null) {
            template.spec("restartPolicy", restartPolicy);
        }
        Json.with(cronJob, "spec", "jobTemplate", "spec").set("template", template.buildTemplate());
        return cronJob;
    }

    private static ObjectNode withTimeZone(ObjectNode cronJob, String zone) {
        Json.with(cronJob, "spec").put("timeZone", zone);
        return cronJob;
    }

    static Stream<Arguments> createDefaults() {
        return Stream.of(
                argumentSet("concurrency policy", "/spec/concurrencyPolicy", value("'Allow'")),
                argumentSet("suspend", "/spec/suspend", value("false")),
                argumentSet("successful history", "/spec/successfulJobsHistoryLimit", value("3")),
                argumentSet("failed history", "/spec/failedJobsHistoryLimit", value("1")),
                argumentSet("job backoff limit", "/spec/jobTemplate/spec/backoffLimit", value("6")),
                argumentSet("pod template defaulted", "/spec/jobTemplate/spec/template/spec/schedulerName", value("'default-scheduler'")));
    }

    @ParameterizedTest
    @MethodSource("createDefaults")
    void prepareForCreate(String pointer, JsonNode expected) {
        ObjectNode cronJob = cronJob("*/5 * * * *", "OnFailure");
        strategy.prepareForCreate(cronJob);
        assertEquals(expected, cronJob.at(pointer));
    }

    @Test
    void prepareForCreateDropsStatus() {
        ObjectNode cronJob = cronJob("* * * * *", "Never");
        cronJob.putObject("status").put("lastScheduleTime", "2024-01-01T00:00:00Z");
        strategy.prepareForCreate(cronJob);
        assertFalse(cronJob.has("status"));
    }

    static Stream<Arguments> validations() {
        return Stream.of(
                argumentSet("valid", cronJob("*/5 * * * *", "OnFailure"), List.of()),
                argumentSet("missing schedule", cronJob(null, "OnFailure"), List.of("FieldValueRequired spec.schedule")),
                argumentSet("blank schedule", cronJob(" ", "Never"), List.of("FieldValueRequired spec.schedule")),
                argumentSet("shorthand", cronJob("@hourly", "Never"), List.of()),
                argumentSet("unparseable schedule", cronJob("every minute", "Never"), List.of("FieldValueInvalid spec.schedule")),
                argumentSet("minute out of range", cronJob("61 * * * *", "Never"), List.of("FieldValueInvalid spec.schedule")),
                argumentSet("TZ in the schedule", cronJob("TZ=UTC 0 * * * *", "Never"), List.of("FieldValueInvalid spec.schedule")),
                argumentSet("IANA time zone", withTimeZone(cronJob("0 9 * * *", "Never"), "Europe/Berlin"), List.of()),
                argumentSet("unknown time zone", withTimeZone(cronJob("0 9 * * *", "Never"), "Mars/Olympus"),
                        List.of("FieldValueInvalid spec.timeZone")),
                argumentSet("Local is not a time zone", withTimeZone(cronJob("0 9 * * *", "Never"), "Local"),
                        List.of("FieldValueInvalid spec.timeZone")),
                argumentSet("empty time zone", withTimeZone(cronJob("0 9 * * *", "Never"), ""), List.of("FieldValueInvalid spec.timeZone")),
                argumentSet("job template restartPolicy Always", cronJob("* * * * *", "Always"),
                        List.of("FieldValueNotSupported spec.jobTemplate.spec.template.spec.restartPolicy")));
    }

    @ParameterizedTest
    @MethodSource("validations")
    void validate(ObjectNode cronJob, List<String> expected) {
        strategy.prepareForCreate(cronJob);
        assertEquals(expected, strategy.validate(cronJob).stream().map(e -> e.reason() + " " + e.field()).toList());
    }
}
