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

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;

class StrategicMergePatchApplierTest {

    static Stream<Arguments> merges() {
        return Stream.of(
                argumentSet("maps merge and keep fields the patch does not mention", Pod.class,
                        "{'metadata':{'name':'p','labels':{'a':'1'}},'spec':{'nodeName':'n1'}}",
                        "{'metadata':{'labels':{'b':'2'}}}",
                        "{'metadata':{'name':'p','labels':{'a':'1','b':'2'}},'spec':{'nodeName':'n1'}}"),
                argumentSet("null deletes a key", Pod.class,
                        "{'metadata':{'labels':{'a':'1','b':'2'}},'spec':{'nodeName':'n1'}}",
                        "{'metadata':{'labels':{'a':null}},'spec':{'nodeName':null}}",
                        "{'metadata':{'labels':{'b':'2'}},'spec':{}}"),
                argumentSet("null for an absent key is dropped", Pod.class,
                        "{'metadata':{'name':'p'}}",
                        "{'metadata':{'labels':{'a':null,'b':'2'}}}",
                        "{'metadata':{'name':'p','labels':{'b':'2'}}}"),
                argumentSet("containers merge by name, new ones go first", Pod.class,
                        "{'spec':{'containers':[{'name':'a','image':'a:1'},{'name':'b','image':'b:1'}]}}",
                        "{'spec':{'containers':[{'name':'b','image':'b:2'},{'name':'c','image':'c:1'}]}}",
                        "{'spec':{'containers':[{'name':'a','image':'a:1'},{'name':'b','image':'b:2'},{'name':'c','image':'c:1'}]}}"),
                argumentSet("a new container goes before the server-only ones", Pod.class,
                        "{'spec':{'containers':[{'name':'a','image':'a:1'}]}}",
                        "{'spec':{'containers':[{'name':'z','image':'z:1'}]}}",
                        "{'spec':{'containers':[{'name':'z','image':'z:1'},{'name':'a','image':'a:1'}]}}"),
                argumentSet("env merges by name inside a merged container", Pod.class,
                        "{'spec':{'containers':[{'name':'c','env':[{'name':'A','value':'1'},{'name':'B','value':'2'}]}]}}",
                        "{'spec':{'containers':[{'name':'c','env':[{'name':'B','value':'3'}]}]}}",
                        "{'spec':{'containers':[{'name':'c','env':[{'name':'A','value':'1'},{'name':'B','value':'3'}]}]}}"),
                argumentSet("ports merge by containerPort", Pod.class,
                        "{'spec':{'containers':[{'name':'c','ports':[{'containerPort':80,'name':'http'},{'containerPort':443}]}]}}",
                        "{'spec':{'containers':[{'name':'c','ports':[{'containerPort':80,'protocol':'TCP'}]}]}}",
                        "{'spec':{'containers':[{'name':'c','ports':[{'containerPort':80,'name':'http','protocol':'TCP'},{'containerPort':443}]}]}}"),
                argumentSet("volumes merge by name and volumeMounts by mountPath", Pod.class,
                        "{'spec':{'volumes':[{'name':'v1','emptyDir':{}}],'containers':[{'name':'c','volumeMounts':[{'name':'v1','mountPath':'/a'}]}]}}",
                        "{'spec':{'volumes':[{'name':'v2','emptyDir':{}}],'containers':[{'name':'c','volumeMounts':[{'name':'v2','mountPath':'/a'}]}]}}",
                        "{'spec':{'volumes':[{'name':'v2','emptyDir':{}},{'name':'v1','emptyDir':{}}],'containers':[{'name':'c','volumeMounts':[{'name':'v2','mountPath':'/a'}]}]}}"),
                argumentSet("tolerations are replaced, not merged", Pod.class,
                        "{'spec':{'tolerations':[{'key':'a','operator':'Exists'}]}}",
                        "{'spec':{'tolerations':[{'key':'b','operator':'Exists'}]}}",
                        "{'spec':{'tolerations':[{'key':'b','operator':'Exists'}]}}"),
                argumentSet("container args, a list of primitives without strategy, are replaced", Pod.class,
                        "{'spec':{'containers':[{'name':'c','args':['a','b']}]}}",
                        "{'spec':{'containers':[{'name':'c','args':['c']}]}}",
                        "{'spec':{'containers':[{'name':'c','args':['c']}]}}"),
                argumentSet("status conditions merge by type", Pod.class,
                        "{'status':{'conditions':[{'type':'Ready','status':'False'},{'type':'PodScheduled','status':'True'}]}}",
                        "{'status':{'conditions':[{'type':'Ready','status':'True'}]}}",
                        "{'status':{'conditions':[{'type':'Ready','status':'True'},{'type':'PodScheduled','status':'True'}]}}"),
                argumentSet("node conditions and addresses merge by type", Node.class,
                        "{'status':{'addresses':[{'type':'InternalIP','address':'10.0.0.1'}],'conditions':[{'type':'Ready','status':'False'}]}}",
                        "{'status':{'addresses':[{'type':'Hostname','address':'n1'}],'conditions':[{'type':'Ready','status':'True'}]}}",
                        "{'status':{'addresses':[{'type':'Hostname','address':'n1'},{'type':'InternalIP','address':'10.0.0.1'}],'conditions':[{'type':'Ready','status':'True'}]}}"),
                argumentSet("service ports merge by port", Service.class,
                        "{'spec':{'ports':[{'port':80,'targetPort':8080},{'port':443}]}}",
                        "{'spec':{'ports':[{'port':80,'targetPort':9090}]}}",
                        "{'spec':{'ports':[{'port':80,'targetPort':9090},{'port':443}]}}"),
                argumentSet("finalizers merge as a set of primitives", Pod.class,
                        "{'metadata':{'finalizers':['a','b']}}",
                        "{'metadata':{'finalizers':['b','c']}}",
                        "{'metadata':{'finalizers':['a','b','c']}}"),
                argumentSet("ownerReferences merge by uid", Pod.class,
                        "{'metadata':{'ownerReferences':[{'uid':'1','name':'rs'}]}}",
                        "{'metadata':{'ownerReferences':[{'uid':'1','controller':true}]}}",
                        "{'metadata':{'ownerReferences':[{'uid':'1','name':'rs','controller':true}]}}"),
                argumentSet("$deleteFromPrimitiveList removes finalizers", Pod.class,
                        "{'metadata':{'finalizers':['a','b','c']}}",
                        "{'metadata':{'$deleteFromPrimitiveList/finalizers':['b','x']}}",
                        "{'metadata':{'finalizers':['a','c']}}"),
                argumentSet("$deleteFromPrimitiveList for an absent list does nothing", Pod.class,
                        "{'metadata':{'name':'p'}}",
                        "{'metadata':{'$deleteFromPrimitiveList/finalizers':['b']}}",
                        "{'metadata':{'name':'p'}}"),
                argumentSet("$patch: delete on a list item removes the item with its merge key", Pod.class,
                        "{'spec':{'containers':[{'name':'a'},{'name':'b'}]}}",
                        "{'spec':{'containers':[{'name':'a','$patch':'delete'}]}}",
                        "{'spec':{'containers':[{'name':'b'}]}}"),
                argumentSet("$patch: replace on a list item replaces the whole list", Pod.class,
                        "{'spec':{'containers':[{'name':'a','image':'a'},{'name':'b'}]}}",
                        "{'spec':{'containers':[{'name':'c','image':'c'},{'$patch':'replace'}]}}",
                        "{'spec':{'containers':[{'name':'c','image':'c'}]}}"),
                argumentSet("$patch: delete on a map empties it", Pod.class,
                        "{'metadata':{'labels':{'a':'1'},'name':'p'}}",
                        "{'metadata':{'labels':{'$patch':'delete'}}}",
                        "{'metadata':{'labels':{},'name':'p'}}"),
                argumentSet("$patch: replace on a map replaces it", Pod.class,
                        "{'metadata':{'labels':{'a':'1','b':'2'}}}",
                        "{'metadata':{'labels':{'$patch':'replace','c':'3'}}}",
                        "{'metadata':{'labels':{'c':'3'}}}"),
                argumentSet("$retainKeys drops the keys it does not list", Deployment.class,
                        "{'spec':{'replicas':2,'strategy':{'type':'RollingUpdate','rollingUpdate':{'maxSurge':1}}}}",
                        "{'spec':{'strategy':{'$retainKeys':['type'],'type':'Recreate','rollingUpdate':null}}}",
                        "{'spec':{'replicas':2,'strategy':{'type':'Recreate'}}}"),
                argumentSet("$retainKeys on a volume switches its source", Pod.class,
                        "{'spec':{'volumes':[{'name':'v','emptyDir':{}}]}}",
                        "{'spec':{'volumes':[{'$retainKeys':['configMap','name'],'name':'v','configMap':{'name':'cm'}}]}}",
                        "{'spec':{'volumes':[{'name':'v','configMap':{'name':'cm'}}]}}"),
                argumentSet("$setElementOrder orders the merged list", Pod.class,
                        "{'spec':{'containers':[{'name':'a','image':'a'},{'name':'b','image':'b'}]}}",
                        "{'spec':{'$setElementOrder/containers':[{'name':'b'},{'name':'a'}],'containers':[{'name':'a','image':'a:2'}]}}",
                        "{'spec':{'containers':[{'name':'b','image':'b'},{'name':'a','image':'a:2'}]}}"),
                argumentSet("$setElementOrder alone reorders a list of primitives", Pod.class,
                        "{'metadata':{'finalizers':['a','b']}}",
                        "{'metadata':{'$setElementOrder/finalizers':['b','a']}}",
                        "{'metadata':{'finalizers':['b','a']}}"),
                argumentSet("kubectl apply's second patch on a Deployment keeps unmentioned fields", Deployment.class,
                        """
                        {'metadata':{'name':'web','annotations':{'kubectl.kubernetes.io/last-applied-configuration':'old','deployment.kubernetes.io/revision':'1'},'generation':1},
                         'spec':{'replicas':1,'selector':{'matchLabels':{'app':'web'}},'template':{'metadata':{'labels':{'app':'web'}},
                           'spec':{'containers':[{'name':'c','image':'nginx:1','imagePullPolicy':'IfNotPresent','ports':[{'containerPort':80,'protocol':'TCP'}]}],
                                   'restartPolicy':'Always','dnsPolicy':'ClusterFirst'}}},
                         'status':{'replicas':1}}""",
                        """
                        {'metadata':{'annotations':{'kubectl.kubernetes.io/last-applied-configuration':'new'}},
                         'spec':{'template':{'spec':{'$setElementOrder/containers':[{'name':'c'}],'containers':[{'image':'nginx:2','name':'c'}]}}}}""",
                        """
                        {'metadata':{'name':'web','annotations':{'kubectl.kubernetes.io/last-applied-configuration':'new','deployment.kubernetes.io/revision':'1'},'generation':1},
                         'spec':{'replicas':1,'selector':{'matchLabels':{'app':'web'}},'template':{'metadata':{'labels':{'app':'web'}},
                           'spec':{'containers':[{'name':'c','image':'nginx:2','imagePullPolicy':'IfNotPresent','ports':[{'containerPort':80,'protocol':'TCP'}]}],
                                   'restartPolicy':'Always','dnsPolicy':'ClusterFirst'}}},
                         'status':{'replicas':1}}"""),
                argumentSet("kubectl apply removing a container and an env var", Deployment.class,
                        "{'spec':{'template':{'spec':{'containers':[{'name':'a','env':[{'name':'X','value':'1'},{'name':'Y','value':'2'}]},{'name':'b'}]}}}}",
                        """
                        {'spec':{'template':{'spec':{'$setElementOrder/containers':[{'name':'a'}],
                          'containers':[{'$setElementOrder/env':[{'name':'X'}],'name':'a','env':[{'$patch':'delete','name':'Y'}]},{'$patch':'delete','name':'b'}]}}}}""",
                        "{'spec':{'template':{'spec':{'containers':[{'name':'a','env':[{'name':'X','value':'1'}]}]}}}}"),
                argumentSet("a new nested list is taken from the patch without its directives", Pod.class,
                        "{'spec':{'containers':[{'name':'c'}]}}",
                        "{'spec':{'containers':[{'name':'c','env':[{'name':'A','value':'1'},{'name':'B','$patch':'delete'}]}]}}",
                        "{'spec':{'containers':[{'name':'c','env':[{'name':'A','value':'1'}]}]}}"),
                argumentSet("fields of unknown types merge maps and replace lists", Pod.class,
                        "{'metadata':{'annotations':{'a':'1'}},'extra':{'x':{'y':1},'list':[1,2]}}",
                        "{'extra':{'x':{'z':2},'list':[3]}}",
                        "{'metadata':{'annotations':{'a':'1'}},'extra':{'x':{'y':1,'z':2},'list':[3]}}"));
    }

    @ParameterizedTest
    @MethodSource("merges")
    void mergesAsKubeApiserverDoes(Class<?> kind, String original, String patch, String expected) {
        assertEquals(json(expected), StrategicMergePatchApplier.apply(json(original), json(patch), kind));
    }

    static Stream<Arguments> rejections() {
        return Stream.of(
                argumentSet("unknown $patch value on a map", "{'metadata':{'labels':{'$patch':'bogus'}}}", 422, "unknown patch type: bogus"),
                argumentSet("$patch: merge on a map", "{'metadata':{'labels':{'$patch':'merge'}}}", 422, "unknown patch type: merge"),
                argumentSet("$patch: merge on a list item", "{'spec':{'containers':[{'name':'c','$patch':'merge'}]}}", 422,
                        "merging lists cannot yet be specified in the patch"),
                argumentSet("unknown $patch value on a list item", "{'spec':{'containers':[{'name':'c','$patch':'drop'}]}}", 422,
                        "unknown patch type: drop"),
                argumentSet("$patch: delete without the merge key", "{'spec':{'containers':[{'image':'x','$patch':'delete'}]}}", 422,
                        "delete patch type with no merge key defined"),
                argumentSet("list item without its merge key", "{'spec':{'containers':[{'image':'x'}]}}", 422,
                        "does not contain declared merge key: name"),
                argumentSet("$retainKeys that is not a list", "{'spec':{'volumes':[{'name':'v','$retainKeys':'name'}]}}", 400,
                        "invalid patch format of retainKeys"),
                argumentSet("patch sets a key $retainKeys does not list",
                        "{'spec':{'volumes':[{'name':'v','$retainKeys':['name'],'secret':{}}]}}", 400, "invalid patch format of retainKeys"),
                argumentSet("$setElementOrder that is not a list", "{'spec':{'$setElementOrder/containers':{'name':'c'}}}", 400,
                        "invalid patch format of setElementOrder list"),
                argumentSet("patch item missing from $setElementOrder",
                        "{'spec':{'$setElementOrder/containers':[{'name':'a'}],'containers':[{'name':'b','image':'x'}]}}", 422,
                        "doesn't match $setElementOrder/ list"),
                argumentSet("mixed item kinds in a merged list", "{'metadata':{'finalizers':[{'a':1}]}}", 422,
                        "list element types are not identical"),
                argumentSet("a patch that is not an object", "['a']", 400, "cannot unmarshal array"));
    }

    @ParameterizedTest
    @MethodSource("rejections")
    void rejectsWhatKubeApiserverRejects(String patch, int status, String message) {
        JsonNode pod = json("{'metadata':{'labels':{'a':'1'},'finalizers':['f']},'spec':{'containers':[{'name':'c'}],'volumes':[{'name':'v','emptyDir':{}}]}}");
        PatchException e = assertThrows(PatchException.class, () -> StrategicMergePatchApplier.apply(pod, json(patch), Pod.class));

        assertEquals(status, e.status());
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @Test
    void leavesTheOriginalAndThePatchUnchanged() {
        JsonNode original = json("{'spec':{'containers':[{'name':'a','image':'a'}]}}");
        JsonNode patch = json("{'spec':{'$setElementOrder/containers':[{'name':'a'}],'containers':[{'name':'a','image':'b'}]}}");
        JsonNode originalCopy = original.deepCopy();
        JsonNode patchCopy = patch.deepCopy();

        StrategicMergePatchApplier.apply(original, patch, Pod.class);

        assertEquals(originalCopy, original);
        assertEquals(patchCopy, patch);
    }
}
