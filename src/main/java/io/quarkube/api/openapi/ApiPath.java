package io.quarkube.api.openapi;

import java.util.List;

/** A URL template, e.g. {@code /api/v1/namespaces/{namespace}/pods/{name}}, with its operations. */
record ApiPath(String path, List<ApiOperation> operations) {

    /** The path parameters the template names, in kube-apiserver's order. */
    List<String> pathParameters() {
        return List.of("name", "namespace").stream().filter(p -> path.contains("{" + p + "}")).toList();
    }
}
