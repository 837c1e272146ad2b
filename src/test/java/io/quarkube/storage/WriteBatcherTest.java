package io.quarkube.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

import io.quarkube.storage.WriteBatcher.Outcome;
import io.quarkube.storage.WriteBatcher.Write;
import io.smallrye.mutiny.Uni;

/**
 * How writes are grouped into statements. The statements here run against a stand-in for the
 * database that completes each one when the test says so, because only that makes "while two
 * statements are running" a state a test can hold; {@code StorageTest} runs batches against
 * PostgreSQL.
 */
class WriteBatcherTest {

    /** Statements sent and not yet answered, in the order they were sent. */
    private final List<Statement> running = new ArrayList<>();
    private final List<List<Write>> sent = new ArrayList<>();
    private final AtomicInteger revision = new AtomicInteger(100);

    private record Statement(List<Write> writes, CompletableFuture<List<Outcome>> answer) {
    }

    private final Function<List<Write>, Uni<List<Outcome>>> database = writes -> Uni.createFrom().deferred(() -> {
        Statement statement = new Statement(writes, new CompletableFuture<>());
        running.add(statement);
        sent.add(writes);
        return Uni.createFrom().completionStage(statement.answer());
    });

    @Test
    void anIdleStoreSendsEachWriteAtOnce() {
        WriteBatcher batcher = new WriteBatcher(2, database);
        List<Outcome> outcomes = new ArrayList<>();

        batcher.submit(create("a")).subscribe().with(outcomes::add);

        assertEquals(List.of(List.of(create("a"))), sent);
        commitOldest();
        assertEquals(List.of(new Outcome(101, ChangeCodes.ADDED, null)), outcomes);
    }

    @Test
    void writesArrivingWhileTheStatementsRunGoTogetherInKeyOrderWhenOneFinishes() {
        WriteBatcher batcher = new WriteBatcher(2, database);
        List<String> answered = new ArrayList<>();
        Write firstB = new Write(ChangeCodes.ADDED, key("b"), 0, "{\"arrived\":1}", null);
        Write secondB = new Write(ChangeCodes.MODIFIED, key("b"), 0, "{\"arrived\":2}", "{}");
        for (Write write : List.of(create("first"), create("second"), create("d"), firstB, create("c"), secondB)) {
            batcher.submit(write).subscribe().with(outcome -> answered.add(write.key().name() + "@" + outcome.revision()));
        }

        assertEquals(2, running.size(), "no more statements than allowed at once");
        assertEquals(2, sent.size());
        commitOldest();

        assertEquals(3, sent.size());
        assertEquals(List.of(firstB, secondB, create("c"), create("d")), sent.get(2),
                "ordered by key; two writes of one key in the order they arrived");
        commitOldest();
        commitOldest();
        assertEquals(List.of("first@101", "second@102", "b@103", "b@104", "c@105", "d@106"), answered);
    }

    @Test
    void aBatchIsBoundedInWritesAndBytes() {
        WriteBatcher batcher = new WriteBatcher(1, database);
        batcher.submit(create("busy")).subscribe().with(outcome -> { });
        for (int i = 0; i < WriteBatcher.MAX_WRITES + 5; i++) {
            batcher.submit(create("w" + i)).subscribe().with(outcome -> { });
        }
        commitOldest();
        assertEquals(WriteBatcher.MAX_WRITES, sent.get(1).size());
        commitOldest();
        assertEquals(5, sent.get(2).size());
        commitOldest();

        String large = "x".repeat((int) (WriteBatcher.MAX_BYTES / 2));
        batcher.submit(create("busy-again")).subscribe().with(outcome -> { });
        for (int i = 0; i < 3; i++) {
            batcher.submit(new Write(ChangeCodes.ADDED, key("large" + i), 0, large, null)).subscribe().with(outcome -> { });
        }
        commitOldest();
        assertEquals(2, sent.get(4).size(), "two halves of the byte bound fit; the third waits");
        commitOldest();
        assertEquals(1, sent.get(5).size());
    }

    @Test
    void whenABatchFailsEachWriteIsSentAloneAndOnlyTheFailingOneFails() {
        WriteBatcher batcher = new WriteBatcher(1, database);
        batcher.submit(create("busy")).subscribe().with(outcome -> { });
        AtomicReference<Throwable> badFailure = new AtomicReference<>();
        List<Outcome> goodOutcomes = new ArrayList<>();
        batcher.submit(create("good")).subscribe().with(goodOutcomes::add);
        batcher.submit(create("bad")).subscribe().with(outcome -> { }, badFailure::set);
        commitOldest();
        assertEquals(2, sent.get(1).size());

        running.remove(0).answer().completeExceptionally(new IllegalArgumentException("the batch failed"));

        assertEquals(List.of(List.of(create("bad")), List.of(create("good"))), sent.subList(2, 4), "each write alone");
        running.remove(0).answer().completeExceptionally(new IllegalArgumentException("bad failed alone"));
        commitOldest();
        assertInstanceOf(IllegalArgumentException.class, badFailure.get());
        assertEquals("bad failed alone", badFailure.get().getMessage());
        assertEquals(1, goodOutcomes.size());
    }

    @Test
    void aFailedStatementFreesItsPlaceForTheNextBatch() {
        WriteBatcher batcher = new WriteBatcher(1, database);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        batcher.submit(create("lost")).subscribe().with(outcome -> { }, failure::set);
        List<Outcome> later = new ArrayList<>();
        batcher.submit(create("later")).subscribe().with(later::add);

        running.remove(0).answer().completeExceptionally(new IllegalStateException("connection lost"));

        assertInstanceOf(IllegalStateException.class, failure.get());
        assertEquals(List.of(create("later")), sent.get(1));
        commitOldest();
        assertEquals(1, later.size());
    }

    /** Answers the oldest running statement as the database would: each write committed with the next revision. */
    private void commitOldest() {
        Statement statement = running.remove(0);
        List<Outcome> outcomes = new ArrayList<>();
        for (Write write : statement.writes()) {
            outcomes.add(new Outcome(revision.incrementAndGet(), write.op(), null));
        }
        statement.answer().complete(outcomes);
    }

    private static Write create(String name) {
        return new Write(ChangeCodes.ADDED, key(name), 0, "{}", null);
    }

    private static ObjectKey key(String name) {
        return new ObjectKey("widgets", "test", name);
    }
}
