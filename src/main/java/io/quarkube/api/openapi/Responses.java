package io.quarkube.api.openapi;

/** The descriptions kube-apiserver gives its documented response codes. */
final class Responses {

    private Responses() {
    }

    static String description(String code) {
        return switch (code) {
            case "200" -> "OK";
            case "201" -> "Created";
            case "202" -> "Accepted";
            default -> throw new IllegalArgumentException("undocumented response code " + code);
        };
    }
}
