package io.quarkube.registry;

import java.util.List;

/**
 * A request the API answers with a {@code metav1.Status} failure: the code, reason and message
 * kube-apiserver gives for the same case. Client mistakes and conflicts, never server faults.
 */
public final class StatusException extends RuntimeException {

    private final int code;
    private final String reason;
    private final String kind;
    private final String group;
    private final String name;
    private final List<FieldError> causes;
    private final Integer retryAfterSeconds;

    public StatusException(int code, String reason, String message, String group, String kind, String name,
            List<FieldError> causes, Integer retryAfterSeconds) {
        super(message, null, false, false);
        this.code = code;
        this.reason = reason;
        this.group = group;
        this.kind = kind;
        this.name = name;
        this.causes = causes == null ? List.of() : causes;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public static StatusException badRequest(String message) {
        return new StatusException(400, "BadRequest", message, null, null, null, null, null);
    }

    public static StatusException notFound(ResourceType type, String name) {
        return new StatusException(404, "NotFound", type.groupResource() + " \"" + name + "\" not found",
                type.group(), type.plural(), name, null, null);
    }

    public static StatusException notFound(String message) {
        return new StatusException(404, "NotFound", message, null, null, null, null, null);
    }

    public static StatusException alreadyExists(ResourceType type, String name) {
        return new StatusException(409, "AlreadyExists", type.groupResource() + " \"" + name + "\" already exists",
                type.group(), type.plural(), name, null, null);
    }

    public static StatusException conflict(ResourceType type, String name, String detail) {
        return new StatusException(409, "Conflict", "Operation cannot be fulfilled on " + type.groupResource()
                + " \"" + name + "\": " + detail, type.group(), type.plural(), name, null, null);
    }

    public static StatusException invalid(ResourceType type, String name, List<FieldError> causes) {
        return invalid(type.group(), type.kind(), name, causes);
    }

    /** As {@link #invalid(ResourceType, String, List)}, for a kind outside the catalog (the reviews). */
    public static StatusException invalid(String group, String kind, String name, List<FieldError> causes) {
        String details = causes.size() == 1 ? causes.get(0).describe()
                : "[" + String.join(", ", causes.stream().map(FieldError::describe).toList()) + "]";
        return new StatusException(422, "Invalid", kind + (group.isEmpty() ? "" : "." + group)
                + " \"" + name + "\" is invalid: " + details, group, kind, name, causes, null);
    }

    /** kube-apiserver's 405, for a verb the resource or subresource does not serve. */
    public static StatusException methodNotAllowed() {
        return new StatusException(405, "MethodNotAllowed", "the server does not allow this method on the requested resource",
                null, null, null, null, null);
    }

    public static StatusException expired(String message) {
        return new StatusException(410, "Expired", message, null, null, null, null, null);
    }

    public static StatusException unsupportedMediaType(String contentType) {
        return new StatusException(415, "UnsupportedMediaType", "the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf",
                null, null, null, null, null);
    }

    public int code() {
        return code;
    }

    public String reason() {
        return reason;
    }

    public String kind() {
        return kind;
    }

    public String group() {
        return group;
    }

    public String name() {
        return name;
    }

    public List<FieldError> causes() {
        return causes;
    }

    public Integer retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
