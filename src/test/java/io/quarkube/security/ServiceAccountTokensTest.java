package io.quarkube.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkube.json.Json;
import io.quarkube.security.ServiceAccountTokens.Claims;
import io.quarkube.security.ServiceAccountTokens.ObjectRef;

class ServiceAccountTokensTest {

    private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");
    private static final ObjectRef ACCOUNT = new ObjectRef("builder", "sa-uid");
    private static final ObjectRef POD = new ObjectRef("web-0", "pod-uid");
    private static final ObjectRef NODE = new ObjectRef("node-a", "node-uid");

    private final KeyPair keys = CertificateAuthority.generateKeyPair();

    private static ServiceAccountTokens at(KeyPair keys, Instant now) {
        return new ServiceAccountTokens(keys, Clock.fixed(now, ZoneOffset.UTC));
    }

    private String issue(ServiceAccountTokens tokens, List<String> audiences, long seconds) {
        return tokens.issue(tokens.claims("ci", ACCOUNT, Optional.of(POD), Optional.empty(), Optional.of(NODE), audiences, seconds));
    }

    private static JsonNode payload(String token) {
        return Json.parseObject(new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8));
    }

    @Test
    void anIssuedTokenVerifiesWithWhatItNames() {
        ServiceAccountTokens tokens = at(keys, NOW);
        String token = issue(tokens, ServiceAccountTokens.API_AUDIENCES, 3600);

        Claims claims = tokens.verify(token).orElseThrow();
        assertEquals("system:serviceaccount:ci:builder", claims.subject());
        assertEquals(ACCOUNT, claims.serviceAccount());
        assertEquals(Optional.of(POD), claims.pod());
        assertEquals(Optional.of(NODE), claims.node());
        assertEquals(Optional.empty(), claims.secret());
        assertEquals(NOW.plusSeconds(3600), claims.expiry());

        // the layout kube-apiserver gives its tokens: ES256, aud an array, the private claim
        JsonNode header = Json.parseObject(new String(Base64.getUrlDecoder().decode(token.split("\\.")[0]), StandardCharsets.UTF_8));
        assertEquals("ES256", header.path("alg").asText());
        assertTrue(header.path("kid").asText().length() > 20, header::toString);
        JsonNode payload = payload(token);
        assertTrue(payload.path("aud").isArray(), payload::toString);
        assertEquals(ServiceAccountTokens.ISSUER, payload.path("iss").asText());
        assertEquals("web-0", payload.at("/kubernetes.io/pod/name").asText());
        assertEquals("sa-uid", payload.at("/kubernetes.io/serviceaccount/uid").asText());
        assertEquals(NOW.plusSeconds(3600).getEpochSecond(), payload.path("exp").asLong());
    }

    @Test
    void anExpiredTokenIsRefusedOnceTheClockSkewIsPast() {
        String token = issue(at(keys, NOW), ServiceAccountTokens.API_AUDIENCES, 600);
        assertTrue(at(keys, NOW.plus(Duration.ofMinutes(10)).plusSeconds(59)).verify(token).isPresent());
        assertEquals(Optional.empty(), at(keys, NOW.plus(Duration.ofMinutes(11)).plusSeconds(1)).verify(token));
        assertEquals(Optional.empty(), at(keys, NOW.minus(Duration.ofMinutes(2))).verify(token), "not valid before it was issued");
    }

    @Test
    void aTokenForAnotherAudienceIsRefused() {
        ServiceAccountTokens tokens = at(keys, NOW);
        assertEquals(Optional.empty(), tokens.verify(issue(tokens, List.of("vault"), 3600)));
        assertTrue(tokens.verify(issue(tokens, List.of("vault", ServiceAccountTokens.ISSUER), 3600)).isPresent());
    }

    @Test
    void aTokenOfAnotherKeyOrAlteredIsRefused() {
        ServiceAccountTokens tokens = at(keys, NOW);
        String foreign = issue(at(CertificateAuthority.generateKeyPair(), NOW), ServiceAccountTokens.API_AUDIENCES, 3600);
        assertEquals(Optional.empty(), tokens.verify(foreign));

        String[] parts = issue(tokens, ServiceAccountTokens.API_AUDIENCES, 3600).split("\\.");
        String otherAccount = Base64.getUrlEncoder().withoutPadding().encodeToString(Json.write(
                ((com.fasterxml.jackson.databind.node.ObjectNode) payload(String.join(".", parts))).put("sub", "system:serviceaccount:ci:admin"))
                .getBytes(StandardCharsets.UTF_8));
        assertEquals(Optional.empty(), tokens.verify(parts[0] + "." + otherAccount + "." + parts[2]));
        assertEquals(Optional.empty(), tokens.verify("not a token"));
        assertEquals(Optional.empty(), tokens.verify(parts[0] + "." + parts[1] + "."), "unsigned");
    }

    @Test
    void anRsaKeySignsWithRs256() throws NoSuchAlgorithmException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        ServiceAccountTokens tokens = at(generator.generateKeyPair(), NOW);
        String token = issue(tokens, ServiceAccountTokens.API_AUDIENCES, 3600);
        JsonNode header = Json.parseObject(new String(Base64.getUrlDecoder().decode(token.split("\\.")[0]), StandardCharsets.UTF_8));
        assertEquals("RS256", header.path("alg").asText());
        assertEquals(ACCOUNT, tokens.verify(token).orElseThrow().serviceAccount());
    }
}
