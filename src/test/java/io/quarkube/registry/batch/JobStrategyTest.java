package io.quarkube.registry.batch;

import static io.quarkube.testing.TestJson.json;
import static io.quarkube.testing.TestJson.value;
import static io.quarkube.testing.TestPods.pod;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkube.json.Json;

class JobStrategyTest {

    private static final String UID = "0b6a4d43-7c3e-4e9e-9d1a-5f0e2c1a9b77";

    private final JobStrategy strategy = new JobStrategy();

    private static ObjectNode job(String restartPolicy) {
        ObjectNode job = json("{'kind':'Job','metadata':{'name':'pi','uid':'" + UID + "'},'spec':{}}");
        var template = pod("pi").container("pi", "perl:5.34");
        if (restartPolicy != null) {
            template.spec("restartPolicy", restartPolicy);
        }
        ((ObjectNode) job.get("spec")).set("template", template.buildTemplate());
        return job;
    }

    private ObjectNode created() {
        ObjectNode job = job("Never");
        strategy.prepareForCreate(job);
        return job;
    }

    static Stream<Arguments> createDefaults() {
        return Stream.of(
                argumentSet("completions", "/spec/completions", value("1")),
                argumentSet("parallelism", "/spec/parallelism", value("1")),
                argumentSet("backoff limit", "/spec/backoffLimit", value("6")),
                argumentSet("completion mode", "/spec/completionMode", value("'NonIndexed'")),
                argumentSet("suspend", "/spec/suspend", value("false")),
                argumentSet("pod replacement policy", "/spec/podReplacementPolicy", value("'TerminatingOrFailed'")),
                argumentSet("selector on the job's uid", "/spec/selector", value("{'matchLabels':{'batch.kubernetes.io/controller-uid':'" + UID + "'}}")),
                argumentSet("template labels", "/spec/template/metadata/labels", value("{'batch.kubernetes.io/controller-uid':'" + UID + "',"
                        + "'batch.kubernetes.io/job-name':'pi','controller-uid':'" + UID + "','job-name':'pi'}")),
                argumentSet("template defaulted", "/spec/template/spec/dnsPolicy", value("'ClusterFirst'")));
    }

    @ParameterizedTest
    @MethodSource("createDefaults")
    void prepareForCreate(String pointer, JsonNode expected) {
        assertEquals(expected, created().at(pointer));
    }

    @Test
    void parallelismWithoutCompletionsLeavesCompletionsUnset() {
        ObjectNode job = job("Never");
        Json.with(job, "spec").put("parallelism", 3);
        strategy.prepareForCreate(job);
        assertEquals(3, job.at("/spec/parallelism").asInt());
        assertTrue(job.at("/spec/completions").isMissingNode());
    }

    @Test
    void manualSelectorIsKept() {
        ObjectNode job = job("Never");
        Json.with(job, "spec").put("manualSelector", true).putObject("selector").putObject("matchLabels").put("app", "pi");
        strategy.prepareForCreate(job);
        assertEquals(value("{'matchLabels':{'app':'pi'}}"), job.at("/spec/selector"));
    }

    static Stream<Arguments> validations() {
        return Stream.of(
                argumentSet("Never", "Never", List.of()),
                argumentSet("OnFailure", "OnFailure", List.of()),
                argumentSet("Always refused", "Always", List.of("FieldValueNotSupported spec.template.spec.restartPolicy")),
                argumentSet("unset means Always, refused", null, List.of("FieldValueNotSupported spec.template.spec.restartPolicy")));
    }

    @ParameterizedTest
    @MethodSource("validations")
    void validate(String restartPolicy, List<String> expected) {
        ObjectNode job = job(restartPolicy);
        strategy.prepareForCreate(job);
        assertEquals(expected, strategy.validate(job).stream().map(e -> e.reason() + " " + e.field()).toList());
    }

    static Stream<Arguments> updates() {
        return Stream.of(
                argumentSet("nothing changed", change(job -> { }), List.of()),
                argumentSet("parallelism changed", change(job -> Json.with(job, "spec").put("parallelism", 4)), List.of()),
                argumentSet("image changed", change(job -> ((ObjectNode) job.at("/spec/template/spec/containers/0")).put("image", "perl:5.36")),
                        List.of("FieldValueInvalid spec.template")),
                argumentSet("template label added", change(job -> Json.with(job, "spec", "template", "metadata", "labels").put("x", "y")),
                        List.of("FieldValueInvalid spec.template")),
                argumentSet("selector changed", change(job -> Json.with(job, "spec", "selector", "matchLabels").put("x", "y")),
                        List.of("FieldValueInvalid spec.selector")));
    }

    @ParameterizedTest
    @MethodSource("updates")
    void validateUpdate(Consumer<ObjectNode> change, List<String> expected) {
        ObjectNode old = created();
        ObjectNode updated = old.deepCopy();
        change.accept(updated);
        strategy.prepareForUpdate(updated, old);
        assertEquals(expected, strategy.validateUpdate(updated, old).stream().map(e -> e.reason() + " " + e.field()).toList());
    }

    private static Consumer<ObjectNode> change(Consumer<ObjectNode> change) {
        return change;
    }
}
