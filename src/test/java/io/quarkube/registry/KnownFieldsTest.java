package io.quarkube.registry;

import static io.quarkube.testing.TestJson.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;

class KnownFieldsTest {

    static Stream<Arguments> cases() {
        return Stream.of(
                argumentSet("known fields kept", Pod.class,
                        "{'apiVersion':'v1','kind':'Pod','metadata':{'name':'p','labels':{'a':'b'}},'spec':{'containers':[{'name':'c','image':'x',"
                                + "'ports':[{'containerPort':80}]}]},'status':{'phase':'Pending'}}",
                        List.of(), "{'apiVersion':'v1','kind':'Pod','metadata':{'name':'p','labels':{'a':'b'}},'spec':{'containers':[{'name':'c',"
                                + "'image':'x','ports':[{'containerPort':80}]}]},'status':{'phase':'Pending'}}"),
                argumentSet("top-level field", Pod.class, "{'kind':'Pod','colour':'blue'}", List.of("colour"), "{'kind':'Pod'}"),
                argumentSet("field of spec", Pod.class, "{'spec':{'containers':[],'replicas':3}}", List.of("spec.replicas"), "{'spec':{'containers':[]}}"),
                argumentSet("field inside a list element", Pod.class,
                        "{'spec':{'containers':[{'name':'a'},{'name':'b','imagePolicy':'x'}]}}",
                        List.of("spec.containers[1].imagePolicy"), "{'spec':{'containers':[{'name':'a'},{'name':'b'}]}}"),
                argumentSet("field deep in lists", Pod.class,
                        "{'spec':{'containers':[{'name':'a','env':[{'name':'E','valu':'1'}]}]}}",
                        List.of("spec.containers[0].env[0].valu"), "{'spec':{'containers':[{'name':'a','env':[{'name':'E'}]}]}}"),
                argumentSet("several unknown fields", Pod.class, "{'x':1,'metadata':{'y':2}}", List.of("x", "metadata.y"), "{'metadata':{}}"),
                argumentSet("field inside a map value", CustomResourceDefinition.class,
                        "{'spec':{'versions':[{'name':'v1','schema':{'openAPIV3Schema':{'properties':{'spec':{'type':'object','typo':true}}}}}]}}",
                        List.of("spec.versions[0].schema.openAPIV3Schema.properties[spec].typo"),
                        "{'spec':{'versions':[{'name':'v1','schema':{'openAPIV3Schema':{'properties':{'spec':{'type':'object'}}}}}]}}"),
                argumentSet("map keys are not fields", Pod.class, "{'metadata':{'annotations':{'anything':'goes'}}}", List.of(),
                        "{'metadata':{'annotations':{'anything':'goes'}}}"),
                argumentSet("quantities untouched", Pod.class,
                        "{'spec':{'containers':[{'name':'c','resources':{'limits':{'cpu':'1','memory':2048}}}],'overhead':{'cpu':'10m'}}}", List.of(),
                        "{'spec':{'containers':[{'name':'c','resources':{'limits':{'cpu':'1','memory':2048}}}],'overhead':{'cpu':'10m'}}}"),
                argumentSet("int-or-string as number and name", Service.class,
                        "{'spec':{'ports':[{'port':80,'targetPort':8080},{'port':443,'targetPort':'https'}]}}", List.of(),
                        "{'spec':{'ports':[{'port':80,'targetPort':8080},{'port':443,'targetPort':'https'}]}}"),
                argumentSet("int-or-string percentages", Deployment.class,
                        "{'spec':{'strategy':{'rollingUpdate':{'maxSurge':'25%','maxUnavailable':1}}}}", List.of(),
                        "{'spec':{'strategy':{'rollingUpdate':{'maxSurge':'25%','maxUnavailable':1}}}}"),
                argumentSet("micro times as strings", io.fabric8.kubernetes.api.model.events.v1.Event.class,
                        "{'eventTime':'2026-11-26T06:00:00.250000Z','series':{'count':2,'lastObservedTime':'2026-11-26T06:01:00.000001Z'}}",
                        List.of(), "{'eventTime':'2026-11-26T06:00:00.250000Z','series':{'count':2,'lastObservedTime':'2026-11-26T06:01:00.000001Z'}}"),
                argumentSet("null values kept", Pod.class, "{'spec':null,'metadata':{'labels':null}}", List.of(),
                        "{'spec':null,'metadata':{'labels':null}}"));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void prune(Class<?> model, String object, List<String> unknown, String pruned) {
        ObjectNode node = json(object);
        assertEquals(unknown, KnownFields.prune(node, model));
        assertEquals(json(pruned), node);
    }

    static Stream<Arguments> mismatches() {
        return Stream.of(
                argumentSet("string for an int32", Deployment.class, "{'spec':{'replicas':'three'}}",
                        "json: cannot unmarshal string into Go struct field spec.replicas of type int32"),
                argumentSet("fraction for an int32", Deployment.class, "{'spec':{'replicas':1.5}}",
                        "json: cannot unmarshal number into Go struct field spec.replicas of type int32"),
                argumentSet("number for a string", Pod.class, "{'metadata':{'labels':{'version':1}}}",
                        "json: cannot unmarshal number into Go struct field metadata.labels[version] of type string"),
                argumentSet("object for a list", Pod.class, "{'spec':{'containers':{'name':'c'}}}",
                        "json: cannot unmarshal object into Go struct field spec.containers of type array"),
                argumentSet("string for a bool", Pod.class, "{'spec':{'hostNetwork':'yes'}}",
                        "json: cannot unmarshal string into Go struct field spec.hostNetwork of type bool"),
                argumentSet("array for an object", Pod.class, "{'spec':[]}",
                        "json: cannot unmarshal array into Go struct field spec of type object"),
                argumentSet("number for a micro time", io.fabric8.kubernetes.api.model.Event.class, "{'eventTime':1764136800}",
                        "json: cannot unmarshal number into Go struct field eventTime of type metav1.MicroTime"),
                argumentSet("bool for an int-or-string", Service.class, "{'spec':{'ports':[{'port':80,'targetPort':true}]}}",
                        "json: cannot unmarshal bool into Go struct field spec.ports[0].targetPort of type intstr.IntOrString"));
    }

    @ParameterizedTest
    @MethodSource("mismatches")
    void typeMismatch(Class<?> model, String object, String message) {
        KnownFields.FieldTypeMismatch mismatch = org.junit.jupiter.api.Assertions.assertThrows(KnownFields.FieldTypeMismatch.class,
                () -> KnownFields.prune(json(object), model));
        assertEquals(message, mismatch.getMessage());
    }
}
