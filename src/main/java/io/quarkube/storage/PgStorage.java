package io.quarkube.storage;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.hibernate.JDBCException;
import org.hibernate.reactive.mutiny.Mutiny;

import io.quarkube.json.Json;
import io.quarkube.storage.WriteBatcher.Outcome;
import io.quarkube.storage.WriteBatcher.Write;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * The PostgreSQL side of storage: current objects ({@code qk_object}) and the change log
 * ({@code qk_log}), whose primary key is the global revision.
 *
 * <p>Revisions come from a sequence, so writes never queue behind one lock. A write statement (a
 * call of the {@link #SCHEMA} write function, carrying one write or a batch of them: see
 * {@link WriteBatcher}) has each write take its revision, apply its condition and append exactly one
 * change-log row for that revision; a write whose condition fails still appends a row (code NONE),
 * so no revision is ever left open by a rejected write. Only a statement that dies midway leaves
 * gaps, which the change-log reader fills after a timeout ({@link #fillGaps}); the statement then
 * fails on the log's primary key and is retried with new revisions, so a filled revision can never
 * commit later.
 *
 * <p>Access goes through Hibernate Reactive: objects, change-log rows and the compaction mark are
 * entities ({@link ObjectRecord}, {@link ChangeLogRecord}, {@link StorageMark}); the statements are
 * native SQL, because each write must take its revision, check its condition and log itself in one
 * statement, which no entity operation does, and the point-in-time lists need DISTINCT ON. The
 * writes call database functions: Hibernate parses a native statement on every execution, and a
 * statement of a few dozen characters costs it next to nothing.
 */
@ApplicationScoped
public class PgStorage {

    private static final String UNIQUE_VIOLATION = "23505";
    private static final int WRITE_ATTEMPTS = 5;
    /** Advisory lock key held by the replica that is compacting ("qkcompac" in ASCII). */
    private static final long COMPACTION_LOCK = 0x716b636f6d706163L;

    /** Held while creating the schema, so that replicas starting together do not race on the catalog ("qkschema"). */
    private static final long SCHEMA_LOCK = 0x716b736368656d61L;

    /**
     * The tables, and the write function. It applies a batch of writes (creates, updates, deletes)
     * in order; each write takes the next revision, applies its condition and appends exactly one
     * change-log row for that revision (code NONE, with no key, when the condition failed). Kept in
     * the database so that the statement the store sends is one short call. The per-kind functions
     * of earlier versions are dropped.
     */
    static final List<String> SCHEMA = List.of("""
            CREATE SEQUENCE IF NOT EXISTS qk_revision""", """
            CREATE TABLE IF NOT EXISTS qk_object (
                resource text NOT NULL, namespace text NOT NULL, name text NOT NULL,
                revision bigint NOT NULL, value text NOT NULL,
                PRIMARY KEY (resource, namespace, name))""", """
            CREATE TABLE IF NOT EXISTS qk_log (
                revision bigint PRIMARY KEY,
                resource text NOT NULL, namespace text NOT NULL, name text NOT NULL,
                event smallint NOT NULL, value text, prev_value text)""", """
            CREATE INDEX IF NOT EXISTS qk_log_key ON qk_log (resource, namespace, name, revision)""", """
            CREATE TABLE IF NOT EXISTS qk_meta (key text PRIMARY KEY, value bigint NOT NULL)""", """
            DROP FUNCTION IF EXISTS qk_create(text, text, text, text)""", """
            DROP FUNCTION IF EXISTS qk_update(text, text, text, bigint, text, text)""", """
            DROP FUNCTION IF EXISTS qk_delete(text, text, text, bigint, text)""", """
            CREATE OR REPLACE FUNCTION qk_write(p_op int[], p_resource text[], p_namespace text[], p_name text[],
                    p_expected bigint[], p_value text[], p_previous text[])
                    RETURNS TABLE (new_revision bigint, outcome int, deleted text) LANGUAGE plpgsql AS $body$
            BEGIN
                FOR i IN 1 .. cardinality(p_op) LOOP
                    new_revision := nextval('qk_revision');
                    deleted := NULL;
                    IF p_op[i] = 0 THEN
                        INSERT INTO qk_object (resource, namespace, name, revision, value)
                            VALUES (p_resource[i], p_namespace[i], p_name[i], new_revision, p_value[i]) ON CONFLICT DO NOTHING;
                    ELSIF p_op[i] = 1 THEN
                        UPDATE qk_object SET revision = new_revision, value = p_value[i]
                            WHERE resource = p_resource[i] AND namespace = p_namespace[i] AND name = p_name[i]
                            AND revision = p_expected[i];
                    ELSE
                        DELETE FROM qk_object
                            WHERE resource = p_resource[i] AND namespace = p_namespace[i] AND name = p_name[i]
                            AND revision = p_expected[i]
                            RETURNING coalesce(p_value[i], value) INTO deleted;
                    END IF;
                    IF FOUND THEN
                        outcome := p_op[i];
                        INSERT INTO qk_log (revision, resource, namespace, name, event, value, prev_value)
                            VALUES (new_revision, p_resource[i], p_namespace[i], p_name[i], p_op[i],
                                    coalesce(deleted, p_value[i]), p_previous[i]);
                    ELSE
                        outcome := 3;
                        INSERT INTO qk_log (revision, resource, namespace, name, event) VALUES (new_revision, '', '', '', 3);
                    END IF;
                    RETURN NEXT;
                END LOOP;
            END $body$""");

    /**
     * Names the schema above; kept as the comment of qk_object, so that a start against a database
     * already holding it reads one row and writes nothing (the DDL, replacing three functions and
     * committing, was a good part of a start's storage work).
     */
    static final String SCHEMA_VERSION = "quarkube schema " + Integer.toHexString(SCHEMA.hashCode());
    private static final String SCHEMA_MARK = "SELECT obj_description(to_regclass('qk_object'), 'pg_class')";

    private static final String WRITE = "SELECT new_revision, outcome, deleted FROM qk_write(?1, ?2, ?3, ?4, ?5, ?6, ?7)";

    /** The state of one resource at a revision: the newest log row of each key at or below it, unless a delete. */
    private static final String LIST_AT = """
            SELECT namespace, name, revision, value FROM (
                SELECT DISTINCT ON (namespace, name) namespace, name, revision, event, value FROM qk_log
                WHERE resource = ?1 AND revision <= ?2 AND (namespace, name) > (?3, ?4) AND (?5 = '' OR namespace = ?5)
                ORDER BY namespace, name, revision DESC) latest
            WHERE event IN (0, 1) ORDER BY namespace, name LIMIT ?6""";

    private static final String ALL_AT = """
            SELECT resource, namespace, name, revision, value FROM (
                SELECT DISTINCT ON (resource, namespace, name) resource, namespace, name, revision, event, value
                FROM qk_log WHERE resource <> '' AND revision <= ?1
                ORDER BY resource, namespace, name, revision DESC) latest
            WHERE event IN (0, 1)""";

    /** What the watch cache follows; it knows each object's previous state itself. */
    private static final String CHANGES_AFTER = """
            SELECT revision, resource, namespace, name, event, value, NULL AS prev_value FROM qk_log
            WHERE revision > ?1 ORDER BY revision LIMIT ?2""";

    private static final String RESOURCE_CHANGES = """
            SELECT revision, resource, namespace, name, event, value, prev_value FROM qk_log
            WHERE resource = ?1 AND revision > ?2 AND revision <= ?3 ORDER BY revision""";

    private static final String COMMITTED_REVISION = "SELECT coalesce(max(revision), 0) FROM qk_log";

    private static final String MISSING_REVISIONS = """
            SELECT s.r FROM generate_series(cast(?1 as bigint), cast(?2 as bigint)) AS s(r)
            WHERE NOT EXISTS (SELECT 1 FROM qk_log WHERE revision = s.r) ORDER BY s.r""";

    private static final String COMPACT = """
            DELETE FROM qk_log l WHERE l.revision <= ?1 AND (l.event IN (2, 3) OR EXISTS (
                SELECT 1 FROM qk_log n WHERE n.resource = l.resource AND n.namespace = l.namespace
                AND n.name = l.name AND n.revision > l.revision AND n.revision <= ?1))""";

    private static final String FILL_GAP = "INSERT INTO qk_log (revision, resource, namespace, name, event) VALUES (?1, '', '', '', 3) ON CONFLICT DO NOTHING";
    private static final String RECORD_COMPACTED = """
            INSERT INTO qk_meta (key, value) VALUES ('compacted', ?1)
            ON CONFLICT (key) DO UPDATE SET value = greatest(qk_meta.value, excluded.value)""";

    @Inject
    Mutiny.SessionFactory sessions;

    private final WriteBatcher batcher;

    @Inject
    PgStorage(StorageConfig config) {
        batcher = new WriteBatcher(config.writeStatements(), this::write);
    }

    /** Creates the tables and functions, or brings the functions up to date; blocking, run once before serving. */
    public void createSchema() {
        if (SCHEMA_VERSION.equals(schemaVersion().await().indefinitely())) {
            return;
        }
        inSession(session -> session.withTransaction(transaction -> session
                .createNativeQuery("SELECT pg_advisory_xact_lock(" + SCHEMA_LOCK + ")").getSingleResult()
                // "already exists, skipping" notices are no news: the client would log each one
                .flatMap(locked -> session.createNativeQuery("SET LOCAL client_min_messages = warning").executeUpdate())
                .flatMap(quiet -> Multi.createFrom().iterable(SCHEMA)
                        .onItem().transformToUniAndConcatenate(statement -> session.createNativeQuery(statement).executeUpdate())
                        .collect().last())
                .flatMap(created -> session.createNativeQuery(
                        "COMMENT ON TABLE qk_object IS '" + SCHEMA_VERSION + "'").executeUpdate())))
                .await().indefinitely();
    }

    /** The schema version the database holds; null before the first start. */
    Uni<String> schemaVersion() {
        return inSession(session -> session.createNativeQuery(SCHEMA_MARK, String.class).getSingleResult());
    }

    /** Stores a new object; fails with ALREADY_EXISTS when the key is taken. */
    public Uni<StoredObject> create(ObjectKey key, ObjectNode object) {
        return batcher.submit(new Write(ChangeCodes.ADDED, key, 0, storedJson(object), null))
                .map(outcome -> {
                    if (outcome.event() == ChangeCodes.NONE) {
                        throw StorageException.alreadyExists(key);
                    }
                    return stored(key, outcome.revision(), object);
                });
    }

    /** Replaces the object stored at exactly expectedRevision; fails with {@link RevisionChanged} otherwise. */
    public Uni<StoredObject> update(ObjectKey key, long expectedRevision, ObjectNode previous, ObjectNode object) {
        return batcher.submit(new Write(ChangeCodes.MODIFIED, key, expectedRevision, storedJson(object), storedJson(previous)))
                .map(outcome -> {
                    if (outcome.event() == ChangeCodes.NONE) {
                        throw new RevisionChanged();
                    }
                    return stored(key, outcome.revision(), object);
                });
    }

    /**
     * Deletes the object stored at exactly expectedRevision; returns it as of the deleting revision.
     * finalState, when given, is what the change log records as deleted (an update that released the
     * last finalizer deletes the object as updated, not as stored).
     */
    public Uni<StoredObject> delete(ObjectKey key, long expectedRevision, ObjectNode finalState) {
        String finalJson = finalState == null ? null : storedJson(finalState);
        return batcher.submit(new Write(ChangeCodes.DELETED, key, expectedRevision, finalJson, null))
                .map(outcome -> {
                    if (outcome.event() == ChangeCodes.NONE) {
                        throw new RevisionChanged();
                    }
                    return stored(key, outcome.revision(), Json.parseObject(outcome.deleted()));
                });
    }

    /**
     * Runs writes as one statement, which answers one row (revision, event, deleted value) per write
     * in order; retries a batch one of whose revisions a change-log reader filled as a gap meanwhile
     * (the failed statement committed nothing, and the retry takes new revisions).
     */
    private Uni<List<Outcome>> write(List<Write> writes) {
        int size = writes.size();
        Integer[] ops = new Integer[size];
        String[] resources = new String[size];
        String[] namespaces = new String[size];
        String[] names = new String[size];
        Long[] expected = new Long[size];
        String[] values = new String[size];
        String[] previous = new String[size];
        for (int i = 0; i < size; i++) {
            Write write = writes.get(i);
            ops[i] = write.op();
            resources[i] = write.key().resource();
            namespaces[i] = write.key().namespace();
            names[i] = write.key().name();
            expected[i] = write.expectedRevision();
            values[i] = write.value();
            previous[i] = write.previous();
        }
        return inSession(session -> session.createNativeQuery(WRITE, Object[].class)
                .setParameter(1, ops).setParameter(2, resources).setParameter(3, namespaces).setParameter(4, names)
                .setParameter(5, expected).setParameter(6, values).setParameter(7, previous).getResultList())
                .onFailure(PgStorage::lostItsRevision).retry().atMost(WRITE_ATTEMPTS)
                .map(rows -> {
                    if (rows.size() != size) {
                        throw new IllegalStateException("a batch of " + size + " writes answered " + rows.size() + " rows");
                    }
                    List<Outcome> outcomes = new ArrayList<>(size);
                    for (Object[] row : rows) {
                        outcomes.add(new Outcome(((Number) row[0]).longValue(), ((Number) row[1]).intValue(), (String) row[2]));
                    }
                    return outcomes;
                });
    }

    private static boolean lostItsRevision(Throwable failure) {
        return failure instanceof JDBCException sql && UNIQUE_VIOLATION.equals(sql.getSQLState());
    }

    public Uni<Optional<StoredObject>> get(ObjectKey key) {
        return inSession(session -> session.get(ObjectRecord.class, key))
                .map(found -> Optional.ofNullable(found).map(row -> stored(key, row.revision, Json.parseObject(row.json))));
    }

    /** Up to limit objects of one resource as they were at revision, after the key (afterNamespace, afterName). */
    public Uni<List<StoredObject>> listAt(String resource, String namespace, long revision, String afterNamespace,
            String afterName, int limit) {
        return inSession(session -> session.createNativeQuery(LIST_AT, Object[].class)
                .setParameter(1, resource).setParameter(2, revision).setParameter(3, afterNamespace)
                .setParameter(4, afterName).setParameter(5, namespace).setParameter(6, limit).getResultList())
                .map(rows -> {
                    List<StoredObject> objects = new ArrayList<>(rows.size());
                    for (Object[] row : rows) {
                        ObjectKey key = new ObjectKey(resource, (String) row[0], (String) row[1]);
                        objects.add(stored(key, ((Number) row[2]).longValue(), Json.parseObject((String) row[3])));
                    }
                    return objects;
                });
    }

    /** Every object of every resource as it was at revision (watch-cache initialization). */
    public Uni<List<StoredObject>> everythingAt(long revision) {
        return inSession(session -> session.createNativeQuery(ALL_AT, Object[].class).setParameter(1, revision).getResultList())
                .map(rows -> {
                    List<StoredObject> objects = new ArrayList<>(rows.size());
                    for (Object[] row : rows) {
                        ObjectKey key = new ObjectKey((String) row[0], (String) row[1], (String) row[2]);
                        objects.add(stored(key, ((Number) row[3]).longValue(), Json.parseObject((String) row[4])));
                    }
                    return objects;
                });
    }

    /** The highest committed revision (0 on an empty store). */
    public Uni<Long> committedRevision() {
        return inSession(session -> session.createNativeQuery(COMMITTED_REVISION, Long.class).getSingleResult());
    }

    Uni<List<ChangeRow>> changesAfter(long revision, int limit) {
        return inSession(session -> session.createNativeQuery(CHANGES_AFTER, ChangeLogRecord.class)
                .setParameter(1, revision).setParameter(2, limit).getResultList())
                .map(PgStorage::changeRows);
    }

    Uni<List<ChangeRow>> resourceChanges(String resource, long after, long upTo) {
        return inSession(session -> session.createNativeQuery(RESOURCE_CHANGES, ChangeLogRecord.class)
                .setParameter(1, resource).setParameter(2, after).setParameter(3, upTo).getResultList())
                .map(PgStorage::changeRows);
    }

    Uni<List<Long>> missingRevisions(long from, long to) {
        return inSession(session -> session.createNativeQuery(MISSING_REVISIONS, Long.class)
                .setParameter(1, from).setParameter(2, to).getResultList());
    }

    /**
     * Closes the revisions from..to that no write has committed within the timeout, so that readers
     * can move past them; revisions committed meanwhile are left as they are. Returns how many this
     * call closed. Each is closed by a statement of its own: a statement holding one closed revision
     * while it waits for a write to commit another could wait in a cycle with that write.
     */
    Uni<Integer> fillGaps(long from, long to) {
        return missingRevisions(from, to).onItem().transformToMulti(missing -> Multi.createFrom().iterable(missing))
                .onItem().transformToUniAndConcatenate(revision -> inSession(session ->
                        session.createNativeQuery(FILL_GAP).setParameter(1, revision).executeUpdate()))
                .collect().with(Collectors.summingInt(Integer::intValue));
    }

    /**
     * Drops change-log rows at or below revision that a newer row of the same key (at or below it)
     * supersedes, and deletions and filled gaps at or below it, and records revision as compacted:
     * the state at any revision from there on stays complete. Replicas may call this concurrently:
     * a transaction-scoped advisory lock lets one compact while the others skip. Returns the number
     * of rows dropped (0 when another replica holds the lock).
     */
    public Uni<Long> compact(long revision) {
        return inSession(session -> session.withTransaction(transaction -> session
                .createNativeQuery("SELECT pg_try_advisory_xact_lock(" + COMPACTION_LOCK + ")", Boolean.class).getSingleResult()
                .flatMap(locked -> locked ? compactLocked(session, revision) : Uni.createFrom().item(0L))));
    }

    private static Uni<Long> compactLocked(Mutiny.StatelessSession session, long revision) {
        return session.createNativeQuery(COMPACT).setParameter(1, revision).executeUpdate()
                .call(() -> session.createNativeQuery(RECORD_COMPACTED).setParameter(1, revision).executeUpdate())
                .map(Integer::longValue);
    }

    /** The revision up to which history has been compacted (0 when never). */
    public Uni<Long> compactedRevision() {
        return inSession(session -> session.get(StorageMark.class, StorageMark.COMPACTED))
                .map(mark -> mark == null ? 0L : mark.revision);
    }

    /**
     * Runs work in a stateless session of its own, closed afterwards. The session is opened
     * explicitly rather than through {@code withStatelessSession}, which keeps it in the Vert.x
     * context: storage is called from contexts shared by many operations (the watch cache's,
     * each controller's), where one operation's session must not become another's.
     */
    private <T> Uni<T> inSession(Function<Mutiny.StatelessSession, Uni<T>> work) {
        return sessions.openStatelessSession()
                .flatMap(session -> work.apply(session).eventually(session::close));
    }

    private static List<ChangeRow> changeRows(List<ChangeLogRecord> records) {
        List<ChangeRow> changes = new ArrayList<>(records.size());
        for (ChangeLogRecord record : records) {
            changes.add(new ChangeRow(record.revision, record.resource, record.namespace, record.name, record.event,
                    record.json, record.previousJson));
        }
        return changes;
    }

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
