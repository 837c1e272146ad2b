package io.quarkube.api.protobuf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.Message;

import io.kubernetes.client.proto.IntStr.IntOrString;
import io.kubernetes.client.proto.Meta;
import io.kubernetes.client.proto.Meta.LabelSelector;
import io.kubernetes.client.proto.Meta.MicroTime;
import io.kubernetes.client.proto.Meta.ObjectMeta;
import io.kubernetes.client.proto.Meta.Time;
import io.kubernetes.client.proto.Resource.Quantity;
import io.kubernetes.client.proto.Runtime.RawExtension;
import io.kubernetes.client.proto.Runtime.TypeMeta;
import io.kubernetes.client.proto.Runtime.Unknown;
import io.kubernetes.client.proto.V1;
import io.kubernetes.client.proto.V1Apps;
import io.kubernetes.client.proto.V1Authentication;
import io.kubernetes.client.proto.V1Authorization;
import io.kubernetes.client.proto.V1Batch;
import io.kubernetes.client.proto.V1Coordination;
import io.kubernetes.client.proto.V1Policy;
import io.kubernetes.client.proto.V1Rbac;

class KubernetesProtobufTest {

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(JsonParser.Feature.ALLOW_SINGLE_QUOTES);

    /** ObjectMeta as Go writes it for a new object: the name, and the zero creationTimestamp. */
    private static ObjectMeta.Builder meta(String name) {
        return ObjectMeta.newBuilder().setName(name).setNamespace("").setResourceVersion("").setGeneration(0)
                .setCreationTimestamp(Time.getDefaultInstance());
    }

    private static final String META = "'metadata':{'name':'%s','creationTimestamp':null}";

    static Stream<Arguments> objects() {
        return Stream.of(
                Arguments.argumentSet("namespace with zero-valued Go fields",
                        envelope("v1", "Namespace", V1.Namespace.newBuilder().setMetadata(meta("demo"))
                                .setSpec(V1.NamespaceSpec.getDefaultInstance())
                                .setStatus(V1.NamespaceStatus.newBuilder().setPhase(""))),
                        "{'apiVersion':'v1','kind':'Namespace'," + META.formatted("demo") + ",'spec':{},'status':{}}"),
                Arguments.argumentSet("configmap data and labels as maps",
                        envelope("v1", "ConfigMap", V1.ConfigMap.newBuilder()
                                .setMetadata(meta("cfg").putLabels("app", "web"))
                                .putData("a", "1").putData("b", "two")),
                        "{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'cfg','creationTimestamp':null,"
                                + "'labels':{'app':'web'}},'data':{'a':'1','b':'two'}}"),
                Arguments.argumentSet("secret binary data as base64",
                        envelope("v1", "Secret", V1.Secret.newBuilder().setMetadata(meta("s"))
                                .putData("key", ByteString.copyFrom(new byte[] { 0, (byte) 0xff, 'a' }))
                                .setType("Opaque")),
                        "{'apiVersion':'v1','kind':'Secret'," + META.formatted("s")
                                + ",'data':{'key':'AP9h'},'type':'Opaque'}"),
                Arguments.argumentSet("deployment with container, quantities and percent maxSurge",
                        envelope("apps/v1", "Deployment", deployment()),
                        "{'apiVersion':'apps/v1','kind':'Deployment'," + META.formatted("web") + ","
                                + "'spec':{'replicas':0,'selector':{'matchLabels':{'app':'web'}},"
                                + "'template':{'metadata':{'creationTimestamp':null,'labels':{'app':'web'}},"
                                + "'spec':{'containers':[{'name':'nginx','image':'nginx',"
                                + "'ports':[{'containerPort':80,'protocol':'TCP'}],"
                                + "'resources':{'limits':{'cpu':'500m','memory':'128Mi'}}}]}},"
                                + "'strategy':{'rollingUpdate':{'maxUnavailable':1,'maxSurge':'25%'}}},'status':{}}"),
                Arguments.argumentSet("service targetPort as number and as name",
                        envelope("v1", "Service", V1.Service.newBuilder().setMetadata(meta("svc"))
                                .setSpec(V1.ServiceSpec.newBuilder()
                                        .addPorts(V1.ServicePort.newBuilder().setPort(80).setNodePort(0)
                                                .setTargetPort(IntOrString.newBuilder().setType(0).setIntVal(8080)))
                                        .addPorts(V1.ServicePort.newBuilder().setPort(443)
                                                .setTargetPort(IntOrString.newBuilder().setType(1).setStrVal("https"))))),
                        "{'apiVersion':'v1','kind':'Service'," + META.formatted("svc") + ",'spec':{'ports':["
                                + "{'port':80,'targetPort':8080},{'port':443,'targetPort':'https'}]}}"),
                Arguments.argumentSet("job keeps backoffLimit 0 and its pod template",
                        envelope("batch/v1", "Job", V1Batch.Job.newBuilder().setMetadata(meta("once"))
                                .setSpec(V1Batch.JobSpec.newBuilder().setBackoffLimit(0)
                                        .setTemplate(V1.PodTemplateSpec.newBuilder().setSpec(V1.PodSpec.newBuilder()
                                                .addContainers(V1.Container.newBuilder().setName("c").setImage("busybox")
                                                        .addCommand("date").setStdin(false).setTty(false))
                                                .setRestartPolicy("Never").setHostNetwork(false)
                                                .setAutomountServiceAccountToken(false))))),
                        "{'apiVersion':'batch/v1','kind':'Job'," + META.formatted("once") + ",'spec':{'backoffLimit':0,"
                                + "'template':{'spec':{'containers':[{'name':'c','image':'busybox','command':['date']}],"
                                + "'restartPolicy':'Never','automountServiceAccountToken':false}}}}"),
                Arguments.argumentSet("role with policy rules",
                        envelope("rbac.authorization.k8s.io/v1", "Role", V1Rbac.Role.newBuilder().setMetadata(meta("reader"))
                                .addRules(V1Rbac.PolicyRule.newBuilder().addVerbs("get").addVerbs("list")
                                        .addApiGroups("").addResources("pods"))),
                        "{'apiVersion':'rbac.authorization.k8s.io/v1','kind':'Role'," + META.formatted("reader")
                                + ",'rules':[{'verbs':['get','list'],'apiGroups':[''],'resources':['pods']}]}"),
                Arguments.argumentSet("service account",
                        envelope("v1", "ServiceAccount", V1.ServiceAccount.newBuilder().setMetadata(meta("robot"))),
                        "{'apiVersion':'v1','kind':'ServiceAccount'," + META.formatted("robot") + "}"),
                Arguments.argumentSet("lease with MicroTime and creationTimestamp Time",
                        envelope("coordination.k8s.io/v1", "Lease", V1Coordination.Lease.newBuilder()
                                .setMetadata(meta("lock").setCreationTimestamp(
                                        Time.newBuilder().setSeconds(1704164645L).setNanos(0)))
                                .setSpec(V1Coordination.LeaseSpec.newBuilder().setHolderIdentity("node-1")
                                        .setLeaseDurationSeconds(15)
                                        .setAcquireTime(MicroTime.newBuilder().setSeconds(1704164645L).setNanos(123456789)))),
                        "{'apiVersion':'coordination.k8s.io/v1','kind':'Lease','metadata':{'name':'lock',"
                                + "'creationTimestamp':'2024-01-02T03:04:05Z'},'spec':{'holderIdentity':'node-1',"
                                + "'leaseDurationSeconds':15,'acquireTime':'2024-01-02T03:04:05.123456Z'}}"),
                Arguments.argumentSet("self subject access review of auth can-i",
                        envelope("authorization.k8s.io/v1", "SelfSubjectAccessReview",
                                V1Authorization.SelfSubjectAccessReview.newBuilder().setMetadata(meta(""))
                                        .setSpec(V1Authorization.SelfSubjectAccessReviewSpec.newBuilder()
                                                .setResourceAttributes(V1Authorization.ResourceAttributes.newBuilder()
                                                        .setNamespace("default").setVerb("create").setGroup("")
                                                        .setResource("pods")))
                                        .setStatus(V1Authorization.SubjectAccessReviewStatus.newBuilder()
                                                .setAllowed(false).setDenied(false))),
                        "{'apiVersion':'authorization.k8s.io/v1','kind':'SelfSubjectAccessReview',"
                                + "'metadata':{'creationTimestamp':null},'spec':{'resourceAttributes':{"
                                + "'namespace':'default','verb':'create','resource':'pods'}},'status':{'allowed':false}}"),
                Arguments.argumentSet("subject access review extra values as string lists",
                        envelope("authorization.k8s.io/v1", "SubjectAccessReview",
                                V1Authorization.SubjectAccessReview.newBuilder().setMetadata(meta(""))
                                        .setSpec(V1Authorization.SubjectAccessReviewSpec.newBuilder().setUser("jane")
                                                .putExtra("scopes", V1Authorization.ExtraValue.newBuilder()
                                                        .addItems("a").addItems("b").build()))),
                        "{'apiVersion':'authorization.k8s.io/v1','kind':'SubjectAccessReview',"
                                + "'metadata':{'creationTimestamp':null},'spec':{'user':'jane','extra':{'scopes':['a','b']}}}"),
                Arguments.argumentSet("core event with zero MicroTime eventTime",
                        envelope("v1", "Event", V1.Event.newBuilder().setMetadata(meta("e"))
                                .setReason("Started").setCount(1).setEventTime(MicroTime.getDefaultInstance())),
                        "{'apiVersion':'v1','kind':'Event'," + META.formatted("e")
                                + ",'reason':'Started','count':1,'eventTime':null}"),
                Arguments.argumentSet("token request of create token",
                        envelope("authentication.k8s.io/v1", "TokenRequest", V1Authentication.TokenRequest.newBuilder()
                                .setMetadata(meta("robot"))
                                .setSpec(V1Authentication.TokenRequestSpec.newBuilder().addAudiences("api")
                                        .setExpirationSeconds(3600))),
                        "{'apiVersion':'authentication.k8s.io/v1','kind':'TokenRequest'," + META.formatted("robot")
                                + ",'spec':{'audiences':['api'],'expirationSeconds':3600}}"),
                Arguments.argumentSet("controller revision data as embedded JSON",
                        envelope("apps/v1", "ControllerRevision", V1Apps.ControllerRevision.newBuilder()
                                .setMetadata(meta("rev")).setRevision(2)
                                .setData(RawExtension.newBuilder().setRaw(ByteString.copyFromUtf8("{\"spec\":{\"x\":[1]}}")))),
                        "{'apiVersion':'apps/v1','kind':'ControllerRevision'," + META.formatted("rev")
                                + ",'data':{'spec':{'x':[1]}},'revision':2}"),
                Arguments.argumentSet("controller revision data as a nested protobuf object",
                        envelope("apps/v1", "ControllerRevision", V1Apps.ControllerRevision.newBuilder()
                                .setMetadata(meta("rev")).setRevision(3)
                                .setData(RawExtension.newBuilder().setRaw(ByteString.copyFrom(envelope("v1",
                                        "ServiceAccount", V1.ServiceAccount.newBuilder().setMetadata(meta("robot"))))))),
                        "{'apiVersion':'apps/v1','kind':'ControllerRevision'," + META.formatted("rev")
                                + ",'data':{'apiVersion':'v1','kind':'ServiceAccount'," + META.formatted("robot")
                                + "},'revision':3}"),
                Arguments.argumentSet("DeleteOptions of a typed client's DELETE (kubectl 1.32+ drain --disable-eviction)",
                        envelope("v1", "DeleteOptions", Meta.DeleteOptions.newBuilder().setGracePeriodSeconds(0)
                                .setPreconditions(Meta.Preconditions.newBuilder().setUid("u-1"))),
                        "{'apiVersion':'v1','kind':'DeleteOptions','gracePeriodSeconds':0,'preconditions':{'uid':'u-1'}}"),
                Arguments.argumentSet("policy/v1 Eviction with its DeleteOptions (kubectl 1.32+ drain)",
                        envelope("policy/v1", "Eviction", V1Policy.Eviction.newBuilder()
                                .setMetadata(meta("web").setNamespace("shop"))
                                .setDeleteOptions(Meta.DeleteOptions.newBuilder().setGracePeriodSeconds(30).addDryRun("All"))),
                        "{'apiVersion':'policy/v1','kind':'Eviction','metadata':{'name':'web','namespace':'shop','creationTimestamp':null},"
                                + "'deleteOptions':{'gracePeriodSeconds':30,'dryRun':['All']}}"));
    }

    @ParameterizedTest
    @MethodSource("objects")
    void decodesToTheJsonOfTheObject(byte[] body, String expected) throws Exception {
        assertEquals(MAPPER.readTree(expected), KubernetesProtobuf.decode(body));
    }

    @Test
    void putsApiVersionAndKindFirst() {
        ObjectNode json = KubernetesProtobuf.decode(
                envelope("v1", "ServiceAccount", V1.ServiceAccount.newBuilder().setMetadata(meta("robot"))));
        assertEquals(List.of("apiVersion", "kind", "metadata"), fieldNames(json));
    }

    @Test
    void recognisesTheEnvelopeByItsMagicBytes() {
        assertTrue(KubernetesProtobuf.hasEnvelope(envelope("v1", "Namespace", V1.Namespace.newBuilder())));
        assertFalse(KubernetesProtobuf.hasEnvelope("{\"kind\":\"Namespace\"}".getBytes(StandardCharsets.UTF_8)));
        assertFalse(KubernetesProtobuf.hasEnvelope(new byte[] { 'k', '8' }));
    }

    static Stream<Arguments> undecodableBodies() {
        byte[] namespace = envelope("v1", "Namespace", V1.Namespace.newBuilder().setMetadata(meta("demo")));
        byte[] wrongMagic = namespace.clone();
        wrongMagic[2] = 'x';
        return Stream.of(
                Arguments.argumentSet("truncated body", Arrays.copyOf(namespace, namespace.length - 3)),
                Arguments.argumentSet("wrong magic", wrongMagic),
                Arguments.argumentSet("shorter than the magic", new byte[] { 'k', '8', 's' }),
                Arguments.argumentSet("JSON body", "{\"kind\":\"Namespace\"}".getBytes(StandardCharsets.UTF_8)),
                Arguments.argumentSet("garbage after the magic", new byte[] { 'k', '8', 's', 0, (byte) 0xff, 0x0f }),
                Arguments.argumentSet("unknown kind", envelope("v1", "Widget", V1.Namespace.newBuilder())),
                Arguments.argumentSet("unknown group version", envelope("example.com/v1", "Namespace", V1.Namespace.newBuilder())),
                Arguments.argumentSet("nested type named as a kind", envelope("v1", "PodSpec", V1.PodSpec.newBuilder())),
                Arguments.argumentSet("missing kind", envelope("v1", "", V1.Namespace.newBuilder())),
                Arguments.argumentSet("compressed payload", withMagic(Unknown.newBuilder()
                        .setTypeMeta(TypeMeta.newBuilder().setApiVersion("v1").setKind("Namespace"))
                        .setContentEncoding("gzip").build())),
                Arguments.argumentSet("object bytes that are not the kind's message", withMagic(Unknown.newBuilder()
                        .setTypeMeta(TypeMeta.newBuilder().setApiVersion("v1").setKind("Namespace"))
                        .setRaw(ByteString.copyFrom(new byte[] { 0x0a, 0x05, 0x01 })).build())));
    }

    @ParameterizedTest
    @MethodSource("undecodableBodies")
    void refusesUndecodableBodies(byte[] body) {
        assertThrows(ProtobufDecodeException.class, () -> KubernetesProtobuf.decode(body));
    }

    private static V1Apps.Deployment.Builder deployment() {
        ObjectMeta.Builder podMeta = ObjectMeta.newBuilder().putLabels("app", "web")
                .setCreationTimestamp(Time.getDefaultInstance());
        V1.Container.Builder container = V1.Container.newBuilder().setName("nginx").setImage("nginx")
                .addPorts(V1.ContainerPort.newBuilder().setContainerPort(80).setHostPort(0).setProtocol("TCP"))
                .setResources(V1.ResourceRequirements.newBuilder()
                        .putLimits("cpu", Quantity.newBuilder().setString("500m").build())
                        .putLimits("memory", Quantity.newBuilder().setString("128Mi").build()));
        return V1Apps.Deployment.newBuilder().setMetadata(meta("web"))
                .setSpec(V1Apps.DeploymentSpec.newBuilder().setReplicas(0).setMinReadySeconds(0).setPaused(false)
                        .setSelector(LabelSelector.newBuilder().putMatchLabels("app", "web"))
                        .setTemplate(V1.PodTemplateSpec.newBuilder().setMetadata(podMeta)
                                .setSpec(V1.PodSpec.newBuilder().addContainers(container)))
                        .setStrategy(V1Apps.DeploymentStrategy.newBuilder().setType("")
                                .setRollingUpdate(V1Apps.RollingUpdateDeployment.newBuilder()
                                        .setMaxUnavailable(IntOrString.newBuilder().setType(0).setIntVal(1))
                                        .setMaxSurge(IntOrString.newBuilder().setType(1).setStrVal("25%")))))
                .setStatus(V1Apps.DeploymentStatus.getDefaultInstance());
    }

    private static byte[] envelope(String apiVersion, String kind, Message.Builder object) {
        return withMagic(Unknown.newBuilder()
                .setTypeMeta(TypeMeta.newBuilder().setApiVersion(apiVersion).setKind(kind))
                .setRaw(object.build().toByteString())
                .setContentEncoding("")
                .setContentType(KubernetesProtobuf.MEDIA_TYPE)
                .build());
    }

    private static byte[] withMagic(Unknown unknown) {
        return ByteString.copyFrom(new byte[] { 'k', '8', 's', 0 }).concat(unknown.toByteString()).toByteArray();
    }

    private static List<String> fieldNames(JsonNode json) {
        List<String> names = new ArrayList<>();
        json.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
