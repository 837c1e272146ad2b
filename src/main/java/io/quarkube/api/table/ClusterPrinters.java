package io.quarkube.api.table;

import java.util.List;

/** Namespaces and leases. */
final class ClusterPrinters {

    private ClusterPrinters() {
    }

    static void registerAll(PrinterRegistry registry) {
        registry.register("", "Namespace", TablePrinter.of(List.of(
                Column.objectName(),
                Column.string("Status", "The status of the namespace"),
                Column.age()),
                (namespace, now) -> List.of(Cells.name(namespace), namespace.at("/status/phase").asText(),
                        Times.age(namespace, now))));
        registry.register("coordination.k8s.io", "Lease", TablePrinter.of(List.of(
                Column.objectName(),
                Column.string("Holder", "holderIdentity contains the identity of the holder of a current lease."),
                Column.age()),
                (lease, now) -> List.of(Cells.name(lease), lease.at("/spec/holderIdentity").asText(),
                        Times.age(lease, now))));
    }
}
