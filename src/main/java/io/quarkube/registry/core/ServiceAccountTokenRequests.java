package io.quarkube.registry.core;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkube.json.Json;
import io.quarkube.json.Timestamps;
import io.quarkube.registry.FieldError;
import io.quarkube.registry.GenericStore;
import io.quarkube.registry.StatusException;
import io.quarkube.registry.Validation;
import io.quarkube.security.ServiceAccountTokens;
import io.quarkube.security.ServiceAccountTokens.Claims;
import io.quarkube.security.ServiceAccountTokens.ObjectRef;
import io.quarkube.security.UserInfo;
import io.smallrye.mutiny.Uni;

/**
 * Service account tokens, both ways, with kube-apiserver's rules. The {@code serviceaccounts/token}
 * subresource takes an authentication.k8s.io/v1 TokenRequest and answers it with a token for the
 * service account, optionally bound to a Pod, Secret or Node of the cluster; a request presenting
 * such a token as its bearer credential is the service account's, for as long as the token is
 * valid and the service account and the bound object exist with the uids the token names.
 */
public final class ServiceAccountTokenRequests {

    static final long DEFAULT_EXPIRATION_SECONDS = 3600;
    static final long MIN_EXPIRATION_SECONDS = 600;
    static final long MAX_EXPIRATION_SECONDS = 1L << 32;
    static final String GROUP = "authentication.k8s.io";
    static final String KIND = "TokenRequest";
    /** kube-apiserver keeps honouring a token this long after its service account or bound object started deleting. */
    static final Duration DELETION_GRACE = Duration.ofSeconds(60);
    private static final String SERVICE_ACCOUNTS_GROUP = "system:serviceaccounts";
    private static final String EXTRA_PREFIX = "authentication.kubernetes.io/";

    private final GenericStore serviceAccounts;
    private final GenericStore pods;
    private final GenericStore secrets;
    private final GenericStore nodes;
    private final Uni<ServiceAccountTokens> tokens;
    private final Clock clock;

    /** @param tokens the signer, once its key is read (memoized: reading it is file I/O, kept off the event loop) */
    public ServiceAccountTokenRequests(GenericStore serviceAccounts, GenericStore pods, GenericStore secrets, GenericStore nodes,
            Uni<ServiceAccountTokens> tokens, Clock clock) {
        this.serviceAccounts = serviceAccounts;
        this.pods = pods;
        this.secrets = secrets;
        this.nodes = nodes;
        this.tokens = tokens;
        this.clock = clock;
    }

    /** What signs and verifies the tokens, once its key is read (issuer discovery publishes its key). */
    public Uni<ServiceAccountTokens> signer() {
        return tokens;
    }

    // ---- issuing -------------------------------------------------------------------------------

    /**
     * Answers a TokenRequest for the service account namespace/name: the request with its defaults
     * (audiences, expirationSeconds) and a status holding the token and its expiry. A dry run checks
     * everything and issues nothing.
     */
    public Uni<ObjectNode> create(String namespace, String name, ObjectNode request, boolean dryRun) {
        Validation.requireKind(request, KIND, List.of(GROUP + "/v1"));
        ObjectNode answer = request.deepCopy();
        ObjectNode metadata = Json.with(answer, "metadata");
        checkMatches(metadata, "name", name, "must match the service account name if specified");
        checkMatches(metadata, "namespace", namespace, "must match the service account namespace if specified");
        ObjectNode spec = Json.with(answer, "spec");
        answer.remove("status");
        return serviceAccounts.get(namespace, name).flatMap(serviceAccount -> {
            metadata.put("name", name).put("namespace", namespace)
                    .put("creationTimestamp", Timestamps.of(clock.instant()));
            List<String> audiences = audiences(spec);
            long expirationSeconds = expirationSeconds(spec);
            validate(name, expirationSeconds);
            return boundObjects(namespace, name, spec.path("boundObjectRef")).flatMap(bound -> {
                if (dryRun) {
                    return Uni.createFrom().item(answer);
                }
                return tokens.map(signer -> {
                    Claims claims = signer.claims(namespace, ref(serviceAccount), bound.pod, bound.secret, bound.node, audiences,
                            expirationSeconds);
                    answer.putObject("status").put("token", signer.issue(claims))
                            .put("expirationTimestamp", claims.expiry().toString());
                    return answer;
                });
            });
        });
    }

    private static void checkMatches(ObjectNode metadata, String field, String expected, String detail) {
        String given = metadata.path(field).asText("");
        if (!given.isEmpty() && !given.equals(expected)) {
            throw invalid(expected, FieldError.invalid("metadata." + field, given, detail));
        }
    }

    private static List<String> audiences(ObjectNode spec) {
        List<String> audiences = new ArrayList<>();
        spec.path("audiences").forEach(audience -> audiences.add(audience.asText()));
        if (audiences.isEmpty()) {
            audiences.addAll(ServiceAccountTokens.API_AUDIENCES);
            ArrayNode defaulted = spec.putArray("audiences");
            audiences.forEach(defaulted::add);
        }
        return audiences;
    }

    private static long expirationSeconds(ObjectNode spec) {
        JsonNode given = spec.get("expirationSeconds");
        if (given == null || given.isNull()) {
            spec.put("expirationSeconds", DEFAULT_EXPIRATION_SECONDS);
            return DEFAULT_EXPIRATION_SECONDS;
        }
        if (!given.canConvertToLong()) {
            throw StatusException.badRequest("spec.expirationSeconds must be an integer: " + given);
        }
        return given.asLong();
    }

    private static void validate(String name, long expirationSeconds) {
        if (expirationSeconds < MIN_EXPIRATION_SECONDS) {
            throw invalid(name, FieldError.invalid("spec.expirationSeconds", expirationSeconds,
                    "may not specify a duration less than 10 minutes"));
        }
        if (expirationSeconds > MAX_EXPIRATION_SECONDS) {
            throw invalid(name, FieldError.invalid("spec.expirationSeconds", expirationSeconds,
                    "may not specify a duration larger than 2^32 seconds"));
        }
    }

    private static StatusException invalid(String name, FieldError cause) {
        return new StatusException(422, "Invalid", KIND + "." + GROUP + " \"" + name + "\" is invalid: " + cause.describe(),
                GROUP, KIND, name, List.of(cause), null);
    }

    /** What a token's claims name beside the service account. */
    private record Bound(Optional<ObjectRef> pod, Optional<ObjectRef> secret, Optional<ObjectRef> node) {
        static final Bound NOTHING = new Bound(Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** The object spec.boundObjectRef names, checked as kube-apiserver checks it. */
    private Uni<Bound> boundObjects(String namespace, String serviceAccount, JsonNode ref) {
        if (ref.isMissingNode() || ref.isNull()) {
            return Uni.createFrom().item(Bound.NOTHING);
        }
        String kind = ref.path("kind").asText("");
        String apiVersion = ref.path("apiVersion").asText("");
        String name = ref.path("name").asText("");
        String uid = ref.path("uid").asText("");
        if (!apiVersion.isEmpty() && !apiVersion.equals("v1") || !List.of("Pod", "Secret", "Node").contains(kind)) {
            throw StatusException.badRequest("cannot bind token to object of type " + groupVersion(apiVersion) + ", Kind=" + kind);
        }
        return switch (kind) {
            case "Pod" -> pods.get(namespace, name).flatMap(pod -> {
                String podServiceAccount = Json.text(pod, "spec", "serviceAccountName");
                if (!serviceAccount.equals(podServiceAccount)) {
                    throw StatusException.badRequest("cannot bind token for serviceaccount \"" + serviceAccount
                            + "\" to pod running with different serviceaccount name.");
                }
                checkUid(kind, name, uid, pod);
                String nodeName = Json.text(pod, "spec", "nodeName");
                if (nodeName == null || nodeName.isEmpty()) {
                    return Uni.createFrom().item(new Bound(Optional.of(ref(pod)), Optional.empty(), Optional.empty()));
                }
                // a missing node still goes into the claims by name, as kube-apiserver does
                return nodes.get("", nodeName).map(node -> ref(node))
                        .onFailure(StatusException.class).recoverWithItem(new ObjectRef(nodeName, ""))
                        .map(node -> new Bound(Optional.of(ref(pod)), Optional.empty(), Optional.of(node)));
            });
            case "Secret" -> secrets.get(namespace, name).map(secret -> {
                checkUid(kind, name, uid, secret);
                return new Bound(Optional.empty(), Optional.of(ref(secret)), Optional.empty());
            });
            default -> nodes.get("", name).map(node -> {
                checkUid(kind, name, uid, node);
                return new Bound(Optional.empty(), Optional.empty(), Optional.of(ref(node)));
            });
        };
    }

    /** Go's schema.GroupVersion String() of an apiVersion: "/v1" for the core group. */
    private static String groupVersion(String apiVersion) {
        return apiVersion.contains("/") || apiVersion.isEmpty() ? apiVersion : "/" + apiVersion;
    }

    private static void checkUid(String kind, String name, String uid, ObjectNode object) {
        if (!uid.isEmpty() && !uid.equals(Json.text(object, "metadata", "uid"))) {
            throw new StatusException(409, "Conflict", "Operation cannot be fulfilled on " + kind + " \"" + name
                    + "\": the UID in the bound object reference (" + uid + ") does not match the UID in record. "
                    + "The object might have been deleted and then recreated", "", kind, name, null, null);
        }
    }

    private static ObjectRef ref(ObjectNode object) {
        return new ObjectRef(Json.text(object, "metadata", "name"), Json.text(object, "metadata", "uid"));
    }

    // ---- authenticating ------------------------------------------------------------------------

    /**
     * The service account a bearer token authenticates, if this cluster issued the token, it is
     * valid now, and the service account and the object it is bound to still exist (or started
     * deleting less than a minute ago) with the uids it names.
     */
    public Uni<Optional<UserInfo>> authenticate(String token) {
        return review(token, ServiceAccountTokens.API_AUDIENCES).map(reviewed -> reviewed.map(Reviewed::user));
    }

    /** A token's user and the audiences, of those asked about, that it was issued for. */
    public record Reviewed(UserInfo user, List<String> audiences) {
    }

    /**
     * As {@link #authenticate}, for a token meant for any of the given audiences: what a TokenReview
     * answers. A token for none of them authenticates nothing.
     */
    public Uni<Optional<Reviewed>> review(String token, List<String> audiences) {
        return tokens.flatMap(signer -> signer.verify(token, audiences)
                .map(claims -> stillValid(claims).map(user -> user.map(u -> new Reviewed(u,
                        audiences.stream().filter(claims.audiences()::contains).toList()))))
                .orElse(Uni.createFrom().item(Optional.empty())));
    }

    private Uni<Optional<UserInfo>> stillValid(Claims claims) {
        String namespace = claims.namespace();
        Uni<Boolean> current = stillThere(serviceAccounts, namespace, claims.serviceAccount());
        if (claims.pod().isPresent()) {
            current = both(current, stillThere(pods, namespace, claims.pod().get()));
        } else if (claims.secret().isPresent()) {
            current = both(current, stillThere(secrets, namespace, claims.secret().get()));
        } else if (claims.node().isPresent()) {
            current = both(current, stillThere(nodes, "", claims.node().get()));
        }
        return current.map(valid -> valid ? Optional.of(user(claims)) : Optional.empty());
    }

    /** The service account's user, with the extra attributes kube-apiserver derives from the token. */
    private static UserInfo user(Claims claims) {
        Map<String, List<String>> extra = new LinkedHashMap<>();
        extra.put(EXTRA_PREFIX + "credential-id", List.of("JTI=" + claims.tokenId()));
        claims.pod().ifPresent(pod -> {
            extra.put(EXTRA_PREFIX + "pod-name", List.of(pod.name()));
            extra.put(EXTRA_PREFIX + "pod-uid", List.of(pod.uid()));
        });
        claims.node().ifPresent(node -> {
            extra.put(EXTRA_PREFIX + "node-name", List.of(node.name()));
            if (!node.uid().isEmpty()) {
                extra.put(EXTRA_PREFIX + "node-uid", List.of(node.uid()));
            }
        });
        String namespace = claims.namespace();
        return new UserInfo(claims.subject(), claims.serviceAccount().uid(),
                List.of(SERVICE_ACCOUNTS_GROUP, SERVICE_ACCOUNTS_GROUP + ":" + namespace, UserInfo.AUTHENTICATED), extra);
    }

    private static Uni<Boolean> both(Uni<Boolean> first, Uni<Boolean> second) {
        return first.flatMap(valid -> valid ? second : Uni.createFrom().item(false));
    }

    private Uni<Boolean> stillThere(GenericStore store, String namespace, ObjectRef ref) {
        return store.get(namespace, ref.name())
                .map(object -> ref.uid().equals(Json.text(object, "metadata", "uid")) && !deletedLongAgo(object))
                .onFailure(StatusException.class).recoverWithItem(false);
    }

    private boolean deletedLongAgo(ObjectNode object) {
        String deletion = Json.text(object, "metadata", "deletionTimestamp");
        return deletion != null && Instant.parse(deletion).isBefore(clock.instant().minus(DELETION_GRACE));
    }
}
