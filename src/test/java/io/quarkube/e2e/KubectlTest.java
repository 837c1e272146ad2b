package io.quarkube.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkube.testing.ControlPlaneTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Real kubectl releases against the running control plane: the commands users type, checked by
 * exit code, printed output and what ends up stored.
 */
@QuarkusTest
@QuarkusTestResource(value = ControlPlaneTestResource.class, restrictToAnnotatedClass = false)
class KubectlTest {

    private static final Duration WATCH_DEADLINE = Duration.ofSeconds(30);

    static Stream<Kubectl> versions() {
        return Kubectl.versions();
    }

    /** Creates the release's namespace; every test calls it first so tests stay independent. */
    private static Kubectl ready(Kubectl kubectl) {
        kubectl.ensureNamespace();
        return kubectl;
    }

    @ParameterizedTest
    @MethodSource("versions")
    void versionReportsTheServerRelease(Kubectl kubectl) {
        CommandResult result = kubectl.run("version", "--output=json");
        assertEquals(0, result.exitCode(), result::describe);
        JsonNode server = Manifests.json(result).path("serverVersion");
        assertEquals("1", server.path("major").asText(), result::describe);
        assertEquals("33", server.path("minor").asText(), result::describe);
    }

    @ParameterizedTest
    @MethodSource("versions")
    void apiResourcesListsKindsWithShortNames(Kubectl kubectl) {
        CommandResult result = kubectl.run("api-resources");
        assertEquals(0, result.exitCode(), result::describe);
        assertEquals(List.of("pods", "po", "v1", "true", "Pod"), row(result, "pods"), result::describe);
        assertEquals(List.of("deployments", "deploy", "apps/v1", "true", "Deployment"), row(result, "deployments"),
                result::describe);
    }

    @ParameterizedTest
    @MethodSource("versions")
    void createFromFileStoresTheDeployment(Kubectl kubectl) {
        ready(kubectl);
        CommandResult created = kubectl.ok("create", "-f", Manifests.deployment("from-file", "nginx:1.25", "one").toString());
        assertEquals("deployment.apps/from-file created", created.stdout().strip());

        JsonNode stored = Manifests.json(kubectl.ok("get", "deployment", "from-file", "-o", "json"));
        assertEquals("nginx:1.25", stored.at("/spec/template/spec/containers/0/image").asText());
        assertEquals("one", stored.at("/spec/template/spec/containers/0/env/0/value").asText());
        assertEquals(1, stored.at("/metadata/generation").asInt());
    }

    /** A generator command, the object it creates, and one field of the stored object. */
    record Generator(String kind, String name, List<String> args, String pointer, String expected) {
        @Override
        public String toString() {
            return "create " + String.join(" ", args);
        }
    }

    static Stream<Arguments> generatorCommands() {
        String secret = Base64.getEncoder().encodeToString("s3cret".getBytes());
        List<Generator> generators = List.of(
                new Generator("configmap", "gen-cm", List.of("configmap", "gen-cm", "--from-literal=color=blue"), "/data/color", "blue"),
                new Generator("secret", "gen-secret", List.of("secret", "generic", "gen-secret", "--from-literal=password=s3cret"),
                        "/data/password", secret),
                new Generator("deployment", "gen-deploy", List.of("deployment", "gen-deploy", "--image=nginx:1.27"),
                        "/spec/template/spec/containers/0/image", "nginx:1.27"),
                new Generator("job", "gen-job", List.of("job", "gen-job", "--image=busybox:1.36", "--", "echo", "done"),
                        "/spec/template/spec/containers/0/command/1", "done"),
                new Generator("serviceaccount", "gen-sa", List.of("serviceaccount", "gen-sa"), "/metadata/name", "gen-sa"),
                new Generator("role", "gen-role", List.of("role", "gen-role", "--verb=get", "--verb=list", "--resource=pods"),
                        "/rules/0/resources/0", "pods"));
        return versions().flatMap(kubectl -> generators.stream().map(g -> Arguments.of(kubectl, g)));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("generatorCommands")
    void generatorCommandCreatesTheObject(Kubectl kubectl, Generator generator) {
        ready(kubectl);
        List<String> args = new ArrayList<>(List.of("create", "-v=8"));
        args.addAll(generator.args());
        CommandResult created = kubectl.ok(args.toArray(String[]::new));
        assertTrue(created.stdout().contains(generator.name() + " created"), created::describe);
        assertEquals(kubectl.sendsProtobufBodies(), created.stderr().contains("Content-Type: application/vnd.kubernetes.protobuf"),
                "request body encoding\n" + created.describe());

        JsonNode stored = Manifests.json(kubectl.ok("get", generator.kind(), generator.name(), "-o", "json"));
        assertEquals(generator.expected(), stored.at(generator.pointer()).asText(), stored::toPrettyString);
    }

    /**
     * kubectl create token (a TokenRequest, protobuf from 1.32 on) prints a token with which kubectl
     * alone, without the admin kubeconfig, reaches the API; deleting the service account ends it.
     */
    @ParameterizedTest
    @MethodSource("versions")
    void createTokenGivesATokenThatAuthenticates(Kubectl kubectl) {
        ready(kubectl);
        String account = "token-user";
        kubectl.ok("create", "serviceaccount", account);
        CommandResult created = kubectl.ok("create", "token", account, "--duration=15m", "-v=8");
        assertEquals(kubectl.sendsProtobufBodies(), created.stderr().contains("Content-Type: application/vnd.kubernetes.protobuf"),
                "request body encoding\n" + created.describe());
        String token = created.stdout().strip();

        CommandResult listed = kubectl.withToken(token, "get", "serviceaccounts", "-o", "name");
        assertEquals(0, listed.exitCode(), listed::describe);
        assertTrue(listed.stdout().lines().anyMatch(("serviceaccount/" + account)::equals), listed::describe);

        kubectl.ok("delete", "serviceaccount", account);
        CommandResult refused = kubectl.withToken(token, "get", "serviceaccounts");
        assertEquals(1, refused.exitCode(), refused::describe);
        assertTrue(refused.stderr().contains("Unauthorized"), refused::describe);
    }

    /**
     * kubectl auth whoami (a SelfSubjectReview, authentication.k8s.io/v1 from kubectl 1.28 on; 1.27 asks
     * the beta and alpha versions only) names the admin of the kubeconfig, or the service account of a token.
     */
    static Stream<Kubectl> versionsWithWhoamiV1() {
        return versions().filter(kubectl -> kubectl.minor() >= 28);
    }

    @ParameterizedTest
    @MethodSource("versionsWithWhoamiV1")
    void authWhoamiNamesTheCaller(Kubectl kubectl) {
        ready(kubectl);
        JsonNode admin = Manifests.json(kubectl.ok("auth", "whoami", "-o", "json"));
        assertEquals("quarkube-admin", admin.at("/status/userInfo/username").asText(), admin::toPrettyString);

        kubectl.ok("create", "serviceaccount", "whoami-robot");
        String token = kubectl.ok("create", "token", "whoami-robot").stdout().strip();
        CommandResult robot = kubectl.withToken(token, "auth", "whoami");
        assertEquals(0, robot.exitCode(), robot::describe);
        assertTrue(robot.stdout().contains("system:serviceaccount:" + kubectl.namespace() + ":whoami-robot"), robot::describe);
    }

    /**
     * kubectl auth can-i (a SelfSubjectAccessReview; --list a SelfSubjectRulesReview): with no
     * authorizer yet, every authenticated caller may do everything, and kubectl says "yes".
     */
    @ParameterizedTest
    @MethodSource("versions")
    void authCanIAnswersYesForEveryAuthenticatedCaller(Kubectl kubectl) {
        ready(kubectl);
        assertEquals("yes", kubectl.ok("auth", "can-i", "delete", "pods").stdout().strip());
        assertEquals("yes", kubectl.ok("auth", "can-i", "get", "/healthz").stdout().strip());

        kubectl.ok("create", "serviceaccount", "can-i-robot");
        String token = kubectl.ok("create", "token", "can-i-robot").stdout().strip();
        CommandResult robot = kubectl.withToken(token, "auth", "can-i", "create", "deployments.apps");
        assertEquals(0, robot.exitCode(), robot::describe);
        assertEquals("yes", robot.stdout().strip(), robot::describe);

        CommandResult rules = kubectl.run("auth", "can-i", "--list");
        assertEquals(0, rules.exitCode(), rules::describe);
        assertTrue(rules.stdout().lines().anyMatch(line -> line.matches("\\*\\.\\*\\s+\\[\\]\\s+\\[\\]\\s+\\[\\*\\]")), rules::describe);
    }

    @ParameterizedTest
    @MethodSource("versions")
    void createNamespaceMakesAnActiveNamespace(Kubectl kubectl) {
        String name = kubectl.namespace() + "-created";
        CommandResult created = kubectl.run("create", "namespace", name);
        assertEquals(0, created.exitCode(), created::describe);
        assertEquals("namespace/" + name + " created", created.stdout().strip());
        CommandResult got = kubectl.run("get", "namespace", name, "-o", "json");
        assertEquals("Active", Manifests.json(got).at("/status/phase").asText(), got::describe);
    }

    static Stream<Arguments> tables() {
        List<List<String>> cases = List.of(
                List.of("deployments", "", "NAME READY UP-TO-DATE AVAILABLE AGE"),
                List.of("deployments", "wide", "NAME READY UP-TO-DATE AVAILABLE AGE CONTAINERS IMAGES SELECTOR"),
                List.of("configmaps", "", "NAME DATA AGE"),
                List.of("secrets", "", "NAME TYPE DATA AGE"));
        return versions().flatMap(kubectl -> cases.stream().map(c -> Arguments.of(kubectl, c.get(0), c.get(1), c.get(2))));
    }

    @ParameterizedTest(name = "{0}: get {1} -o {2}")
    @MethodSource("tables")
    void getPrintsTheServersTableColumns(Kubectl kubectl, String resource, String output, String columns) {
        ready(kubectl);
        kubectl.inNamespace("create", "-f", Manifests.deployment("table", "nginx:1.25", "one").toString());
        kubectl.inNamespace("create", "configmap", "table", "--from-literal=a=1");
        kubectl.inNamespace("create", "secret", "generic", "table", "--from-literal=a=1");
        List<String> args = new ArrayList<>(List.of("get", resource));
        if (!output.isEmpty()) {
            args.addAll(List.of("-o", output));
        }
        CommandResult result = kubectl.ok(args.toArray(String[]::new));
        List<String> lines = result.stdout().lines().toList();
        assertEquals(columns, String.join(" ", lines.get(0).split("\\s+")), result::describe);
        if (resource.equals("deployments")) {
            List<String> row = row(result, "table");
            assertEquals(lines.get(0).split("\\s+").length, row.size(), result::describe);
            if (output.equals("wide")) {
                assertEquals(List.of("web", "nginx:1.25", "app=table"), row.subList(row.size() - 3, row.size()), result::describe);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("versions")
    void getPrintsYamlAndJsonOfTheStoredObject(Kubectl kubectl) {
        ready(kubectl);
        kubectl.ok("create", "configmap", "printed", "--from-literal=greeting=hello");
        JsonNode yaml = Manifests.yaml(kubectl.ok("get", "configmap", "printed", "-o", "yaml"));
        JsonNode json = Manifests.json(kubectl.ok("get", "configmap", "printed", "-o", "json"));
        for (JsonNode printed : List.of(yaml, json)) {
            assertEquals("ConfigMap", printed.path("kind").asText());
            assertEquals("v1", printed.path("apiVersion").asText());
            assertEquals("hello", printed.at("/data/greeting").asText());
            assertEquals(kubectl.namespace(), printed.at("/metadata/namespace").asText());
            assertFalse(printed.at("/metadata/resourceVersion").asText().isEmpty(), printed::toPrettyString);
        }
        assertEquals(json.at("/metadata/uid"), yaml.at("/metadata/uid"));
    }

    @ParameterizedTest
    @MethodSource("versions")
    void applyTwiceUpdatesThroughStrategicMergePatch(Kubectl kubectl) {
        ready(kubectl);
        CommandResult first = kubectl.ok("apply", "-f", Manifests.deployment("applied", "nginx:1.25", "one").toString());
        assertEquals("deployment.apps/applied created", first.stdout().strip());

        CommandResult second = kubectl.ok("apply", "-v=8", "-f", Manifests.deployment("applied", "nginx:1.26", "two").toString());
        assertEquals("deployment.apps/applied configured", lastLine(second), second::describe);
        assertTrue(second.stderr().contains("Content-Type: application/strategic-merge-patch+json"), second::describe);

        JsonNode stored = Manifests.json(kubectl.ok("get", "deployment", "applied", "-o", "json"));
        JsonNode container = stored.at("/spec/template/spec/containers/0");
        assertEquals("nginx:1.26", container.path("image").asText(), stored::toPrettyString);
        assertEquals("[{\"name\":\"MODE\",\"value\":\"two\"}]", container.path("env").toString());
        assertEquals(1, stored.at("/spec/template/spec/containers").size());
        assertEquals("IfNotPresent", container.path("imagePullPolicy").asText(), "defaults survive the patch");
        assertEquals(2, stored.at("/metadata/generation").asInt());
        assertTrue(stored.at("/metadata/annotations/kubectl.kubernetes.io~1last-applied-configuration").asText()
                .contains("nginx:1.26"), stored::toPrettyString);
    }

    @ParameterizedTest
    @MethodSource("versions")
    void diffExitsWithOneOnChangesAndStoresNothing(Kubectl kubectl) {
        ready(kubectl);
        Path current = Manifests.deployment("diffed", "nginx:1.25", "one");
        kubectl.ok("apply", "-f", current.toString());
        // the generation, not the resourceVersion: the deployment controller writes status meanwhile
        String before = Manifests.json(kubectl.ok("get", "deployment", "diffed", "-o", "json")).at("/metadata/generation").asText();

        CommandResult changed = kubectl.inNamespace("diff", "-f", Manifests.deployment("diffed", "nginx:1.26", "one").toString());
        assertEquals(1, changed.exitCode(), changed::describe);
        assertTrue(changed.stdout().contains("-        image: nginx:1.25"), changed::describe);
        assertTrue(changed.stdout().contains("+        image: nginx:1.26"), changed::describe);

        CommandResult unchanged = kubectl.inNamespace("diff", "-f", current.toString());
        assertEquals(0, unchanged.exitCode(), unchanged::describe);
        assertEquals("", unchanged.stdout(), unchanged::describe);

        JsonNode stored = Manifests.json(kubectl.ok("get", "deployment", "diffed", "-o", "json"));
        assertEquals("nginx:1.25", stored.at("/spec/template/spec/containers/0/image").asText());
        assertEquals(before, stored.at("/metadata/generation").asText(), "a diff's dry run persists nothing");
    }

    @ParameterizedTest
    @MethodSource("versions")
    void labelAndAnnotateChangeMetadata(Kubectl kubectl) {
        ready(kubectl);
        kubectl.ok("create", "configmap", "tagged");
        assertEquals("configmap/tagged labeled", kubectl.ok("label", "configmap", "tagged", "tier=front").stdout().strip());
        assertTrue(kubectl.ok("annotate", "configmap", "tagged", "owner=team-a").stdout().startsWith("configmap/tagged annotate"));

        JsonNode stored = Manifests.json(kubectl.ok("get", "configmap", "tagged", "-o", "json"));
        assertEquals("front", stored.at("/metadata/labels/tier").asText(), stored::toPrettyString);
        assertEquals("team-a", stored.at("/metadata/annotations/owner").asText(), stored::toPrettyString);
        CommandResult selected = kubectl.ok("get", "configmaps", "-l", "tier=front", "-o", "name");
        assertEquals("configmap/tagged", selected.stdout().strip());
    }

    static Stream<Arguments> patches() {
        List<List<String>> cases = List.of(
                List.of("json", "[{\"op\":\"replace\",\"path\":\"/spec/replicas\",\"value\":2}]", "/spec/replicas", "2"),
                List.of("merge", "{\"metadata\":{\"labels\":{\"patched\":\"merge\"}}}", "/metadata/labels/patched", "merge"),
                List.of("strategic", "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"web\",\"image\":\"nginx:1.27\"}]}}}}",
                        "/spec/template/spec/containers/0/image", "nginx:1.27"));
        return versions().flatMap(kubectl -> cases.stream().map(c -> Arguments.of(kubectl, c.get(0), c.get(1), c.get(2), c.get(3))));
    }

    @ParameterizedTest(name = "{0}: patch --type={1}")
    @MethodSource("patches")
    void patchChangesTheStoredObject(Kubectl kubectl, String type, String patch, String pointer, String expected) {
        ready(kubectl);
        String name = "patched-" + type;
        kubectl.ok("create", "-f", Manifests.deployment(name, "nginx:1.25", "one").toString());
        CommandResult patched = kubectl.ok("patch", "deployment", name, "--type=" + type, "-p", patch);
        assertEquals("deployment.apps/" + name + " patched", patched.stdout().strip());

        JsonNode stored = Manifests.json(kubectl.ok("get", "deployment", name, "-o", "json"));
        assertEquals(expected, stored.at(pointer).asText(), stored::toPrettyString);
        assertEquals("one", stored.at("/spec/template/spec/containers/0/env/0/value").asText(), "the rest is kept");
    }

    @ParameterizedTest
    @MethodSource("versions")
    void scaleSetsTheReplicas(Kubectl kubectl) {
        ready(kubectl);
        kubectl.ok("create", "-f", Manifests.deployment("scaled", "nginx:1.25", "one").toString());
        assertEquals("deployment.apps/scaled scaled", kubectl.ok("scale", "deployment", "scaled", "--replicas=3").stdout().strip());
        JsonNode stored = Manifests.json(kubectl.ok("get", "deployment", "scaled", "-o", "json"));
        assertEquals(3, stored.at("/spec/replicas").asInt(), stored::toPrettyString);
    }

    @ParameterizedTest
    @MethodSource("versions")
    void getWatchPrintsAddedModifiedAndDeleted(Kubectl kubectl) throws Exception {
        ready(kubectl);
        kubectl.ok("create", "configmap", "watched", "--from-literal=a=1");
        try (BackgroundCommand watch = kubectl.start("get", "configmaps", "--watch", "--output-watch-events")) {
            // The initial list shows the object as ADDED; changes after it arrive through the watch.
            watch.awaitLine(line -> line.startsWith("ADDED") && line.contains(" watched "), WATCH_DEADLINE);
            kubectl.ok("label", "configmap", "watched", "step=modified");
            watch.awaitLine(line -> line.startsWith("MODIFIED") && line.contains(" watched "), WATCH_DEADLINE);
            kubectl.ok("delete", "configmap", "watched");
            watch.awaitLine(line -> line.startsWith("DELETED") && line.contains(" watched "), WATCH_DEADLINE);
            assertEquals("EVENT NAME DATA AGE", String.join(" ", watch.seen().get(0).split("\\s+")), watch.seen()::toString);
        }
    }

    @ParameterizedTest
    @MethodSource("versions")
    void explainDescribesAField(Kubectl kubectl) {
        CommandResult result = kubectl.run("explain", "deployment.spec.replicas");
        assertEquals(0, result.exitCode(), result::describe);
        List<String> words = Arrays.asList(result.stdout().split("\\s+"));
        assertTrue(words.contains("Deployment"), result::describe);
        assertTrue(result.stdout().contains("replicas <integer>"), result::describe);
    }

    @ParameterizedTest
    @MethodSource("versions")
    void deleteWaitReturnsOnceTheObjectIsGone(Kubectl kubectl) {
        ready(kubectl);
        kubectl.ok("create", "configmap", "deleted");
        CommandResult deleted = kubectl.ok("delete", "configmap", "deleted", "--wait=true", "--timeout=30s");
        assertEquals("configmap \"deleted\" deleted", deleted.stdout().strip());
        CommandResult got = kubectl.inNamespace("get", "configmap", "deleted", "--ignore-not-found", "-o", "name");
        assertEquals(0, got.exitCode(), got::describe);
        assertEquals("", got.stdout(), got::describe);
    }

    static Stream<Arguments> missingObjectCommands() {
        return versions().flatMap(kubectl -> Stream.of(Arguments.of(kubectl, "delete"), Arguments.of(kubectl, "get")));
    }

    @ParameterizedTest(name = "{0}: {1} a missing object")
    @MethodSource("missingObjectCommands")
    void missingObjectIsNotFound(Kubectl kubectl, String verb) {
        ready(kubectl);
        CommandResult result = kubectl.inNamespace(verb, "configmap", "never-created");
        assertEquals(1, result.exitCode(), result::describe);
        assertEquals("Error from server (NotFound): configmaps \"never-created\" not found", result.stderr().strip(),
                result::describe);
    }

    /** The whitespace-separated cells of the printed row whose first cell is {@code name}. */
    private static List<String> row(CommandResult result, String name) {
        return result.stdout().lines().map(line -> List.of(line.strip().split("\\s+")))
                .filter(cells -> cells.get(0).equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no row " + name + "\n" + result.describe()));
    }

    private static String lastLine(CommandResult result) {
        List<String> lines = result.stdout().strip().lines().toList();
        return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
    }
}
