package io.quarkube.registry.pod;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkube.json.Json;
import io.quarkube.json.Timestamps;
import io.quarkube.registry.DeleteOptions;
import io.quarkube.registry.FieldError;
import io.quarkube.registry.GenericStore;
import io.quarkube.registry.GenericStore.Part;
import io.quarkube.registry.LabelSelector;
import io.quarkube.registry.StatusException;
import io.quarkube.registry.Validation;
import io.quarkube.registry.WriteOptions;
import io.quarkube.registry.policy.DisruptionAllowedCondition;
import io.smallrye.mutiny.Uni;

/**
 * The {@code pods/eviction} subresource, with kube-apiserver's rules: a pod that is not running
 * (Pending, Succeeded, Failed) or already being deleted is deleted without looking at budgets;
 * otherwise the one PodDisruptionBudget selecting the pod must allow a disruption, which the
 * eviction takes (decrementing {@code status.disruptionsAllowed} under the budget's
 * resourceVersion and recording the pod in {@code status.disruptedPods}) before deleting the pod.
 * The decisions are pure static methods; {@link #evict} reads and writes through the stores.
 */
public final class PodEviction {

    /** The StatusCause type of a refusal by a budget (policy/v1 DisruptionBudgetCause). */
    public static final String DISRUPTION_BUDGET_CAUSE = "DisruptionBudget";
    public static final String VIOLATION = "Cannot evict pod as it would violate the pod's disruption budget.";
    public static final String MULTIPLE_BUDGETS = "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.";
    /** Above this many unconfirmed evictions a budget refuses more, until the disruption controller catches up. */
    static final int MAX_DISRUPTED_PODS = 2000;
    /** kube-apiserver retries conflicting writes 20 times. */
    private static final int CONFLICT_RETRIES = 20;
    private static final WriteOptions WRITE = new WriteOptions(false, "Ignore", "kube-apiserver");

    private final GenericStore pods;
    private final GenericStore budgets;
    private final Clock clock;

    public PodEviction(GenericStore pods, GenericStore budgets, Clock clock) {
        this.pods = pods;
        this.budgets = budgets;
        this.clock = clock;
    }

    // ---- the request ---------------------------------------------------------------------------

    /**
     * The delete options of an Eviction body (policy/v1, or policy/v1beta1 as kube still accepts)
     * for the pod named in the URL: 400 when the body is not an Eviction of that pod.
     */
    public static DeleteOptions deleteOptions(ObjectNode eviction, String namespace, String name, boolean requestDryRun) {
        Validation.requireKind(eviction, "Eviction", List.of("policy/v1", "policy/v1beta1"));
        if (!name.equals(eviction.path("metadata").path("name").asText(""))) {
            throw StatusException.badRequest("name in URL does not match name in Eviction object");
        }
        String givenNamespace = eviction.path("metadata").path("namespace").asText("");
        if (!givenNamespace.isEmpty() && !givenNamespace.equals(namespace)) {
            throw StatusException.badRequest("the namespace of the provided object does not match the namespace sent on the request");
        }
        JsonNode options = eviction.path("deleteOptions");
        DeleteOptions parsed = DeleteOptions.parse(options.isObject() ? options : Json.object(), parameter -> "");
        // a dry run asked for in the request or in the body (All being the only value, they cannot disagree)
        return new DeleteOptions(requestDryRun || parsed.dryRun(), parsed.gracePeriodSeconds(), parsed.propagationPolicy(),
                parsed.uid(), parsed.resourceVersion());
    }

    // ---- rules ---------------------------------------------------------------------------------

    /** Pods whose deletion disrupts nothing more: not running yet, finished, or already going. */
    public static boolean canIgnoreBudgets(ObjectNode pod) {
        String phase = Json.text(pod, "status", "phase");
        return "Pending".equals(phase) || "Succeeded".equals(phase) || "Failed".equals(phase)
                || pod.path("metadata").hasNonNull("deletionTimestamp");
    }

    /** Whether the delete must be conditional on the pod not having changed (becoming ready meanwhile). */
    static boolean enforcesResourceVersion(ObjectNode pod) {
        String phase = Json.text(pod, "status", "phase");
        return !"Succeeded".equals(phase) && !"Failed".equals(phase) && !pod.path("metadata").hasNonNull("deletionTimestamp");
    }

    public static boolean isReady(JsonNode pod) {
        for (JsonNode condition : pod.path("status").path("conditions")) {
            if ("Ready".equals(condition.path("type").asText()) && "True".equals(condition.path("status").asText())) {
                return true;
            }
        }
        return false;
    }

    /**
     * The budgets (of the pod's namespace) whose selector matches the pod. As kube-apiserver's
     * eviction does, a missing or empty selector guards nothing here, and an invalid one is skipped.
     */
    public static List<ObjectNode> budgetsOf(ObjectNode pod, List<ObjectNode> budgets) {
        List<ObjectNode> matching = new ArrayList<>();
        for (ObjectNode budget : budgets) {
            String selector = LabelSelector.textOf(budget.path("spec").path("selector"));
            if (selector.isEmpty()) {
                continue;
            }
            try {
                if (LabelSelector.parse(selector).matchesLabels(pod.path("metadata").get("labels"))) {
                    matching.add(budget);
                }
            } catch (IllegalArgumentException invalid) {
                // an invalid selector matches no pod
            }
        }
        return matching;
    }

    /** What the eviction of a running pod does, given the budgets that select it. */
    public sealed interface Decision {
        /** Delete the pod with the request's options. */
        record Delete() implements Decision {
        }

        /** Delete the pod only as it was read: it does not count as healthy, and the budget is met. */
        record DeleteUnhealthy(String budget) implements Decision {
        }

        /** Take a disruption from the budget, then delete the pod. */
        record TakeDisruption(ObjectNode budget) implements Decision {
        }
    }

    public static Decision decide(ObjectNode pod, List<ObjectNode> budgets) {
        if (budgets.size() > 1) {
            throw new StatusException(500, null, MULTIPLE_BUDGETS, null, null, null, null, null);
        }
        if (budgets.isEmpty()) {
            return new Decision.Delete();
        }
        ObjectNode budget = budgets.get(0);
        String name = Json.text(budget, "metadata", "name");
        if (!isReady(pod)) {
            if ("AlwaysAllow".equals(Json.text(budget, "spec", "unhealthyPodEvictionPolicy"))) {
                return new Decision.DeleteUnhealthy(name);
            }
            JsonNode status = budget.path("status");
            int desired = status.path("desiredHealthy").asInt(0);
            if (status.path("currentHealthy").asInt(0) >= desired && desired > 0) {
                return new Decision.DeleteUnhealthy(name);
            }
        }
        return new Decision.TakeDisruption(budget);
    }

    /**
     * The budget after this eviction took one disruption (for the status subresource, with the
     * budget's resourceVersion as precondition), or a 429 when it allows none or has not been
     * observed by the disruption controller since its last change.
     */
    public static ObjectNode takeDisruption(ObjectNode budget, String podName, Instant now) {
        String name = Json.text(budget, "metadata", "name");
        JsonNode status = budget.path("status");
        if (status.path("observedGeneration").asLong(0) < budget.path("metadata").path("generation").asLong(0)) {
            throw stillProcessing(name);
        }
        int allowed = status.path("disruptionsAllowed").asInt(0);
        if (allowed < 0) {
            throw forbidden(name, "pdb disruptions allowed is negative");
        }
        if (status.path("disruptedPods").size() > MAX_DISRUPTED_PODS) {
            throw forbidden(name, "DisruptedPods map too big - too many evictions not confirmed by PDB controller");
        }
        if (allowed == 0) {
            throw tooManyRequests("The disruption budget " + name + " needs " + status.path("desiredHealthy").asInt(0)
                    + " healthy pods and has " + status.path("currentHealthy").asInt(0) + " currently", null);
        }
        ObjectNode updated = budget.deepCopy();
        ObjectNode newStatus = Json.with(updated, "status");
        newStatus.put("disruptionsAllowed", allowed - 1);
        if (allowed - 1 == 0) {
            DisruptionAllowedCondition.set(newStatus, now);
        }
        Json.with(newStatus, "disruptedPods").put(podName, Timestamps.of(now));
        return updated;
    }

    static StatusException stillProcessing(String budget) {
        return tooManyRequests("The disruption budget " + budget + " is still being processed by the server.", 10);
    }

    private static StatusException tooManyRequests(String cause, Integer retryAfterSeconds) {
        return new StatusException(429, "TooManyRequests", VIOLATION, null, null, null,
                List.of(new FieldError(DISRUPTION_BUDGET_CAUSE, null, cause)), retryAfterSeconds);
    }

    private static StatusException forbidden(String budget, String why) {
        return new StatusException(403, "Forbidden", "poddisruptionbudget.policy \"" + budget + "\" is forbidden: " + why,
                "policy", "poddisruptionbudget", budget, null, null);
    }

    // ---- the flow ------------------------------------------------------------------------------

    /** Evicts the pod or fails with the Status kube-apiserver answers. */
    public Uni<Void> evict(String namespace, String name, DeleteOptions options) {
        boolean retryConflicts = options.resourceVersion() == null;
        // a pod whose budgets do not count is deleted at once, conditional on it not having
        // changed (so it cannot have become ready meanwhile): null tells the next step it is done
        Uni<ObjectNode> running = Uni.createFrom().deferred(() -> pods.get(namespace, name).flatMap(pod -> {
            if (!canIgnoreBudgets(pod)) {
                return Uni.createFrom().item(pod);
            }
            DeleteOptions delete = enforcesResourceVersion(pod) && options.resourceVersion() == null
                    ? options.withResourceVersion(Json.text(pod, "metadata", "resourceVersion")) : options;
            return pods.delete(namespace, name, delete).replaceWith((ObjectNode) null);
        })).onFailure(failure -> retryConflicts && isConflict(failure)).retry().atMost(CONFLICT_RETRIES);
        return running.flatMap(pod -> pod == null ? Uni.createFrom().voidItem()
                : budgets.list(namespace, "", "", 0, "", "", "")
                        .map(listed -> budgetsOf(pod, listed.items().stream().map(item -> item.object()).toList()))
                        .flatMap(matching -> evictRunning(pod, decide(pod, matching), options)));
    }

    private Uni<Void> evictRunning(ObjectNode pod, Decision decision, DeleteOptions options) {
        String namespace = Json.text(pod, "metadata", "namespace");
        String name = Json.text(pod, "metadata", "name");
        if (decision instanceof Decision.TakeDisruption take) {
            return takeDisruption(take.budget(), name, options.dryRun(), 1)
                    .flatMap(ignored -> pods.delete(namespace, name, options)).replaceWithVoid();
        }
        if (decision instanceof Decision.DeleteUnhealthy unhealthy) {
            return pods.delete(namespace, name, options.resourceVersion() != null ? options
                    : options.withResourceVersion(Json.text(pod, "metadata", "resourceVersion")))
                    .replaceWithVoid()
                    // the pod changed since it was judged unhealthy: the client should try again
                    .onFailure(failure -> isConflict(failure) && options.resourceVersion() == null)
                    .transform(failure -> stillProcessing(unhealthy.budget()));
        }
        return pods.delete(namespace, name, options).replaceWithVoid();
    }

    /** Writes the budget with one disruption taken, re-reading it after a conflicting write. */
    private Uni<Void> takeDisruption(ObjectNode budget, String podName, boolean dryRun, int attempt) {
        String namespace = Json.text(budget, "metadata", "namespace");
        String name = Json.text(budget, "metadata", "name");
        ObjectNode updated;
        try {
            updated = takeDisruption(budget, podName, clock.instant());
        } catch (StatusException refused) {
            return Uni.createFrom().failure(refused);
        }
        if (dryRun) {
            return Uni.createFrom().voidItem();
        }
        return budgets.update(namespace, name, updated, WRITE, Part.STATUS).replaceWithVoid()
                .onFailure(PodEviction::isConflict).recoverWithUni(conflict -> attempt >= CONFLICT_RETRIES
                        ? Uni.createFrom().failure(new StatusException(504, "Timeout", "couldn't update PodDisruptionBudget \""
                                + name + "\" due to conflicts", null, null, null, null, 10))
                        : budgets.get(namespace, name).flatMap(latest -> takeDisruption(latest, podName, dryRun, attempt + 1)));
    }

    private static boolean isConflict(Throwable failure) {
        return failure instanceof StatusException status && status.code() == 409;
    }
}
