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
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ArrayNode;

class JsonPatchApplierTest {

    private static final String DEPLOYMENT = "{'metadata':{'name':'web','annotations':{'a':'1'}},'spec':{'replicas':1,'template':{'spec':{'containers':[{'name':'c','image':'nginx:1'}]}}}}";

    static Stream<Arguments> patches() {
        return Stream.of(
                argumentSet("add a key", "[{'op':'add','path':'/metadata/labels','value':{'app':'web'}}]",
                        "{'metadata':{'name':'web','annotations':{'a':'1'},'labels':{'app':'web'}},'spec':{'replicas':1,'template':{'spec':{'containers':[{'name':'c','image':'nginx:1'}]}}}}"),
                argumentSet("add to the end of a list", "[{'op':'add','path':'/spec/template/spec/containers/-','value':{'name':'d'}}]",
                        "{'metadata':{'name':'web','annotations':{'a':'1'}},'spec':{'replicas':1,'template':{'spec':{'containers':[{'name':'c','image':'nginx:1'},{'name':'d'}]}}}}"),
                argumentSet("replace a value", "[{'op':'replace','path':'/spec/replicas','value':3}]",
                        "{'metadata':{'name':'web','annotations':{'a':'1'}},'spec':{'replicas':3,'template':{'spec':{'containers':[{'name':'c','image':'nginx:1'}]}}}}"),
                argumentSet("rollout undo replaces the template and an annotation",
                        "[{'op':'replace','path':'/spec/template','value':{'spec':{'containers':[{'name':'c','image':'nginx:0'}]}}},"
                                + "{'op':'replace','path':'/metadata/annotations','value':{'b':'2'}}]",
                        "{'metadata':{'name':'web','annotations':{'b':'2'}},'spec':{'replicas':1,'template':{'spec':{'containers':[{'name':'c','image':'nginx:0'}]}}}}"),
                argumentSet("remove a key", "[{'op':'remove','path':'/metadata/annotations/a'}]",
                        "{'metadata':{'name':'web','annotations':{}},'spec':{'replicas':1,'template':{'spec':{'containers':[{'name':'c','image':'nginx:1'}]}}}}"),
                argumentSet("a passing test then a change", "[{'op':'test','path':'/spec/replicas','value':1},{'op':'replace','path':'/spec/replicas','value':2}]",
                        "{'metadata':{'name':'web','annotations':{'a':'1'}},'spec':{'replicas':2,'template':{'spec':{'containers':[{'name':'c','image':'nginx:1'}]}}}}"));
    }

    @ParameterizedTest
    @MethodSource("patches")
    void appliesOperations(String patch, String expected) {
        assertEquals(json(expected), JsonPatchApplier.apply(json(DEPLOYMENT), json(patch)));
    }

    static Stream<Arguments> failures() {
        return Stream.of(
                argumentSet("a failing test", "[{'op':'test','path':'/spec/replicas','value':5}]", 422),
                argumentSet("a test on a missing path", "[{'op':'test','path':'/spec/paused','value':true}]", 422),
                argumentSet("remove a missing key", "[{'op':'remove','path':'/metadata/labels'}]", 422),
                argumentSet("remove past the end of a list", "[{'op':'remove','path':'/spec/template/spec/containers/5'}]", 422),
                argumentSet("replace a missing key", "[{'op':'replace','path':'/spec/paused','value':true}]", 422),
                argumentSet("add under a missing parent", "[{'op':'add','path':'/status/conditions/0','value':{}}]", 422),
                argumentSet("an unknown operation", "[{'op':'frobnicate','path':'/spec'}]", 422),
                argumentSet("a patch that is not a list", "{'op':'add','path':'/a','value':1}", 400),
                argumentSet("an operation that is not an object", "['add']", 400));
    }

    @ParameterizedTest
    @MethodSource("failures")
    void rejectsPatchesThatDoNotApply(String patch, int status) {
        PatchException e = assertThrows(PatchException.class, () -> JsonPatchApplier.apply(json(DEPLOYMENT), json(patch)));

        assertEquals(status, e.status(), e.getMessage());
    }

    @Test
    void refusesMoreOperationsThanKubeApiserverAllows() {
        ArrayNode patch = JsonNodeFactory.instance.arrayNode();
        for (int i = 0; i <= JsonPatchApplier.MAX_OPERATIONS; i++) {
            patch.add(json("{'op':'test','path':'/spec/replicas','value':1}"));
        }

        PatchException e = assertThrows(PatchException.class, () -> JsonPatchApplier.apply(json(DEPLOYMENT), patch));

        assertEquals(413, e.status());
    }

    @Test
    void leavesTheOriginalUnchanged() {
        JsonNode original = json(DEPLOYMENT);

        JsonPatchApplier.apply(original, json("[{'op':'remove','path':'/spec'}]"));

        assertEquals(json(DEPLOYMENT), original);
    }
}
