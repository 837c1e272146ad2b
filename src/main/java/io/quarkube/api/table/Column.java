package io.quarkube.api.table;

/**
 * One {@code TableColumnDefinition}. Priority 0 columns are always shown by kubectl; priority 1
 * columns only with {@code -o wide}.
 *
 * @param name        column title as kube-apiserver spells it ("Name", "Up-to-date"); kubectl upper-cases it
 * @param type        "string", "integer", "boolean" or "date"
 * @param format      "name" for the column that holds the object's name, otherwise ""
 * @param description what the column shows
 * @param priority    0 for the default view, 1 for wide output
 */
public record Column(String name, String type, String format, String description, int priority) {

    static final String NAME_DESCRIPTION = "Name must be unique within a namespace. It is required when creating "
            + "resources, although some resources may allow a client to request the generation of an appropriate "
            + "name automatically.";
    static final String AGE_DESCRIPTION = "CreationTimestamp is a timestamp representing the server time when this "
            + "object was created.";

    /** The object's name column. */
    static Column objectName() {
        return new Column("Name", "string", "name", NAME_DESCRIPTION, 0);
    }

    /** The object's age column, from its creationTimestamp. */
    static Column age() {
        return new Column("Age", "string", "", AGE_DESCRIPTION, 0);
    }

    static Column string(String name, String description) {
        return new Column(name, "string", "", description, 0);
    }

    static Column integer(String name, String description) {
        return new Column(name, "integer", "", description, 0);
    }

    static Column bool(String name, String description) {
        return new Column(name, "boolean", "", description, 0);
    }

    static Column date(String name, String description) {
        return new Column(name, "date", "", description, 0);
    }

    /** This column, shown only with {@code -o wide}. */
    Column wide() {
        return new Column(name, type, format, description, 1);
    }

    /** The "Containers" wide column of workload kinds. */
    static Column containers() {
        return string("Containers", "Names of each container in the template.").wide();
    }

    /** The "Images" wide column of workload kinds. */
    static Column images() {
        return string("Images", "Images referenced by each container in the template.").wide();
    }

    /** The "Selector" wide column of workload kinds. */
    static Column selector(String description) {
        return string("Selector", description).wide();
    }
}
