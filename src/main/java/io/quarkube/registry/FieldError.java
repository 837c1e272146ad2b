package io.quarkube.registry;

/**
 * One validation failure, reported as a cause of a 422 Invalid Status.
 *
 * @param reason  kube's cause type, e.g. "FieldValueRequired", "FieldValueInvalid"
 * @param field   the field path, e.g. "metadata.name", "spec.containers[0].image"
 * @param message the message, e.g. "Required value"
 */
public record FieldError(String reason, String field, String message) {

    public static FieldError required(String field) {
        return new FieldError("FieldValueRequired", field, "Required value");
    }

    public static FieldError invalid(String field, Object value, String detail) {
        return new FieldError("FieldValueInvalid", field, "Invalid value: " + quote(value) + ": " + detail);
    }

    public static FieldError forbidden(String field, String detail) {
        return new FieldError("FieldValueForbidden", field, "Forbidden: " + detail);
    }

    public static FieldError notSupported(String field, Object value, java.util.List<String> supported) {
        return new FieldError("FieldValueNotSupported", field, "Unsupported value: " + quote(value)
                + ": supported values: " + String.join(", ", supported.stream().map(s -> "\"" + s + "\"").toList()));
    }

    public static FieldError duplicate(String field, Object value) {
        return new FieldError("FieldValueDuplicate", field, "Duplicate value: " + quote(value));
    }

    public static FieldError immutable(String field) {
        return new FieldError("FieldValueInvalid", field, "Invalid value: field is immutable");
    }

    /** "field: message", the form kube joins into an Invalid Status message. */
    public String describe() {
        return field + ": " + message;
    }

    private static String quote(Object value) {
        return value instanceof String ? "\"" + value + "\"" : String.valueOf(value);
    }
}
