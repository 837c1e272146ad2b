package io.quarkube.registry.pod;

import static io.quarkube.testing.TestJson.value;
import static io.quarkube.testing.TestPods.pod;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkube.json.Json;
import io.quarkube.testing.TestPods;

class PodStrategyTest {

    private static final String NOT_READY = "node.kubernetes.io/not-ready";
    private static final String UNREACHABLE = "node.kubernetes.io/unreachable";

    private final PodStrategy strategy = new PodStrategy();

    private ObjectNode created(TestPods.Builder builder) {
        ObjectNode pod = builder.build();
        strategy.prepareForCreate(pod);
        return pod;
    }

    static Stream<Arguments> createDefaults() {
        return Stream.of(
                argumentSet("service account", "/spec/serviceAccountName", value("'default'")),
                argumentSet("deprecated service account mirrors it", "/spec/serviceAccount", value("'default'")),
                argumentSet("service links", "/spec/enableServiceLinks", value("true")),
                argumentSet("preemption policy", "/spec/preemptionPolicy", value("'PreemptLowerPriority'")),
                argumentSet("priority", "/spec/priority", value("0")),
                argumentSet("pod spec defaults", "/spec/restartPolicy", value("'Always'")),
                argumentSet("phase", "/status/phase", value("'Pending'")));
    }

    @ParameterizedTest
    @MethodSource("createDefaults")
    void prepareForCreateDefaults(String pointer, JsonNode expected) {
        assertEquals(expected, created(pod("p").container("c", "nginx:1.25")).at(pointer));
    }

    @Test
    void prepareForCreateReplacesClientStatus() {
        ObjectNode pod = pod("p").container("c", "x:1").build();
        pod.putObject("status").put("phase", "Running").put("podIP", "10.0.0.9");
        strategy.prepareForCreate(pod);
        assertEquals(value("{'phase':'Pending','qosClass':'BestEffort'}"), pod.get("status"));
    }

    static Stream<Arguments> tolerations() {
        return Stream.of(
                argumentSet("none given: both added", pod("p").container("c", "x:1"), List.of(NOT_READY, UNREACHABLE)),
                argumentSet("unrelated toleration kept, both added",
                        pod("p").container("c", "x:1").toleration("gpu", "Exists", "NoSchedule"), List.of("gpu", NOT_READY, UNREACHABLE)),
                argumentSet("not-ready already tolerated",
                        pod("p").container("c", "x:1").toleration(NOT_READY, "Exists", "NoExecute"), List.of(NOT_READY, UNREACHABLE)),
                argumentSet("unreachable tolerated for every effect",
                        pod("p").container("c", "x:1").toleration(UNREACHABLE, "Exists", null), List.of(UNREACHABLE, NOT_READY)),
                argumentSet("same key but NoSchedule does not count",
                        pod("p").container("c", "x:1").toleration(NOT_READY, "Exists", "NoSchedule"), List.of(NOT_READY, NOT_READY, UNREACHABLE)),
                argumentSet("tolerates everything", pod("p").container("c", "x:1").toleration(null, "Exists", null), List.of("")));
    }

    @ParameterizedTest
    @MethodSource("tolerations")
    void defaultTolerationsAddedOnce(TestPods.Builder builder, List<String> keys) {
        ObjectNode pod = created(builder);
        assertEquals(keys, keysOf(pod.at("/spec/tolerations")));
        strategy.prepareForCreate(pod);
        assertEquals(keys, keysOf(pod.at("/spec/tolerations")), "a second pass adds nothing");
    }

    @Test
    void addedTolerationsLastFiveMinutes() {
        assertEquals(value("{'key':'" + NOT_READY + "','operator':'Exists','effect':'NoExecute','tolerationSeconds':300}"),
                created(pod("p").container("c", "x:1")).at("/spec/tolerations/0"));
    }

    private static List<String> keysOf(JsonNode tolerations) {
        List<String> keys = new ArrayList<>();
        tolerations.forEach(t -> keys.add(t.path("key").asText("")));
        return keys;
    }

    static Stream<Arguments> qosClasses() {
        return Stream.of(
                argumentSet("nothing set", pod("p").container("c", "x:1"), "BestEffort"),
                argumentSet("requests only", pod("p").container("c", "x:1").requests("100m", "1Gi"), "Burstable"),
                argumentSet("cpu request only", pod("p").container("c", "x:1").requests("100m", null), "Burstable"),
                argumentSet("equal requests and limits", pod("p").container("c", "x:1").requests("100m", "1Gi").limits("100m", "1Gi"), "Guaranteed"),
                argumentSet("limits only", pod("p").container("c", "x:1").limits("1", "1Gi"), "Guaranteed"),
                argumentSet("memory limit only", pod("p").container("c", "x:1").limits(null, "1Gi"), "Burstable"),
                argumentSet("requests below limits", pod("p").container("c", "x:1").requests("100m", "1Gi").limits("200m", "1Gi"), "Burstable"),
                argumentSet("equal quantities written differently",
                        pod("p").container("c", "x:1").requests("1", "1Gi").limits("1000m", "1024Mi"), "Guaranteed"),
                argumentSet("one guaranteed container, one best effort",
                        pod("p").container("a", "x:1").limits("1", "1Gi").container("b", "x:1"), "Burstable"),
                argumentSet("init container without limits",
                        pod("p").initContainer("i", "x:1").requests("1", null).container("c", "x:1").limits("1", "1Gi"), "Burstable"),
                argumentSet("zero requests count as none", pod("p").container("c", "x:1").requests("0", "0"), "BestEffort"),
                argumentSet("only resources other than cpu and memory",
                        pod("p").container("c", "x:1").containerField("resources", value("{'requests':{'ephemeral-storage':'1Gi'}}")),
                        "BestEffort"));
    }

    @ParameterizedTest
    @MethodSource("qosClasses")
    void qosClass(TestPods.Builder builder, String expected) {
        assertEquals(expected, created(builder).at("/status/qosClass").asText());
    }

    @Test
    void limitsWithoutRequestsDefaultTheRequests() {
        ObjectNode pod = created(pod("p").container("c", "x:1").limits("1", "1Gi").requests(null, "512Mi"));
        assertEquals(value("{'cpu':'1','memory':'512Mi'}"), pod.at("/spec/containers/0/resources/requests"));
    }

    static Stream<Arguments> validations() {
        return Stream.of(
                argumentSet("valid", pod("p").container("c", "x:1"), List.of()),
                argumentSet("missing containers", pod("p"), List.of("spec.containers")),
                argumentSet("missing image", pod("p").container("c", null), List.of("spec.containers[0].image")),
                argumentSet("duplicate names", pod("p").container("c", "x:1").container("c", "y:1"), List.of("spec.containers[1].name")),
                argumentSet("bad restartPolicy", pod("p").container("c", "x:1").spec("restartPolicy", "Sometimes"), List.of("spec.restartPolicy")));
    }

    @ParameterizedTest
    @MethodSource("validations")
    void validate(TestPods.Builder builder, List<String> fields) {
        assertEquals(fields, strategy.validate(created(builder)).stream().map(e -> e.field()).toList());
    }

    static Stream<Arguments> updates() {
        return Stream.of(
                argumentSet("nothing changed", change(pod -> { }), List.of()),
                argumentSet("image changed", change(pod -> container(pod, 0).put("image", "nginx:1.27")), List.of()),
                argumentSet("init container image changed", change(pod -> ((ObjectNode) pod.at("/spec/initContainers/0")).put("image", "busybox:2")),
                        List.of()),
                argumentSet("activeDeadlineSeconds set", change(pod -> spec(pod).put("activeDeadlineSeconds", 60)), List.of()),
                argumentSet("toleration added", change(pod -> tolerations(pod).addObject().put("key", "gpu").put("operator", "Exists")), List.of()),
                argumentSet("own toleration removed", change(pod -> tolerations(pod).remove(0)), List.of("FieldValueForbidden spec")),
                argumentSet("default tolerations left out, as in a replaced manifest", change(pod -> {
                    ArrayNode own = Json.MAPPER.createArrayNode().add(tolerations(pod).get(0));
                    spec(pod).set("tolerations", own);
                }), List.of()),
                argumentSet("API defaults left out, as in a replaced manifest", change(pod -> {
                    spec(pod).remove(List.of("restartPolicy", "dnsPolicy", "schedulerName", "terminationGracePeriodSeconds"));
                    container(pod, 0).remove(List.of("imagePullPolicy", "terminationMessagePath"));
                }), List.of()),
                argumentSet("container added", change(pod -> ((ArrayNode) spec(pod).get("containers")).addObject().put("name", "d").put("image", "x")),
                        List.of("FieldValueForbidden spec")),
                argumentSet("restartPolicy changed", change(pod -> spec(pod).put("restartPolicy", "Never")), List.of("FieldValueForbidden spec")),
                argumentSet("resources changed", change(pod -> Json.with(container(pod, 0), "resources", "limits").put("cpu", "2")),
                        List.of("FieldValueForbidden spec")),
                argumentSet("nodeName set", change(pod -> spec(pod).put("nodeName", "n1")), List.of("FieldValueForbidden spec")),
                argumentSet("image removed", change(pod -> container(pod, 0).remove("image")), List.of("FieldValueRequired spec.containers[0].image")));
    }

    @ParameterizedTest
    @MethodSource("updates")
    void validateUpdate(Consumer<ObjectNode> change, List<String> expected) {
        ObjectNode old = created(pod("p").initContainer("init", "busybox:1").container("c", "nginx:1.25").requests("100m", "1Gi")
                .toleration("gpu", "Exists", "NoSchedule"));
        ObjectNode updated = old.deepCopy();
        change.accept(updated);
        strategy.prepareForUpdate(updated, old);
        assertEquals(expected, strategy.validateUpdate(updated, old).stream().map(e -> e.reason() + " " + e.field()).toList());
    }

    private static Consumer<ObjectNode> change(Consumer<ObjectNode> change) {
        return change;
    }

    private static ObjectNode spec(ObjectNode pod) {
        return (ObjectNode) pod.get("spec");
    }

    private static ObjectNode container(ObjectNode pod, int index) {
        return (ObjectNode) pod.at("/spec/containers/" + index);
    }

    private static ArrayNode tolerations(ObjectNode pod) {
        return (ArrayNode) pod.at("/spec/tolerations");
    }

    @Test
    void selectableFields() {
        ObjectNode pod = created(pod("p").container("c", "x:1").spec("nodeName", "n1"));
        assertEquals("n1", strategy.selectableFields().get("spec.nodeName").apply(pod));
        assertEquals("Pending", strategy.selectableFields().get("status.phase").apply(pod));
        assertEquals("false", strategy.selectableFields().get("spec.hostNetwork").apply(pod));
    }
}
