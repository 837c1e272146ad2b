package io.quarkube.api.table;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/** Roles and cluster roles (NAME, CREATED AT) and their bindings (NAME ROLE AGE, wide subjects). */
final class RbacPrinters {

    private static final String GROUP = "rbac.authorization.k8s.io";

    private RbacPrinters() {
    }

    static void registerAll(PrinterRegistry registry) {
        registry.register(GROUP, "Role", CreatedAtPrinter.INSTANCE);
        registry.register(GROUP, "ClusterRole", CreatedAtPrinter.INSTANCE);
        registry.register(GROUP, "RoleBinding", bindingPrinter("roleBinding"));
        registry.register(GROUP, "ClusterRoleBinding", bindingPrinter("clusterRoleBinding"));
    }

    private static TablePrinter bindingPrinter(String kindInText) {
        return TablePrinter.of(List.of(
                Column.objectName(),
                Column.string("Role", "RoleRef can reference a Role in the current namespace or a ClusterRole in the "
                        + "global namespace."),
                Column.age(),
                Column.string("Users", "Users in the " + kindInText).wide(),
                Column.string("Groups", "Groups in the " + kindInText).wide(),
                Column.string("ServiceAccounts", "ServiceAccounts in the " + kindInText).wide()),
                RbacPrinters::binding);
    }

    private static List<Object> binding(JsonNode binding, Instant now) {
        List<String> users = new ArrayList<>();
        List<String> groups = new ArrayList<>();
        List<String> serviceAccounts = new ArrayList<>();
        for (JsonNode subject : binding.path("subjects")) {
            String name = subject.path("name").asText();
            switch (subject.path("kind").asText()) {
                case "User" -> users.add(name);
                case "Group" -> groups.add(name);
                case "ServiceAccount" -> serviceAccounts.add(subject.path("namespace").asText() + ":" + name);
                default -> {
                    // Unknown subject kinds are not shown.
                }
            }
        }
        JsonNode roleRef = binding.path("roleRef");
        return List.of(
                Cells.name(binding),
                roleRef.path("kind").asText() + "/" + roleRef.path("name").asText(),
                Times.age(binding, now),
                String.join(", ", users),
                String.join(", ", groups),
                String.join(", ", serviceAccounts));
    }
}
