package io.quarkube.api.patch;

import static io.quarkube.api.patch.Json.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;

class MergePatchApplierTest {

    static Stream<Arguments> patches() {
        return Stream.of(
                argumentSet("kubectl label adds a label", "{'metadata':{'name':'p','labels':{'a':'1'}}}",
                        "{'metadata':{'labels':{'b':'2'}}}", "{'metadata':{'name':'p','labels':{'a':'1','b':'2'}}}"),
                argumentSet("null deletes a key", "{'metadata':{'name':'p','labels':{'a':'1'}}}",
                        "{'metadata':{'labels':{'a':null}}}", "{'metadata':{'name':'p','labels':{}}}"),
                argumentSet("null for an absent key changes nothing", "{'metadata':{'name':'p'}}",
                        "{'metadata':{'labels':null}}", "{'metadata':{'name':'p'}}"),
                argumentSet("lists are replaced whole", "{'spec':{'containers':[{'name':'a'},{'name':'b'}]}}",
                        "{'spec':{'containers':[{'name':'c'}]}}", "{'spec':{'containers':[{'name':'c'}]}}"),
                argumentSet("kubectl scale sets replicas", "{'spec':{'replicas':1},'status':{'replicas':1}}",
                        "{'spec':{'replicas':5}}", "{'spec':{'replicas':5},'status':{'replicas':1}}"),
                argumentSet("an object replaces a scalar, and its nulls are dropped", "{'spec':'x'}",
                        "{'spec':{'a':1,'b':null}}", "{'spec':{'a':1}}"));
    }

    @ParameterizedTest
    @MethodSource("patches")
    void mergesPerRfc7386(String original, String patch, String expected) {
        assertEquals(json(expected), MergePatchApplier.apply(json(original), json(patch)));
    }

    @Test
    void rejectsAPatchThatIsNotAnObject() {
        PatchException e = assertThrows(PatchException.class, () -> MergePatchApplier.apply(json("{}"), json("[1]")));

        assertEquals(400, e.status());
    }

    @Test
    void leavesTheOriginalUnchanged() {
        JsonNode original = json("{'metadata':{'labels':{'a':'1'}}}");

        MergePatchApplier.apply(original, json("{'metadata':{'labels':{'a':null}}}"));

        assertEquals(json("{'metadata':{'labels':{'a':'1'}}}"), original);
    }
}
