package io.quarkube.registry.core;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkube.json.Json;
import io.quarkube.registry.FieldError;
import io.quarkube.registry.Strategy;

/** Secrets: type Opaque by default, stringData folded into base64 data, data keys and values checked. */
public final class SecretStrategy implements Strategy {

    @Override
    public void prepareForCreate(ObjectNode secret) {
        if (!secret.hasNonNull("type")) {
            secret.put("type", "Opaque");
        }
        foldStringData(secret);
    }

    @Override
    public void prepareForUpdate(ObjectNode secret, ObjectNode old) {
        prepareForCreate(secret);
    }

    private static void foldStringData(ObjectNode secret) {
        JsonNode stringData = secret.remove("stringData");
        if (stringData instanceof ObjectNode strings) {
            ObjectNode data = Json.with(secret, "data");
            strings.fields().forEachRemaining(e -> data.put(e.getKey(),
                    Base64.getEncoder().encodeToString(e.getValue().asText().getBytes(java.nio.charset.StandardCharsets.UTF_8))));
        }
    }

    @Override
    public List<FieldError> validate(ObjectNode secret) {
        List<FieldError> errors = new ArrayList<>();
        secret.path("data").fields().forEachRemaining(e -> {
            if (!e.getKey().matches("[-._a-zA-Z0-9]+")) {
                errors.add(FieldError.invalid("data[" + e.getKey() + "]", e.getKey(),
                        "a valid config key must consist of alphanumeric characters, '-', '_' or '.'"));
            }
            try {
                Base64.getDecoder().decode(e.getValue().asText());
            } catch (IllegalArgumentException notBase64) {
                errors.add(FieldError.invalid("data[" + e.getKey() + "]", "<value>", "illegal base64 data"));
            }
        });
        return errors;
    }

    @Override
    public List<FieldError> validateUpdate(ObjectNode secret, ObjectNode old) {
        List<FieldError> errors = new ArrayList<>(validate(secret));
        if (!secret.path("type").equals(old.path("type"))) {
            errors.add(FieldError.immutable("type"));
        }
        if (old.path("immutable").asBoolean(false)) {
            if (!secret.path("data").equals(old.path("data"))) {
                errors.add(FieldError.forbidden("data", "field is immutable when `immutable` is set"));
            }
            if (!secret.path("immutable").asBoolean(false)) {
                errors.add(FieldError.forbidden("immutable", "field is immutable when `immutable` is set"));
            }
        }
        return errors;
    }

    @Override
    public Map<String, Function<ObjectNode, String>> selectableFields() {
        return Map.of("type", o -> Json.text(o, "type"));
    }
}
