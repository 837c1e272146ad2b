package io.quarkube.agent.pods;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.quarkube.agent.cri.v1.AuthConfig;

class ImagePullCredentialsTest {

    @ParameterizedTest
    @CsvSource({
            "busybox, docker.io/library/busybox",
            "busybox:1.36, docker.io/library/busybox",
            "team/app:1, docker.io/team/app",
            "docker.io/team/app@sha256:abc, docker.io/team/app",
            "index.docker.io/team/app, docker.io/team/app",
            "registry.example:5000/team/app:2, registry.example:5000/team/app",
            "localhost/app, localhost/app",
            "quay.io/org/app, quay.io/org/app",
    })
    void repositoryOfAnImage(String image, String repository) {
        assertEquals(repository, ImagePullCredentials.repository(image));
    }

    @ParameterizedTest
    @CsvSource({
            "https://index.docker.io/v1/, docker.io",
            "docker.io, docker.io",
            "registry.example:5000, registry.example:5000",
            "http://registry.example:5000/v2/, registry.example:5000",
            "registry.example/team/, registry.example/team",
    })
    void normalizedKey(String key, String normalized) {
        assertEquals(normalized, ImagePullCredentials.normalizedKey(key));
    }

    @ParameterizedTest
    @CsvSource({
            // key (normalized), repository, applies
            "docker.io, docker.io/library/busybox, true",
            "registry.example, registry.example/team/app, true",
            "registry.example/team, registry.example/team/app, true",
            "registry.example/tea, registry.example/team/app, false",
            "registry.example/other, registry.example/team/app, false",
            "registry.example:5000, registry.example/team/app, false",
            "quay.io, docker.io/library/busybox, false",
    })
    void whichKeysApply(String key, String repository, boolean applies) {
        assertEquals(applies, ImagePullCredentials.applies(key, repository));
    }

    @Test
    void credentialsOfDockerConfigJsonAndDockerCfgSecretsThatMatchInOrder() {
        Secret configJson = secret(".dockerconfigjson", """
                {"auths": {
                  "https://index.docker.io/v1/": {"username": "hub-user", "password": "hub-pass"},
                  "registry.example:5000": {"auth": "%s"}
                }}""".formatted(base64("reg-user:reg:pass")));
        Secret dockerCfg = secret(".dockercfg", """
                {"registry.example:5000/team": {"username": "team-user", "password": "team-pass"}}""");
        Secret broken = secret(".dockerconfigjson", "not json");

        List<AuthConfig> forRegistry = ImagePullCredentials.forImage("registry.example:5000/team/app:1", List.of(broken, configJson, dockerCfg));
        List<AuthConfig> forHub = ImagePullCredentials.forImage("busybox", List.of(configJson, dockerCfg));
        List<AuthConfig> forQuay = ImagePullCredentials.forImage("quay.io/org/app", List.of(configJson, dockerCfg));

        assertEquals(List.of("reg-user/reg:pass", "team-user/team-pass"),
                forRegistry.stream().map(a -> a.getUsername() + "/" + a.getPassword()).toList());
        assertEquals(List.of("hub-user/hub-pass"), forHub.stream().map(a -> a.getUsername() + "/" + a.getPassword()).toList());
        assertEquals(List.of(), forQuay);
    }

    private static Secret secret(String key, String json) {
        return new SecretBuilder().withNewMetadata().withName("s").endMetadata().addToData(key, base64(json)).build();
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
