package io.quarkube.api.table;

import java.util.List;

/** Config maps, secrets and service accounts: how many entries each holds. */
final class ConfigPrinters {

    private ConfigPrinters() {
    }

    static void registerAll(PrinterRegistry registry) {
        registry.register("", "ConfigMap", TablePrinter.of(List.of(
                Column.objectName(),
                Column.string("Data", "Data contains the configuration data."),
                Column.age()),
                (configMap, now) -> List.of(Cells.name(configMap),
                        (long) (configMap.path("data").size() + configMap.path("binaryData").size()),
                        Times.age(configMap, now))));
        registry.register("", "Secret", TablePrinter.of(List.of(
                Column.objectName(),
                Column.string("Type", "Used to facilitate programmatic handling of secret data."),
                Column.string("Data", "Data contains the secret data."),
                Column.age()),
                (secret, now) -> List.of(Cells.name(secret), secret.path("type").asText(),
                        Cells.size(secret.path("data")), Times.age(secret, now))));
        registry.register("", "ServiceAccount", TablePrinter.of(List.of(
                Column.objectName(),
                Column.string("Secrets", "Secrets is a list of the secrets in the same namespace that pods running "
                        + "using this ServiceAccount are allowed to use."),
                Column.age()),
                (account, now) -> List.of(Cells.name(account), Cells.size(account.path("secrets")),
                        Times.age(account, now))));
    }
}
