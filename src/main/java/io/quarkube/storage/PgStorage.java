package io.quarkube.storage;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkube.json.Json;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;

/**
 * The PostgreSQL side of storage: current objects ({@code qk_object}) and the change log
 * ({@code qk_log}), whose primary key is the global revision.
 *
 * <p>Revisions come from a sequence, so writes never queue behind one lock. Each write is one
 * statement that takes its revision, applies its condition and appends exactly one change-log row
 * for that revision; a write whose condition fails still appends a row (code NONE), so no revision
 * is ever left open by a rejected write. Only a write that dies mid-statement leaves a gap, which
 * the change-log reader fills after a timeout ({@link #fillGap}); the write then fails on the log's
 * primary key and is retried with a new revision, so a filled revision can never commit later.
 */
@ApplicationScoped
public class PgStorage {

    private static final String UNIQUE_VIOLATION = "23505";
    private static final int WRITE_ATTEMPTS = 5;
    /** Advisory lock key held by the replica that is compacting ("qkcompac" in ASCII). */
    private static final long COMPACTION_LOCK = 0x716b636f6d706163L;

    static final String SCHEMA = """
            CREATE SEQUENCE IF NOT EXISTS qk_revision;
            CREATE TABLE IF NOT EXISTS qk_object (
                resource text NOT NULL, namespace text NOT NULL, name text NOT NULL,
                revision bigint NOT NULL, value text NOT NULL,
                PRIMARY KEY (resource, namespace, name));
            CREATE TABLE IF NOT EXISTS qk_log (
                revision bigint PRIMARY KEY,
                resource text NOT NULL, namespace text NOT NULL, name text NOT NULL,
                event smallint NOT NULL, value text, prev_value text);
            CREATE INDEX IF NOT EXISTS qk_log_key ON qk_log (resource, namespace, name, revision);
            CREATE TABLE IF NOT EXISTS qk_meta (key text PRIMARY KEY, value bigint NOT NULL);
            """;

    private static final String CREATE = """
            WITH rev AS (SELECT nextval('qk_revision') AS r),
            obj AS (INSERT INTO qk_object (resource, namespace, name, revision, value)
                    SELECT $1, $2, $3, rev.r, $4::text FROM rev ON CONFLICT DO NOTHING RETURNING revision),
            log AS (INSERT INTO qk_log (revision, resource, namespace, name, event, value)
                    SELECT rev.r,
                           CASE WHEN obj.revision IS NULL THEN '' ELSE $1 END,
                           CASE WHEN obj.revision IS NULL THEN '' ELSE $2 END,
                           CASE WHEN obj.revision IS NULL THEN '' ELSE $3 END,
                           CASE WHEN obj.revision IS NULL THEN 3 ELSE 0 END,
                           CASE WHEN obj.revision IS NULL THEN NULL ELSE $4::text END
                    FROM rev LEFT JOIN obj ON true RETURNING event)
            SELECT rev.r AS revision, log.event AS event FROM rev, log""";

    private static final String UPDATE = """
            WITH rev AS (SELECT nextval('qk_revision') AS r),
            obj AS (UPDATE qk_object o SET revision = rev.r, value = $5::text FROM rev
                    WHERE o.resource = $1 AND o.namespace = $2 AND o.name = $3 AND o.revision = $4
                    RETURNING o.revision),
            log AS (INSERT INTO qk_log (revision, resource, namespace, name, event, value, prev_value)
                    SELECT rev.r,
                           CASE WHEN obj.revision IS NULL THEN '' ELSE $1 END,
                           CASE WHEN obj.revision IS NULL THEN '' ELSE $2 END,
                           CASE WHEN obj.revision IS NULL THEN '' ELSE $3 END,
                           CASE WHEN obj.revision IS NULL THEN 3 ELSE 1 END,
                           CASE WHEN obj.revision IS NULL THEN NULL ELSE $5::text END,
                           CASE WHEN obj.revision IS NULL THEN NULL ELSE $6::text END
                    FROM rev LEFT JOIN obj ON true RETURNING event)
            SELECT rev.r AS revision, log.event AS event FROM rev, log""";

    private static final String DELETE = """
            WITH rev AS (SELECT nextval('qk_revision') AS r),
            obj AS (DELETE FROM qk_object o
                    WHERE o.resource = $1 AND o.namespace = $2 AND o.name = $3 AND o.revision = $4
                    RETURNING o.value),
            log AS (INSERT INTO qk_log (revision, resource, namespace, name, event, value)
                    SELECT rev.r,
                           CASE WHEN obj.value IS NULL THEN '' ELSE $1 END,
                           CASE WHEN obj.value IS NULL THEN '' ELSE $2 END,
                           CASE WHEN obj.value IS NULL THEN '' ELSE $3 END,
                           CASE WHEN obj.value IS NULL THEN 3 ELSE 2 END,
                           CASE WHEN obj.value IS NULL THEN NULL ELSE coalesce($5::text, obj.value) END
                    FROM rev LEFT JOIN obj ON true RETURNING event, value)
            SELECT rev.r AS revision, log.event AS event, log.value AS value FROM rev, log""";

    private static final String GET = "SELECT revision, value FROM qk_object WHERE resource = $1 AND namespace = $2 AND name = $3";

    /** The state of one resource at a revision: the newest log row of each key at or below it, unless a delete. */
    private static final String LIST_AT = """
            SELECT namespace, name, revision, value FROM (
                SELECT DISTINCT ON (namespace, name) namespace, name, revision, event, value FROM qk_log
                WHERE resource = $1 AND revision <= $2 AND (namespace, name) > ($3, $4) AND ($5 = '' OR namespace = $5)
                ORDER BY namespace, name, revision DESC) latest
            WHERE event IN (0, 1) ORDER BY namespace, name LIMIT $6""";

    private static final String ALL_AT = """
            SELECT resource, namespace, name, revision, value FROM (
                SELECT DISTINCT ON (resource, namespace, name) resource, namespace, name, revision, event, value
                FROM qk_log WHERE resource <> '' AND revision <= $1
                ORDER BY resource, namespace, name, revision DESC) latest
            WHERE event IN (0, 1)""";

    /** What the watch cache follows; it knows each object's previous state itself. */
    private static final String CHANGES_AFTER = """
            SELECT revision, resource, namespace, name, event, value, NULL AS prev_value FROM qk_log
            WHERE revision > $1 ORDER BY revision LIMIT $2""";

    private static final String RESOURCE_CHANGES = """
            SELECT revision, resource, namespace, name, event, value, prev_value FROM qk_log
            WHERE resource = $1 AND revision > $2 AND revision <= $3 ORDER BY revision""";

    private static final String MISSING_REVISIONS = """
            SELECT s.r FROM generate_series($1::bigint, $2::bigint) AS s(r)
            WHERE NOT EXISTS (SELECT 1 FROM qk_log WHERE revision = s.r) ORDER BY s.r""";

    private static final String COMPACT = """
            DELETE FROM qk_log l WHERE l.revision <= $1 AND (l.event IN (2, 3) OR EXISTS (
                SELECT 1 FROM qk_log n WHERE n.resource = l.resource AND n.namespace = l.namespace
                AND n.name = l.name AND n.revision > l.revision AND n.revision <= $1))""";

    @Inject
    Pool pool;

    /** Creates the tables on first start; blocking, run once before serving. */
    public void createSchema() {
        // One simple-protocol query runs all the statements in a single round trip.
        pool.query(SCHEMA).execute().await().indefinitely();
    }

    /** Stores a new object; fails with ALREADY_EXISTS when the key is taken. */
    public Uni<StoredObject> create(ObjectKey key, ObjectNode object) {
        String json = storedJson(object);
        return write(CREATE, Tuple.of(key.resource(), key.namespace(), key.name(), json))
                .map(row -> {
                    if (row.getInteger("event") == ChangeCodes.NONE) {
                        throw StorageException.alreadyExists(key);
                    }
                    return stored(key, row.getLong("revision"), object);
                });
    }

    /** Replaces the object stored at exactly expectedRevision; fails with {@link RevisionChanged} otherwise. */
    public Uni<StoredObject> update(ObjectKey key, long expectedRevision, ObjectNode previous, ObjectNode object) {
        String json = storedJson(object);
        String previousJson = storedJson(previous);
        return write(UPDATE, Tuple.from(List.of(key.resource(), key.namespace(), key.name(), expectedRevision, json, previousJson)))
                .map(row -> {
                    if (row.getInteger("event") == ChangeCodes.NONE) {
                        throw new RevisionChanged();
                    }
                    return stored(key, row.getLong("revision"), object);
                });
    }

    /**
     * Deletes the object stored at exactly expectedRevision; returns it as of the deleting revision.
     * finalState, when given, is what the change log records as deleted (an update that released the
     * last finalizer deletes the object as updated, not as stored).
     */
    public Uni<StoredObject> delete(ObjectKey key, long expectedRevision, ObjectNode finalState) {
        String finalJson = finalState == null ? null : storedJson(finalState);
        return write(DELETE, Tuple.from(java.util.Arrays.asList(key.resource(), key.namespace(), key.name(), expectedRevision, finalJson)))
                .map(row -> {
                    if (row.getInteger("event") == ChangeCodes.NONE) {
                        throw new RevisionChanged();
                    }
                    return stored(key, row.getLong("revision"), Json.parseObject(row.getString("value")));
                });
    }

    /** Retries a write whose revision was filled as a gap by a change-log reader. */
    private Uni<Row> write(String sql, Tuple arguments) {
        return pool.preparedQuery(sql).execute(arguments)
                .map(rows -> rows.iterator().next())
                .onFailure(PgStorage::lostItsRevision).retry().atMost(WRITE_ATTEMPTS);
    }

    private static boolean lostItsRevision(Throwable failure) {
        return failure instanceof PgException pg && UNIQUE_VIOLATION.equals(pg.getSqlState());
    }

    public Uni<Optional<StoredObject>> get(ObjectKey key) {
        return pool.preparedQuery(GET).execute(Tuple.of(key.resource(), key.namespace(), key.name()))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return Optional.empty();
                    }
                    Row row = rows.iterator().next();
                    long revision = row.getLong("revision");
                    return Optional.of(stored(key, revision, Json.parseObject(row.getString("value"))));
                });
    }

    /** Up to limit objects of one resource as they were at revision, after the key (afterNamespace, afterName). */
    public Uni<List<StoredObject>> listAt(String resource, String namespace, long revision, String afterNamespace,
            String afterName, int limit) {
        return pool.preparedQuery(LIST_AT)
                .execute(Tuple.from(List.of(resource, revision, afterNamespace, afterName, namespace, limit)))
                .map(rows -> {
                    List<StoredObject> objects = new ArrayList<>(rows.size());
                    for (Row row : rows) {
                        ObjectKey key = new ObjectKey(resource, row.getString("namespace"), row.getString("name"));
                        objects.add(stored(key, row.getLong("revision"), Json.parseObject(row.getString("value"))));
                    }
                    return objects;
                });
    }

    /** Every object of every resource as it was at revision (watch-cache initialization). */
    public Uni<List<StoredObject>> everythingAt(long revision) {
        return pool.preparedQuery(ALL_AT).execute(Tuple.of(revision)).map(rows -> {
            List<StoredObject> objects = new ArrayList<>(rows.size());
            for (Row row : rows) {
                ObjectKey key = new ObjectKey(row.getString("resource"), row.getString("namespace"), row.getString("name"));
                objects.add(stored(key, row.getLong("revision"), Json.parseObject(row.getString("value"))));
            }
            return objects;
        });
    }

    /** The highest committed revision (0 on an empty store). */
    public Uni<Long> committedRevision() {
        return pool.query("SELECT coalesce(max(revision), 0) AS r FROM qk_log").execute()
                .map(rows -> rows.iterator().next().getLong("r"));
    }

    Uni<List<ChangeRow>> changesAfter(long revision, int limit) {
        return pool.preparedQuery(CHANGES_AFTER).execute(Tuple.of(revision, limit)).map(PgStorage::changeRows);
    }

    Uni<List<ChangeRow>> resourceChanges(String resource, long after, long upTo) {
        return pool.preparedQuery(RESOURCE_CHANGES).execute(Tuple.of(resource, after, upTo)).map(PgStorage::changeRows);
    }

    Uni<List<Long>> missingRevisions(long from, long to) {
        return pool.preparedQuery(MISSING_REVISIONS).execute(Tuple.of(from, to)).map(rows -> {
            List<Long> missing = new ArrayList<>();
            rows.forEach(row -> missing.add(row.getLong(0)));
            return missing;
        });
    }

    /**
     * Closes a revision that no write has committed within the timeout, so that readers can move
     * past it. Returns true when this call filled it (false: the write committed after all).
     */
    Uni<Boolean> fillGap(long revision) {
        return pool.preparedQuery("INSERT INTO qk_log (revision, resource, namespace, name, event) VALUES ($1, '', '', '', 3) ON CONFLICT DO NOTHING")
                .execute(Tuple.of(revision)).map(rows -> rows.rowCount() == 1);
    }

    /**
     * Drops change-log rows at or below revision that a newer row of the same key (at or below it)
     * supersedes, and deletions and filled gaps at or below it, and records revision as compacted:
     * the state at any revision from there on stays complete. Replicas may call this concurrently:
     * a transaction-scoped advisory lock lets one compact while the others skip. Returns the number
     * of rows dropped (0 when another replica holds the lock).
     */
    public Uni<Long> compact(long revision) {
        return pool.withTransaction(connection -> connection.query("SELECT pg_try_advisory_xact_lock(" + COMPACTION_LOCK + ") AS locked")
                .execute().flatMap(locked -> locked.iterator().next().getBoolean("locked")
                        ? compactLocked(connection, revision)
                        : Uni.createFrom().item(0L)));
    }

    private static Uni<Long> compactLocked(SqlConnection connection, long revision) {
        return connection.preparedQuery(COMPACT).execute(Tuple.of(revision))
                .call(() -> connection.preparedQuery(
                        "INSERT INTO qk_meta (key, value) VALUES ('compacted', $1) ON CONFLICT (key) DO UPDATE SET value = greatest(qk_meta.value, excluded.value)")
                        .execute(Tuple.of(revision)))
                .map(rows -> (long) rows.rowCount());
    }

    /** The revision up to which history has been compacted (0 when never). */
    public Uni<Long> compactedRevision() {
        return pool.query("SELECT coalesce((SELECT value FROM qk_meta WHERE key = 'compacted'), 0) AS r").execute()
                .map(rows -> rows.iterator().next().getLong("r"));
    }

    private static List<ChangeRow> changeRows(RowSet<Row> rows) {
        List<ChangeRow> changes = new ArrayList<>(rows.size());
        for (Row row : rows) {
            changes.add(new ChangeRow(row.getLong("revision"), row.getString("resource"), row.getString("namespace"),
                    row.getString("name"), row.getInteger("event"), row.getString("value"), row.getString("prev_value")));
        }
        return changes;
    }

    /** The JSON stored for an object: everything but its resourceVersion, which is the row's revision. */
    /**
     * The JSON stored for an object: without metadata.resourceVersion, which the revision column
     * holds. The caller's object is left as it was (a write that fails is retried with it).
     */
    private static String storedJson(ObjectNode object) {
        ObjectNode metadata = Json.with(object, "metadata");
        JsonNode version = metadata.remove("resourceVersion");
        try {
            return Json.write(object);
        } finally {
            if (version != null) {
                metadata.set("resourceVersion", version);
            }
        }
    }

    static StoredObject stored(ObjectKey key, long revision, ObjectNode object) {
        Json.with(object, "metadata").put("resourceVersion", Long.toString(revision));
        return new StoredObject(key, revision, object);
    }
}
