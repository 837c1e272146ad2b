package io.quarkube.api.table;

/** A {@code TableRowCondition}: kube-apiserver marks rows of finished pods as {@code Completed}. */
record RowCondition(String type, String status, String reason, String message) {
}
