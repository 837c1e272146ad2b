package io.quarkube.api.openapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

class GnosticV2EncoderTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void encodesDocumentFieldsWithGnosticFieldNumbers() throws Exception {
        JsonNode swagger = MAPPER.readTree("""
                {"swagger":"2.0","info":{"title":"Kubernetes","version":"unversioned"},
                 "paths":{"/api/v1/pods":{"get":{"operationId":"listCoreV1PodForAllNamespaces",
                   "x-kubernetes-group-version-kind":{"group":"","kind":"Pod","version":"v1"}}}},
                 "definitions":{"io.k8s.api.core.v1.Pod":{"type":"object"}}}
                """);
        WireMessage document = WireMessage.parse(GnosticV2Encoder.encode(swagger));
        assertEquals("2.0", document.string(1));
        assertEquals("Kubernetes", document.message(2).string(1));
        WireMessage path = document.message(8).message(2);
        assertEquals("/api/v1/pods", path.string(1));
        WireMessage get = path.message(2).message(2);
        assertEquals("listCoreV1PodForAllNamespaces", get.string(5));
        WireMessage extension = get.message(13);
        assertEquals("x-kubernetes-group-version-kind", extension.string(1));
        assertEquals(MAPPER.readTree("{\"group\":\"\",\"kind\":\"Pod\",\"version\":\"v1\"}"),
                MAPPER.readTree(extension.message(2).string(2)));
        WireMessage definition = document.message(9).message(1);
        assertEquals("io.k8s.api.core.v1.Pod", definition.string(1));
        assertEquals("object", definition.message(2).message(22).string(1));
    }

    @Test
    void roundTripsSchemasWithRefsItemsMapsAndRequired() throws Exception {
        JsonNode swagger = MAPPER.readTree("""
                {"swagger":"2.0","info":{"title":"t","version":"v"},"paths":{},
                 "definitions":{"A":{"type":"object","required":["name"],"properties":{
                   "name":{"type":"string"},
                   "b":{"$ref":"#/definitions/B"},
                   "list":{"type":"array","items":{"$ref":"#/definitions/B"},
                           "x-kubernetes-patch-merge-key":"name","x-kubernetes-patch-strategy":"merge"},
                   "map":{"type":"object","additionalProperties":{"type":"integer","format":"int32"}}}},
                   "B":{"type":"string","format":"int-or-string","x-kubernetes-int-or-string":true}}}
                """);
        assertEquals(swagger.get("definitions"), GnosticV2Decoder.decode(GnosticV2Encoder.encode(swagger)).get("definitions"));
    }

    @Test
    void refusesWhatItCannotEncode() throws Exception {
        JsonNode swagger = MAPPER.readTree("{\"definitions\":{\"A\":{\"allOf\":[{\"$ref\":\"#/definitions/B\"}]}}}");
        assertThrows(IllegalArgumentException.class, () -> GnosticV2Encoder.encode(swagger));
    }
}
