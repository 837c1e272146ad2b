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
