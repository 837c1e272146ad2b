package io.quarkube.api.table;

import java.util.HashMap;
import java.util.Map;

/**
 * The table printer of each served kind, keyed by API group and kind; kinds without one get
 * {@link ObjectMetaPrinter} (NAME, AGE).
 */
final class PrinterRegistry {

    private static final PrinterRegistry BUILT_IN = createBuiltIn();

    private final Map<String, TablePrinter> printers = new HashMap<>();
    private final TablePrinter fallback = new ObjectMetaPrinter();

    private PrinterRegistry() {
    }

    /** The printers of the kinds quarkube serves. */
    static PrinterRegistry builtIn() {
        return BUILT_IN;
    }

    private static PrinterRegistry createBuiltIn() {
        PrinterRegistry registry = new PrinterRegistry();
        registry.register("", "Pod", new PodPrinter());
        registry.register("", "Node", new NodePrinter());
        WorkloadPrinters.registerAll(registry);
        BatchPrinters.registerAll(registry);
        NetworkPrinters.registerAll(registry);
        ClusterPrinters.registerAll(registry);
        ConfigPrinters.registerAll(registry);
        EventPrinter events = new EventPrinter();
        registry.register("", "Event", events);
        registry.register("events.k8s.io", "Event", events);
        RbacPrinters.registerAll(registry);
        PolicyPrinters.registerAll(registry);
        StoragePrinters.registerAll(registry);
        return registry;
    }

    void register(String group, String kind, TablePrinter printer) {
        printers.put(key(group, kind), printer);
    }

    /** The printer for objects of this group ("" for core) and kind. */
    TablePrinter forKind(String group, String kind) {
        return printers.getOrDefault(key(group, kind), fallback);
    }

    private static String key(String group, String kind) {
        return group + "/" + kind;
    }
}
