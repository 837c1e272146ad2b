package io.quarkube.registry.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkube.json.Json;

class EventConversionTest {

    private final EventConversion conversion = new EventConversion();

    private static ObjectNode json(String text) {
        return Json.parseObject(text.replace('\'', '"'));
    }

    static Stream<Arguments> storedAndServed() {
        return Stream.of(
                argumentSet("an event a controller recorded through core/v1",
                        json("{'apiVersion':'v1','kind':'Event','metadata':{'name':'web.1','namespace':'ns'},"
                                + "'involvedObject':{'kind':'Deployment','namespace':'ns','name':'web','uid':'u1','apiVersion':'apps/v1'},"
                                + "'reason':'ScalingReplicaSet','message':'Scaled up replica set web-1 from 0 to 2',"
                                + "'source':{'component':'deployment-controller'},'firstTimestamp':'2026-11-26T06:00:00Z',"
                                + "'lastTimestamp':'2026-11-26T06:01:00Z','count':3,'type':'Normal','action':'ScaleUp',"
                                + "'reportingComponent':'deployment-controller','reportingInstance':'cp-1'}"),
                        json("{'apiVersion':'events.k8s.io/v1','kind':'Event','metadata':{'name':'web.1','namespace':'ns'},"
                                + "'eventTime':null,'reportingController':'deployment-controller','reportingInstance':'cp-1',"
                                + "'action':'ScaleUp','reason':'ScalingReplicaSet',"
                                + "'regarding':{'kind':'Deployment','namespace':'ns','name':'web','uid':'u1','apiVersion':'apps/v1'},"
                                + "'note':'Scaled up replica set web-1 from 0 to 2','type':'Normal',"
                                + "'deprecatedSource':{'component':'deployment-controller'},"
                                + "'deprecatedFirstTimestamp':'2026-11-26T06:00:00Z','deprecatedLastTimestamp':'2026-11-26T06:01:00Z',"
                                + "'deprecatedCount':3}")),
                argumentSet("an event of the newer API with a series and a related object",
                        json("{'apiVersion':'v1','kind':'Event','metadata':{'name':'p.2','namespace':'ns'},"
                                + "'eventTime':'2026-11-26T06:00:00.123456Z','series':{'count':2,'lastObservedTime':'2026-11-26T06:02:00.000001Z'},"
                                + "'reportingComponent':'example.com/probe','reportingInstance':'probe-1','action':'Check','reason':'Unhealthy',"
                                + "'involvedObject':{'kind':'Pod','name':'p'},'related':{'kind':'Node','name':'n1'},"
                                + "'message':'probe failed','type':'Warning'}"),
                        json("{'apiVersion':'events.k8s.io/v1','kind':'Event','metadata':{'name':'p.2','namespace':'ns'},"
                                + "'eventTime':'2026-11-26T06:00:00.123456Z','series':{'count':2,'lastObservedTime':'2026-11-26T06:02:00.000001Z'},"
                                + "'reportingController':'example.com/probe','reportingInstance':'probe-1','action':'Check','reason':'Unhealthy',"
                                + "'regarding':{'kind':'Pod','name':'p'},'related':{'kind':'Node','name':'n1'},"
                                + "'note':'probe failed','type':'Warning'}")));
    }

    @ParameterizedTest
    @MethodSource("storedAndServed")
    void storedEventsAreServedWithTheNewerFieldNames(ObjectNode stored, ObjectNode served) {
        assertEquals(served, conversion.toServed(stored));
    }

    @ParameterizedTest
    @MethodSource("storedAndServed")
    void servedEventsAreStoredWithTheCoreFieldNames(ObjectNode stored, ObjectNode served) {
        ObjectNode expected = stored.deepCopy();
        if (!served.path("eventTime").isMissingNode() && served.get("eventTime").isNull()) {
            expected.putNull("eventTime");
        }
        assertEquals(expected, conversion.toStored(served));
    }

    @Test
    void anEventWithoutTheObjectItIsAboutGetsAnEmptyReferenceLikeKubeApiserverWrites() {
        ObjectNode served = json("{'apiVersion':'events.k8s.io/v1','kind':'Event','metadata':{'name':'x'},'reason':'R'}");

        assertEquals(json("{'apiVersion':'v1','kind':'Event','metadata':{'name':'x'},'reason':'R','involvedObject':{}}"),
                conversion.toStored(served));
        assertEquals(json("{'apiVersion':'events.k8s.io/v1','kind':'Event','metadata':{'name':'x'},'eventTime':null,'reason':'R','regarding':{}}"),
                conversion.toServed(json("{'apiVersion':'v1','kind':'Event','metadata':{'name':'x'},'reason':'R'}")));
    }

    @Test
    void conversionLeavesItsArgumentAlone() {
        ObjectNode stored = json("{'apiVersion':'v1','kind':'Event','metadata':{'name':'x'},'involvedObject':{'name':'p'}}");
        ObjectNode copy = stored.deepCopy();

        ((ObjectNode) conversion.toServed(stored).get("regarding")).put("name", "changed");

        assertEquals(copy, stored);
    }

    private static final String VALID = "{'apiVersion':'v1','kind':'Event','metadata':{'name':'p.1','namespace':'ns'},"
            + "'eventTime':'2026-11-26T06:00:00.000001Z','reportingComponent':'example.com/prober','reportingInstance':'prober-1',"
            + "'action':'Probe','reason':'Unhealthy','involvedObject':{'kind':'Pod','namespace':'ns','name':'p'},"
            + "'message':'failed','type':'Warning'}";

    private static ObjectNode valid(java.util.function.Consumer<ObjectNode> change) {
        ObjectNode event = json(VALID);
        change.accept(event);
        return event;
    }

    static Stream<Arguments> createRules() {
        return Stream.of(
                argumentSet("a complete event", valid(e -> { }), java.util.List.of()),
                argumentSet("no eventTime", valid(e -> e.remove("eventTime")), java.util.List.of("eventTime")),
                argumentSet("a type other than Normal or Warning", valid(e -> e.put("type", "Fatal")), java.util.List.of("type")),
                argumentSet("a series of one", valid(e -> e.putObject("series").put("count", 1).put("lastObservedTime", "2026-11-26T06:00:00.000001Z")),
                        java.util.List.of("series.count")),
                argumentSet("a series without its time", valid(e -> e.putObject("series").put("count", 2)), java.util.List.of("series.lastObservedTime")),
                argumentSet("deprecated fields set", valid(e -> e.put("count", 3).put("firstTimestamp", "2026-11-26T06:00:00Z")
                        .set("source", json("{'component':'kubelet'}"))), java.util.List.of("firstTimestamp", "count", "source")),
                argumentSet("no reporting controller, instance, action or reason",
                        valid(e -> e.remove(java.util.List.of("reportingComponent", "reportingInstance", "action", "reason"))),
                        java.util.List.of("reportingController", "reportingInstance", "action", "reason")),
                argumentSet("a reporting controller that is no qualified name", valid(e -> e.put("reportingComponent", "not a name!")),
                        java.util.List.of("reportingController")),
                argumentSet("a reason over 128 characters", valid(e -> e.put("reason", "R".repeat(129))), java.util.List.of("reason")),
                argumentSet("a note over 1024 characters", valid(e -> e.put("message", "n".repeat(1025))), java.util.List.of("message")),
                argumentSet("a cluster-scoped object's event outside default and kube-system",
                        valid(e -> ((ObjectNode) e.get("involvedObject")).remove("namespace")), java.util.List.of("involvedObject.namespace")),
                argumentSet("a cluster-scoped object's event in default",
                        valid(e -> {
                            ((ObjectNode) e.get("involvedObject")).remove("namespace");
                            ((ObjectNode) e.get("metadata")).put("namespace", "default");
                        }), java.util.List.of()));
    }

    @ParameterizedTest
    @MethodSource("createRules")
    void createsThroughTheNewerApiFollowItsStricterRules(ObjectNode stored, java.util.List<String> invalidFields) {
        assertEquals(invalidFields, conversion.validateCreate(stored).stream().map(io.quarkube.registry.FieldError::field).toList());
    }

    @Test
    void fieldLabelsOfTheNewerApiReadTheStoredFields() {
        ObjectNode stored = json("{'involvedObject':{'kind':'Pod','name':'p','namespace':'ns','uid':'u'},'reason':'Started',"
                + "'reportingComponent':'kubelet','type':'Normal'}");
        var fields = conversion.selectableFields();

        assertEquals("Pod", fields.get("regarding.kind").apply(stored));
        assertEquals("p", fields.get("regarding.name").apply(stored));
        assertEquals("u", fields.get("regarding.uid").apply(stored));
        assertEquals("kubelet", fields.get("reportingController").apply(stored));
        assertEquals("Started", fields.get("reason").apply(stored));
        assertEquals("Normal", fields.get("type").apply(stored));
    }
}
