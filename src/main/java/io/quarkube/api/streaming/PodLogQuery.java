package io.quarkube.api.streaming;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import io.quarkube.registry.FieldError;
import io.quarkube.registry.StatusException;

/**
 * The {@code PodLogOptions} of a {@code pods/log} request, parsed and validated as kube-apiserver
 * does, and the query that carries them on to the node's agent.
 */
record PodLogQuery(String container, boolean follow, boolean previous, boolean timestamps, Long sinceSeconds,
        Instant sinceTime, Long tailLines, Long limitBytes) {

    /**
     * Reads the options from query parameters (looked up by name, null when absent); 400 for values
     * that do not parse, 422 for values kube's validation rejects.
     */
    static PodLogQuery parse(String podName, Function<String, String> params) {
        PodLogQuery query = new PodLogQuery(text(params.apply("container")), flag(params, "follow"), flag(params, "previous"),
                flag(params, "timestamps"), number(params, "sinceSeconds"), time(params.apply("sinceTime")),
                number(params, "tailLines"), number(params, "limitBytes"));
        List<FieldError> errors = query.validate();
        if (!errors.isEmpty()) {
            String details = errors.size() == 1 ? errors.get(0).describe()
                    : "[" + String.join(", ", errors.stream().map(FieldError::describe).toList()) + "]";
            throw new StatusException(422, "Invalid", "PodLogOptions \"" + podName + "\" is invalid: " + details,
                    "", "PodLogOptions", podName, errors, null);
        }
        return query;
    }

    /** kube's ValidatePodLogOptions. */
    private List<FieldError> validate() {
        List<FieldError> errors = new ArrayList<>();
        if (tailLines != null && tailLines < 0) {
            errors.add(FieldError.invalid("tailLines", tailLines, "must be greater than or equal to 0"));
        }
        if (limitBytes != null && limitBytes < 1) {
            errors.add(FieldError.invalid("limitBytes", limitBytes, "must be greater than 0"));
        }
        if (sinceSeconds != null && sinceTime != null) {
            errors.add(FieldError.forbidden("", "at most one of `sinceTime` or `sinceSeconds` may be specified"));
        } else if (sinceSeconds != null && sinceSeconds < 1) {
            errors.add(FieldError.invalid("sinceSeconds", sinceSeconds, "must be greater than 0"));
        }
        return errors;
    }

    /** The query string for the agent's {@code /containerLogs/NS/POD/CONTAINER}, as kube-apiserver builds it. */
    String agentQuery() {
        List<String> params = new ArrayList<>();
        if (follow) {
            params.add("follow=true");
        }
        if (previous) {
            params.add("previous=true");
        }
        if (timestamps) {
            params.add("timestamps=true");
        }
        if (sinceSeconds != null) {
            params.add("sinceSeconds=" + sinceSeconds);
        }
        if (sinceTime != null) {
            params.add("sinceTime=" + DateTimeFormatter.ISO_INSTANT.format(sinceTime.truncatedTo(ChronoUnit.SECONDS)).replace(":", "%3A"));
        }
        if (tailLines != null) {
            params.add("tailLines=" + tailLines);
        }
        if (limitBytes != null) {
            params.add("limitBytes=" + limitBytes);
        }
        return String.join("&", params);
    }

    private static String text(String value) {
        return value == null ? "" : value;
    }

    /** Go's strconv.ParseBool, as kube's query parameter conversion reads booleans. */
    private static boolean flag(Function<String, String> params, String name) {
        String value = params.apply(name);
        if (value == null || value.isEmpty()) {
            return false;
        }
        return switch (value) {
            case "1", "t", "T", "true", "TRUE", "True" -> true;
            case "0", "f", "F", "false", "FALSE", "False" -> false;
            default -> throw StatusException.badRequest("invalid boolean value for " + name + ": " + value);
        };
    }

    private static Long number(Function<String, String> params, String name) {
        String value = params.apply(name);
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw StatusException.badRequest("strconv.ParseInt: parsing \"" + value + "\": invalid syntax");
        }
    }

    /** metav1.Time in a query: RFC 3339. */
    private static Instant time(String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value, DateTimeFormatter.ISO_OFFSET_DATE_TIME).withOffsetSameInstant(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException e) {
            throw StatusException.badRequest("parsing time \"" + value + "\" as \"2006-01-02T15:04:05Z07:00\": cannot parse");
        }
    }
}
