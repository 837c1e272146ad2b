package io.quarkube.api.openapi;

import java.util.Set;

/**
 * The Kubernetes schema names ({@code io.k8s.api.core.v1.Pod}) of the Fabric8 model classes.
 * Fabric8 puts core/v1 and the shared apimachinery types into one Java package, so the
 * apimachinery ones are listed by name.
 */
final class SchemaNames {

    static final String META = "io.k8s.apimachinery.pkg.apis.meta.v1.";
    static final String QUANTITY = "io.k8s.apimachinery.pkg.api.resource.Quantity";
    static final String INT_OR_STRING = "io.k8s.apimachinery.pkg.util.intstr.IntOrString";
    static final String RAW_EXTENSION = "io.k8s.apimachinery.pkg.runtime.RawExtension";
    static final String TIME = META + "Time";
    static final String MICRO_TIME = META + "MicroTime";
    static final String STATUS = META + "Status";
    static final String DELETE_OPTIONS = META + "DeleteOptions";
    static final String WATCH_EVENT = META + "WatchEvent";
    static final String PATCH = META + "Patch";

    private static final String FABRIC8_MODEL = "io.fabric8.kubernetes.api.model";

    /** Types of k8s.io/apimachinery/pkg/apis/meta/v1 that Fabric8 keeps next to the core/v1 types. */
    private static final Set<String> META_TYPES = Set.of(
            "APIGroup", "APIGroupList", "APIResource", "APIResourceList", "APIVersions", "Condition",
            "CreateOptions", "DeleteOptions", "Duration", "FieldSelectorRequirement", "FieldsV1", "GetOptions",
            "GroupVersionForDiscovery", "LabelSelector", "LabelSelectorRequirement", "ListMeta", "ListOptions",
            "ManagedFieldsEntry", "MicroTime", "ObjectMeta", "OwnerReference", "Patch", "PatchOptions",
            "Preconditions", "RootPaths", "ServerAddressByClientCIDR", "Status", "StatusCause", "StatusDetails",
            "TypeMeta", "UpdateOptions", "WatchEvent");

    private SchemaNames() {
    }

    static String of(Class<?> model) {
        String pkg = model.getPackageName();
        String simple = model.getSimpleName();
        if (!pkg.startsWith(FABRIC8_MODEL)) {
            throw new IllegalArgumentException("not a Fabric8 model class: " + model.getName());
        }
        if (pkg.equals(FABRIC8_MODEL)) {
            return switch (simple) {
                case "Quantity" -> QUANTITY;
                case "IntOrString" -> INT_OR_STRING;
                default -> META_TYPES.contains(simple) ? META + simple : "io.k8s.api.core.v1." + simple;
            };
        }
        String sub = pkg.substring(FABRIC8_MODEL.length() + 1);
        if (sub.equals("runtime")) {
            return "io.k8s.apimachinery.pkg.runtime." + simple;
        }
        // "apps" and "rbac" hold v1 without saying so; "batch.v1", "autoscaling.v2" name their version.
        String lastSegment = sub.substring(sub.lastIndexOf('.') + 1);
        String groupVersion = lastSegment.matches("v\\d+((alpha|beta)\\d+)?") ? sub : sub + ".v1";
        return "io.k8s.api." + groupVersion + "." + simple;
    }
}
