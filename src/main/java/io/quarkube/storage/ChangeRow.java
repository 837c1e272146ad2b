package io.quarkube.storage;

/** One row of the change log as read back from PostgreSQL. */
record ChangeRow(long revision, String resource, String namespace, String name, int event, String value,
        String previousValue) {

    boolean isChange() {
        return event != ChangeCodes.NONE;
    }

    ObjectKey key() {
        return new ObjectKey(resource, namespace, name);
    }
}
