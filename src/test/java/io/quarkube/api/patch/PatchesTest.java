package io.quarkube.api.patch;

import static io.quarkube.api.patch.Json.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;

import io.fabric8.kubernetes.api.model.Pod;

class PatchesTest {

    private static final String POD = "{'metadata':{'name':'p'},'spec':{'containers':[{'name':'a','image':'a:1'}]}}";

    static Stream<Arguments> patchTypes() {
        return Stream.of(
                argumentSet("JSON patch", PatchType.JSON_PATCH, "[{'op':'replace','path':'/spec/containers/0/image','value':'a:2'}]",
                        "{'metadata':{'name':'p'},'spec':{'containers':[{'name':'a','image':'a:2'}]}}"),
                argumentSet("merge patch replaces the container list", PatchType.MERGE_PATCH, "{'spec':{'containers':[{'name':'b'}]}}",
                        "{'metadata':{'name':'p'},'spec':{'containers':[{'name':'b'}]}}"),
                argumentSet("strategic merge patch merges the container list", PatchType.STRATEGIC_MERGE_PATCH, "{'spec':{'containers':[{'name':'b'}]}}",
                        "{'metadata':{'name':'p'},'spec':{'containers':[{'name':'b'},{'name':'a','image':'a:1'}]}}"));
    }

    @ParameterizedTest
    @MethodSource("patchTypes")
    void dispatchesOnThePatchType(PatchType type, String patch, String expected) {
        JsonNode original = json(POD);

        assertEquals(json(expected), Patches.apply(type, original, json(patch), Pod.class));
        assertEquals(json(POD), original);
    }

    @Test
    void answersServerSideApplyWithUnsupportedMediaType() {
        PatchException e = assertThrows(PatchException.class,
                () -> Patches.apply(PatchType.APPLY_PATCH, json(POD), json("{}"), Pod.class));

        assertEquals(415, e.status());
        assertTrue(e.getMessage().contains("415"), e.getMessage());
    }
}
