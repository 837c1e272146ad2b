package io.quarkube.security;

import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECKey;
import java.security.interfaces.RSAKey;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.jboss.logging.Logger;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.NumericDate;
import org.jose4j.jwt.ReservedClaimNames;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.lang.JoseException;

/**
 * Service account tokens as kube-apiserver issues them through the TokenRequest API: JWTs signed
 * with the cluster's service account key (ES256 with the EC key quarkube generates, RS256 with an
 * RSA key such as kubeadm's sa.key), naming the service account, and the object the token is bound
 * to, in the private {@code kubernetes.io} claim. Verifying checks the signature, the issuer, the
 * audience and the validity window; whether the service account and the bound object still exist
 * is for the caller to check.
 */
public final class ServiceAccountTokens {

    /** The issuer kubeadm configures ({@code --service-account-issuer}). */
    public static final String ISSUER = "https://kubernetes.default.svc.cluster.local";
    /** The API server's own audiences: kube-apiserver's {@code --api-audiences} default to the issuer. */
    public static final List<String> API_AUDIENCES = List.of(ISSUER);
    public static final String SUBJECT_PREFIX = "system:serviceaccount:";
    /** The leeway kube-apiserver allows other clocks on exp, nbf and iat. */
    private static final int CLOCK_SKEW_SECONDS = 60;
    private static final String PRIVATE_CLAIM = "kubernetes.io";
    private static final Logger LOG = Logger.getLogger(ServiceAccountTokens.class);

    private final PrivateKey signingKey;
    private final PublicKey verificationKey;
    private final String algorithm;
    private final String keyId;
    private final Clock clock;

    public ServiceAccountTokens(KeyPair keys, Clock clock) {
        this.signingKey = keys.getPrivate();
        this.verificationKey = keys.getPublic();
        if (keys.getPrivate() instanceof ECKey ec && ec.getParams().getCurve().getField().getFieldSize() == 256) {
            this.algorithm = AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256;
        } else if (keys.getPrivate() instanceof RSAKey) {
            this.algorithm = AlgorithmIdentifiers.RSA_USING_SHA256;
        } else {
            throw new IllegalArgumentException("a service account key must be EC P-256 or RSA");
        }
        this.keyId = keyId(keys.getPublic());
        this.clock = clock;
    }

    /** Tokens signed with a key of this process alone, for a control plane without a data directory. */
    public static ServiceAccountTokens withEphemeralKey(Clock clock) {
        return new ServiceAccountTokens(CertificateAuthority.generateKeyPair(), clock);
    }

    /** A reference to a named object and its uid, as the private claim carries them. */
    public record ObjectRef(String name, String uid) {
    }

    /**
     * What a token says.
     *
     * @param pod    the pod a pod-bound token is bound to
     * @param secret the secret a secret-bound token is bound to
     * @param node   the node a node-bound token is bound to, or the node of the pod it is bound to
     */
    public record Claims(String namespace, ObjectRef serviceAccount, Optional<ObjectRef> pod, Optional<ObjectRef> secret,
            Optional<ObjectRef> node, List<String> audiences, Instant issuedAt, Instant expiry, String tokenId) {

        public Claims {
            audiences = List.copyOf(audiences);
        }

        public String subject() {
            return SUBJECT_PREFIX + namespace + ":" + serviceAccount.name();
        }
    }

    /** Claims for a token of the service account issued now, valid for expirationSeconds. */
    public Claims claims(String namespace, ObjectRef serviceAccount, Optional<ObjectRef> pod, Optional<ObjectRef> secret,
            Optional<ObjectRef> node, List<String> audiences, long expirationSeconds) {
        // whole seconds, as the JWT carries them, so that the answer's expiry is the token's
        Instant now = Instant.ofEpochSecond(clock.instant().getEpochSecond());
        return new Claims(namespace, serviceAccount, pod, secret, node, audiences, now, now.plusSeconds(expirationSeconds),
                UUID.randomUUID().toString());
    }

    public String issue(Claims claims) {
        JwtClaims jwt = new JwtClaims();
        jwt.setIssuer(ISSUER);
        jwt.setSubject(claims.subject());
        // always an array, as kube-apiserver writes it (a single audience would otherwise be a string)
        jwt.setClaim(ReservedClaimNames.AUDIENCE, new ArrayList<>(claims.audiences()));
        jwt.setIssuedAt(NumericDate.fromSeconds(claims.issuedAt().getEpochSecond()));
        jwt.setNotBefore(NumericDate.fromSeconds(claims.issuedAt().getEpochSecond()));
        jwt.setExpirationTime(NumericDate.fromSeconds(claims.expiry().getEpochSecond()));
        jwt.setJwtId(claims.tokenId());
        Map<String, Object> kubernetes = new LinkedHashMap<>();
        kubernetes.put("namespace", claims.namespace());
        kubernetes.put("serviceaccount", ref(claims.serviceAccount()));
        claims.pod().ifPresent(pod -> kubernetes.put("pod", ref(pod)));
        claims.secret().ifPresent(secret -> kubernetes.put("secret", ref(secret)));
        claims.node().ifPresent(node -> kubernetes.put("node", ref(node)));
        jwt.setClaim(PRIVATE_CLAIM, kubernetes);

        JsonWebSignature signature = new JsonWebSignature();
        signature.setPayload(jwt.toJson());
        signature.setKey(signingKey);
        signature.setAlgorithmHeaderValue(algorithm);
        signature.setKeyIdHeaderValue(keyId);
        try {
            return signature.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException("cannot sign a service account token", e);
        }
    }

    /** The token's claims if this key signed it for the API server's audiences and it is valid now. */
    public Optional<Claims> verify(String token) {
        return verify(token, API_AUDIENCES);
    }

    /** The token's claims if this key signed it for one of the audiences and it is valid now. */
    public Optional<Claims> verify(String token, List<String> audiences) {
        JwtConsumer consumer = new JwtConsumerBuilder()
                .setVerificationKey(verificationKey)
                .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT, algorithm)
                .setExpectedIssuer(ISSUER)
                .setExpectedAudience(true, audiences.toArray(String[]::new))
                .setRequireExpirationTime()
                .setRequireSubject()
                .setAllowedClockSkewInSeconds(CLOCK_SKEW_SECONDS)
                .setEvaluationTime(NumericDate.fromMilliseconds(clock.millis()))
                .build();
        try {
            JwtClaims jwt = consumer.processToClaims(token);
            if (!(jwt.getClaimValue(PRIVATE_CLAIM) instanceof Map<?, ?> kubernetes)
                    || !(kubernetes.get("namespace") instanceof String namespace)) {
                return Optional.empty();
            }
            Optional<ObjectRef> serviceAccount = ref(kubernetes.get("serviceaccount"));
            if (serviceAccount.isEmpty() || !jwt.getSubject().equals(SUBJECT_PREFIX + namespace + ":" + serviceAccount.get().name())) {
                return Optional.empty();
            }
            Instant issuedAt = jwt.getIssuedAt() == null ? Instant.EPOCH : Instant.ofEpochSecond(jwt.getIssuedAt().getValue());
            return Optional.of(new Claims(namespace, serviceAccount.get(), ref(kubernetes.get("pod")), ref(kubernetes.get("secret")),
                    ref(kubernetes.get("node")), jwt.getAudience(), issuedAt, Instant.ofEpochSecond(jwt.getExpirationTime().getValue()),
                    jwt.getJwtId() == null ? "" : jwt.getJwtId()));
        } catch (InvalidJwtException | MalformedClaimException e) {
            LOG.debugf("service account token refused: %s", e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * The OpenID provider configuration kube-apiserver serves at {@code /.well-known/openid-configuration},
     * with which other systems find the key that verifies these tokens.
     */
    public Map<String, Object> openIdConfiguration() {
        Map<String, Object> configuration = new LinkedHashMap<>();
        configuration.put("issuer", ISSUER);
        configuration.put("jwks_uri", ISSUER + "/openid/v1/jwks");
        configuration.put("response_types_supported", List.of("id_token"));
        configuration.put("subject_types_supported", List.of("public"));
        configuration.put("id_token_signing_alg_values_supported", List.of(algorithm));
        return configuration;
    }

    /** The verification key as a JSON Web Key Set, as kube-apiserver serves it at {@code /openid/v1/jwks}. */
    public String jwks() {
        try {
            PublicJsonWebKey key = PublicJsonWebKey.Factory.newPublicJwk(verificationKey);
            key.setKeyId(keyId);
            key.setUse("sig");
            key.setAlgorithm(algorithm);
            return new JsonWebKeySet(key).toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
        } catch (JoseException e) {
            throw new IllegalStateException("cannot describe the service account key", e);
        }
    }

    private static Map<String, String> ref(ObjectRef ref) {
        Map<String, String> value = new LinkedHashMap<>();
        value.put("name", ref.name());
        value.put("uid", ref.uid());
        return value;
    }

    private static Optional<ObjectRef> ref(Object claim) {
        if (claim instanceof Map<?, ?> map && map.get("name") instanceof String name && map.get("uid") instanceof String uid) {
            return Optional.of(new ObjectRef(name, uid));
        }
        return Optional.empty();
    }

    /** As kube-apiserver names its keys: the unpadded base64url SHA-256 of the public key's DER encoding. */
    private static String keyId(PublicKey key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getEncoded());
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no SHA-256 in this JVM", e);
        }
    }
}
