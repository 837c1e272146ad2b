package io.quarkube.registry.apps;

import static io.quarkube.testing.TestJson.json;
import static io.quarkube.testing.TestJson.value;
import static io.quarkube.testing.TestPods.pod;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
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

class WorkloadStrategyTest {

    /** A workload selecting app=web whose template carries the given labels. */
    private static ObjectNode workload(String kind, String selector, String... labels) {
        var template = pod("web").container("web", "nginx:1.25");
        for (int i = 0; i < labels.length; i += 2) {
            template.label(labels[i], labels[i + 1]);
        }
        ObjectNode object = json("{'kind':'" + kind + "','metadata':{'name':'web'},'spec':{'selector':" + selector + "}}");
        ((ObjectNode) object.get("spec")).set("template", template.buildTemplate());
        return object;
    }

    private static ObjectNode created(WorkloadStrategy strategy, String kind) {
        ObjectNode object = workload(kind, "{'matchLabels':{'app':'web'}}", "app", "web");
        strategy.prepareForCreate(object);
        return object;
    }

    static Stream<Arguments> createDefaults() {
        return Stream.of(
                argumentSet("deployment replicas", WorkloadStrategy.deployment(), "/spec/replicas", value("1")),
                argumentSet("deployment strategy", WorkloadStrategy.deployment(), "/spec/strategy",
                        value("{'type':'RollingUpdate','rollingUpdate':{'maxSurge':'25%','maxUnavailable':'25%'}}")),
                argumentSet("deployment history", WorkloadStrategy.deployment(), "/spec/revisionHistoryLimit", value("10")),
                argumentSet("deployment progress deadline", WorkloadStrategy.deployment(), "/spec/progressDeadlineSeconds", value("600")),
                argumentSet("deployment template defaulted", WorkloadStrategy.deployment(), "/spec/template/spec/restartPolicy", value("'Always'")),
                argumentSet("replica set replicas", WorkloadStrategy.replicaSet(), "/spec/replicas", value("1")),
                argumentSet("replica set template defaulted", WorkloadStrategy.replicaSet(), "/spec/template/spec/containers/0/imagePullPolicy",
                        value("'IfNotPresent'")),
                argumentSet("stateful set replicas", WorkloadStrategy.statefulSet(), "/spec/replicas", value("1")),
                argumentSet("stateful set pod management", WorkloadStrategy.statefulSet(), "/spec/podManagementPolicy", value("'OrderedReady'")),
                argumentSet("stateful set update strategy", WorkloadStrategy.statefulSet(), "/spec/updateStrategy",
                        value("{'type':'RollingUpdate','rollingUpdate':{'partition':0}}")),
                argumentSet("stateful set PVC retention", WorkloadStrategy.statefulSet(), "/spec/persistentVolumeClaimRetentionPolicy",
                        value("{'whenDeleted':'Retain','whenScaled':'Retain'}")),
                argumentSet("daemon set has no replicas", WorkloadStrategy.daemonSet(), "/spec/replicas", value("null")),
                argumentSet("daemon set update strategy", WorkloadStrategy.daemonSet(), "/spec/updateStrategy",
                        value("{'type':'RollingUpdate','rollingUpdate':{'maxUnavailable':1,'maxSurge':0}}")),
                argumentSet("daemon set history", WorkloadStrategy.daemonSet(), "/spec/revisionHistoryLimit", value("10")));
    }

    @ParameterizedTest
    @MethodSource("createDefaults")
    void prepareForCreate(WorkloadStrategy strategy, String pointer, JsonNode expected) {
        JsonNode actual = created(strategy, "Workload").at(pointer);
        assertEquals(expected, actual.isMissingNode() ? value("null") : actual);
    }

    @Test
    void recreateDeploymentsGetNoRollingParameters() {
        ObjectNode deployment = workload("Deployment", "{'matchLabels':{'app':'web'}}", "app", "web");
        Json.with(deployment, "spec", "strategy").put("type", "Recreate");
        WorkloadStrategy.deployment().prepareForCreate(deployment);
        assertEquals(value("{'type':'Recreate'}"), deployment.at("/spec/strategy"));
    }

    @Test
    void prepareForCreateDropsStatusAndGivenValuesStay() {
        ObjectNode deployment = workload("Deployment", "{'matchLabels':{'app':'web'}}", "app", "web");
        Json.with(deployment, "spec").put("replicas", 0);
        deployment.putObject("status").put("replicas", 3);
        WorkloadStrategy.deployment().prepareForCreate(deployment);
        assertEquals(0, deployment.at("/spec/replicas").asInt());
        assertFalse(deployment.has("status"));
    }

    static Stream<Arguments> validations() {
        String[] web = {"app", "web"};
        return Stream.of(
                argumentSet("matching labels", workload("Deployment", "{'matchLabels':{'app':'web'}}", web), List.of()),
                argumentSet("selector subset of labels", workload("Deployment", "{'matchLabels':{'app':'web'}}", "app", "web", "tier", "fe"), List.of()),
                argumentSet("missing selector", workload("Deployment", "null", web), List.of("FieldValueRequired spec.selector")),
                argumentSet("empty selector", workload("Deployment", "{}", web), List.of("FieldValueRequired spec.selector")),
                argumentSet("selector does not match", workload("Deployment", "{'matchLabels':{'app':'api'}}", web),
                        List.of("FieldValueInvalid spec.template.metadata.labels")),
                argumentSet("template without labels", workload("Deployment", "{'matchLabels':{'app':'web'}}"),
                        List.of("FieldValueInvalid spec.template.metadata.labels")),
                argumentSet("matchExpressions In", workload("Deployment",
                        "{'matchExpressions':[{'key':'app','operator':'In','values':['web','api']}]}", web), List.of()),
                argumentSet("matchExpressions NotIn excluding the label", workload("Deployment",
                        "{'matchExpressions':[{'key':'app','operator':'NotIn','values':['web']}]}", web),
                        List.of("FieldValueInvalid spec.template.metadata.labels")),
                argumentSet("matchExpressions Exists", workload("Deployment",
                        "{'matchExpressions':[{'key':'app','operator':'Exists'}]}", web), List.of()),
                argumentSet("matchExpressions DoesNotExist", workload("Deployment",
                        "{'matchLabels':{'app':'web'},'matchExpressions':[{'key':'canary','operator':'DoesNotExist'}]}", web), List.of()),
                argumentSet("matchExpressions with an unknown operator", workload("Deployment",
                        "{'matchExpressions':[{'key':'app','operator':'Near','values':['web']}]}", web),
                        List.of("FieldValueInvalid spec.template.metadata.labels")),
                argumentSet("negative replicas", withReplicas(workload("Deployment", "{'matchLabels':{'app':'web'}}", web), -1),
                        List.of("FieldValueInvalid spec.replicas")),
                argumentSet("template without containers", withoutContainers(workload("Deployment", "{'matchLabels':{'app':'web'}}", web)),
                        List.of("FieldValueRequired spec.template.spec.containers")));
    }

    private static ObjectNode withReplicas(ObjectNode workload, int replicas) {
        Json.with(workload, "spec").put("replicas", replicas);
        return workload;
    }

    private static ObjectNode withoutContainers(ObjectNode workload) {
        Json.with(workload, "spec", "template", "spec").remove("containers");
        return workload;
    }

    @ParameterizedTest
    @MethodSource("validations")
    void validate(ObjectNode deployment, List<String> expected) {
        assertEquals(expected, WorkloadStrategy.deployment().validate(deployment).stream().map(e -> e.reason() + " " + e.field()).toList());
    }

    static Stream<Arguments> strategies() {
        return Stream.of(
                argumentSet("deployment", WorkloadStrategy.deployment()),
                argumentSet("replica set", WorkloadStrategy.replicaSet()),
                argumentSet("stateful set", WorkloadStrategy.statefulSet()),
                argumentSet("daemon set", WorkloadStrategy.daemonSet()));
    }

    @ParameterizedTest
    @MethodSource("strategies")
    void selectorIsImmutable(WorkloadStrategy strategy) {
        ObjectNode old = created(strategy, "Workload");
        ObjectNode updated = workload("Workload", "{'matchLabels':{'app':'web','tier':'fe'}}", "app", "web", "tier", "fe");
        strategy.prepareForUpdate(updated, old);
        assertEquals(List.of("FieldValueInvalid spec.selector"),
                strategy.validateUpdate(updated, old).stream().map(e -> e.reason() + " " + e.field()).toList());
    }

    @ParameterizedTest
    @MethodSource("strategies")
    void templateMayChange(WorkloadStrategy strategy) {
        ObjectNode old = created(strategy, "Workload");
        ObjectNode updated = workload("Workload", "{'matchLabels':{'app':'web'}}", "app", "web", "version", "2");
        strategy.prepareForUpdate(updated, old);
        assertEquals(List.of(), strategy.validateUpdate(updated, old));
        assertTrue(strategy.tracksGeneration());
    }
}
