package io.quarkube.registry;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/** The name and metadata rules of k8s.io/apimachinery's validation package. */
public final class Validation {

    private static final String LABEL = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
    private static final Pattern DNS_LABEL = Pattern.compile(LABEL);
    private static final Pattern DNS_SUBDOMAIN = Pattern.compile(LABEL + "(\\." + LABEL + ")*");
    private static final Pattern QUALIFIED_NAME = Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");
    private static final Pattern LABEL_VALUE = Pattern.compile("(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?");

    private Validation() {
    }

    /**
     * Refuses (400) a request body that names another kind, or a group version not among
     * apiVersions; a body naming neither is taken as the expected kind, as kube-apiserver decodes a
     * subresource's body.
     */
    public static void requireKind(JsonNode body, String kind, List<String> apiVersions) {
        String givenKind = body.path("kind").asText("");
        String givenVersion = body.path("apiVersion").asText("");
        if (!givenKind.isEmpty() && !givenKind.equals(kind) || !givenVersion.isEmpty() && !apiVersions.contains(givenVersion)) {
            throw StatusException.badRequest("not a " + kind + " object: " + givenVersion + ", Kind=" + givenKind);
        }
    }

    public static List<FieldError> dnsSubdomain(String field, String value) {
        if (value.length() > 253) {
            return List.of(FieldError.invalid(field, value, "must be no more than 253 characters"));
        }
        if (!DNS_SUBDOMAIN.matcher(value).matches()) {
            return List.of(FieldError.invalid(field, value, "a lowercase RFC 1123 subdomain must consist of lower case "
                    + "alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character "
                    + "(e.g. 'example.com', regex used for validation is '" + LABEL + "(\\." + LABEL + ")*')"));
        }
        return List.of();
    }

    public static List<FieldError> dnsLabel(String field, String value) {
        if (value.length() > 63) {
            return List.of(FieldError.invalid(field, value, "must be no more than 63 characters"));
        }
        if (!DNS_LABEL.matcher(value).matches()) {
            return List.of(FieldError.invalid(field, value, "a lowercase RFC 1123 label must consist of lower case "
                    + "alphanumeric characters or '-', and must start and end with an alphanumeric character "
                    + "(e.g. 'my-name',  or '123-abc', regex used for validation is '" + LABEL + "')"));
        }
        return List.of();
    }

    /** Label keys are qualified names (optional DNS prefix), values at most 63 characters. */
    public static List<FieldError> labels(String field, JsonNode labels) {
        List<FieldError> errors = new ArrayList<>();
        if (labels == null || labels.isNull()) {
            return errors;
        }
        for (Map.Entry<String, JsonNode> entry : (Iterable<Map.Entry<String, JsonNode>>) labels::fields) {
            errors.addAll(qualifiedName(field, entry.getKey()));
            String value = entry.getValue().asText();
            if (value.length() > 63 || !LABEL_VALUE.matcher(value).matches()) {
                errors.add(FieldError.invalid(field, value, "a valid label must be an empty string or consist of "
                        + "alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character"));
            }
        }
        return errors;
    }

    public static List<FieldError> annotations(String field, JsonNode annotations) {
        List<FieldError> errors = new ArrayList<>();
        if (annotations == null || annotations.isNull()) {
            return errors;
        }
        long size = 0;
        for (Map.Entry<String, JsonNode> entry : (Iterable<Map.Entry<String, JsonNode>>) annotations::fields) {
            errors.addAll(qualifiedName(field, entry.getKey()));
            size += entry.getKey().length() + entry.getValue().asText().length();
        }
        if (size > 256 * 1024) {
            errors.add(new FieldError("FieldValueTooLong", field, "Too long: must have at most 262144 bytes"));
        }
        return errors;
    }

    public static List<FieldError> qualifiedName(String field, String key) {
        String name = key;
        int slash = key.indexOf('/');
        if (slash >= 0) {
            String prefix = key.substring(0, slash);
            name = key.substring(slash + 1);
            if (prefix.isEmpty() || !dnsSubdomain(field, prefix).isEmpty()) {
                return List.of(FieldError.invalid(field, key, "prefix part must be a lowercase RFC 1123 subdomain"));
            }
        }
        if (name.isEmpty() || name.length() > 63 || !QUALIFIED_NAME.matcher(name).matches()) {
            return List.of(FieldError.invalid(field, key, "name part must consist of alphanumeric characters, '-', '_' "
                    + "or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  "
                    + "or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"));
        }
        return List.of();
    }
}
