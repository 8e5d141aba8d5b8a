package dev.firmquery.chunk;

import dev.firmquery.ids.IdList;
import dev.firmquery.ids.IdType;
import dev.firmquery.sql.IdBinding;
import dev.firmquery.sql.QueryTemplate;
import dev.firmquery.sql.StatementRenderer;
import dev.firmquery.sql.TemplateException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChunkPlannerTest {
    private static final String TEMPLATE = "SELECT t1.firm_root_id FROM firm t1 WHERE t1.firm_root_id IN ({ID_PLACEHOLDER})";
    private static final long NINETEEN_DIGITS = 1_000_000_000_000_000_000L;

    private static StatementRenderer renderer(IdBinding binding) throws TemplateException {
        return renderer(TEMPLATE, binding);
    }

    private static StatementRenderer renderer(String sql, IdBinding binding) throws TemplateException {
        return new StatementRenderer(QueryTemplate.parse("q", Path.of("q.sql"), sql, false), binding, IdType.INTEGER);
    }

    /** IDs 1..count, or {@code first, first+1, ...}. */
    private static IdList sequentialIds(long first, int count) {
        return IdList.ofLongs(LongStream.range(first, first + count).toArray());
    }

    private static void assertMentions(String message, String... parts) {
        for (String part : parts) {
            assertTrue(message.contains(part), () -> "expected <" + part + "> in: " + message);
        }
    }

    @Test
    @DisplayName("1,000,000 IDs in chunks of 250 give exactly 4,000 full chunks")
    void millionIdsInChunksOf250() throws Exception {
        ChunkPlan plan = new ChunkPlanner(250, 15_000).plan(sequentialIds(1, 1_000_000), renderer(IdBinding.BIND));
        assertEquals(4_000, plan.size());
        assertEquals(1_000_000, plan.idCount());
        for (int i = 0; i < plan.size(); i++) {
            assertEquals(new Chunk(i + 1, i * 250, i * 250 + 250), plan.get(i));
        }
        assertEquals(TEMPLATE.length() - "{ID_PLACEHOLDER}".length() + 250 + 249 * 2, plan.maxStatementLength());
    }

    @Test
    void lastChunkHoldsTheRemainder() throws Exception {
        ChunkPlan plan = new ChunkPlanner(250, 15_000).plan(sequentialIds(1, 1_001), renderer(IdBinding.BIND));
        assertEquals(5, plan.size());
        assertEquals(new Chunk(5, 1_000, 1_001), plan.get(4));
    }

    @Test
    void emptyIdListGivesAnEmptyPlan() throws Exception {
        ChunkPlan plan = new ChunkPlanner(250, 15_000).plan(IdList.ofLongs(new long[0]), renderer(IdBinding.BIND));
        assertEquals(0, plan.size());
        assertEquals(0, plan.idCount());
        assertEquals("no chunks (no IDs)", ChunkPlanner.describe(plan));
    }

    @Test
    @DisplayName("literal mode with 19-digit IDs shrinks chunks to fit max_query_length")
    void literalModeShrinksChunksToTheLengthLimit() throws Exception {
        StatementRenderer renderer = renderer(IdBinding.LITERAL);
        int fixed = renderer.fixedLength();
        // Each 19-digit ID costs 19 characters plus ", " between IDs: n IDs take fixed + 21n - 2.
        int maxQueryLength = 15_000;
        int perChunk = (maxQueryLength - fixed + 2) / 21;
        IdList ids = sequentialIds(NINETEEN_DIGITS, 2_000);

        ChunkPlan plan = new ChunkPlanner(1_000, maxQueryLength).plan(ids, renderer);

        assertTrue(perChunk < 1_000, "the limit, not chunk_size, must be what binds here");
        assertEquals(new Chunk(1, 0, perChunk), plan.get(0));
        assertEquals((2_000 + perChunk - 1) / perChunk, plan.size());
        assertTrue(renderer.sql(ids, 0, perChunk).length() <= maxQueryLength);
        assertTrue(fixed + 21 * (perChunk + 1) - 2 > maxQueryLength, "one more ID must not fit");
        assertEquals(fixed + 21 * perChunk - 2, plan.maxStatementLength());
    }

    @Test
    @DisplayName("bind mode never exceeds 32,767 parameters, whatever chunk_size says")
    void bindModeIsCappedAtTheProtocolLimit() throws Exception {
        ChunkPlan plan = new ChunkPlanner(100_000, Integer.MAX_VALUE).plan(sequentialIds(1, 70_000), renderer(IdBinding.BIND));
        assertEquals(List.of(new Chunk(1, 0, 32_767), new Chunk(2, 32_767, 65_534), new Chunk(3, 65_534, 70_000)),
                plan.chunks());
    }

    @Test
    void arrayModeStatementsHaveTheSameLengthForAnyChunkSize() throws Exception {
        StatementRenderer renderer = renderer(IdBinding.ARRAY);
        ChunkPlan plan = new ChunkPlanner(1_000, renderer.fixedLength()).plan(sequentialIds(1, 2_500), renderer);
        assertEquals(3, plan.size());
        assertEquals(renderer.fixedLength(), plan.maxStatementLength());
    }

    @Test
    void templateTooLongForOneIdIsRefusedWithItsLengthAndTheLimit() throws Exception {
        StatementRenderer renderer = renderer(IdBinding.BIND);
        int limit = renderer.fixedLength();
        ChunkPlanner planner = new ChunkPlanner(250, limit);
        String message = assertThrows(ChunkPlanException.class, () -> planner.plan(sequentialIds(1, 3), renderer))
                .getMessage();
        assertMentions(message, "q.sql", "is " + limit + " characters without IDs",
                "processing.max_query_length = " + limit, "Raise processing.max_query_length to at least " + (limit + 1),
                "shorten the template");
    }

    @Test
    void singleLongLiteralIdThatDoesNotFitIsNamed() throws Exception {
        StatementRenderer renderer = renderer(IdBinding.LITERAL);
        ChunkPlanner planner = new ChunkPlanner(250, renderer.fixedLength() + 3);
        IdList ids = IdList.ofLongs(new long[] {1, 22, 333, 4_444, 5});
        String message = assertThrows(ChunkPlanException.class, () -> planner.plan(ids, renderer)).getMessage();
        assertMentions(message, "ID 4444 (#4)", "a statement is " + (renderer.fixedLength() + 4) + " characters");
    }

    @Test
    void invalidLimitsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new ChunkPlanner(0, 15_000));
        assertThrows(IllegalArgumentException.class, () -> new ChunkPlanner(250, 0));
    }

    @Test
    @DisplayName("property: every ID is covered exactly once, in order, in greedy chunks within both limits")
    void randomPlansCoverEveryIdOnceWithinTheLimits() throws Exception {
        Random random = new Random(42);
        for (int trial = 0; trial < 300; trial++) {
            IdBinding binding = IdBinding.values()[random.nextInt(IdBinding.values().length)];
            StatementRenderer renderer = renderer(binding);
            long[] values = new long[random.nextInt(3_000)];
            int longestId = 1;
            for (int i = 0; i < values.length; i++) {
                values[i] = random.nextBoolean() ? random.nextInt(1_000) : random.nextLong() & Long.MAX_VALUE;
                longestId = Math.max(longestId, Long.toString(values[i]).length());
            }
            IdList ids = IdList.ofLongs(values);
            int chunkSize = 1 + random.nextInt(400);
            int maxQueryLength = renderer.fixedLength() + longestId + random.nextInt(3_000);

            ChunkPlan plan = new ChunkPlanner(chunkSize, maxQueryLength).plan(ids, renderer);

            String context = "trial " + trial + " " + binding + " n=" + values.length + " chunkSize=" + chunkSize
                    + " max=" + maxQueryLength;
            assertEquals(values.length, plan.idCount(), context);
            int next = 0;
            int longest = 0;
            List<Integer> numbers = new ArrayList<>();
            for (Chunk chunk : plan.chunks()) {
                numbers.add(chunk.number());
                assertEquals(next, chunk.from(), context + ": chunks must be contiguous");
                assertTrue(chunk.size() <= chunkSize, context);
                int length = renderer.sql(ids, chunk.from(), chunk.to()).length();
                assertTrue(length <= maxQueryLength, context + " chunk " + chunk);
                boolean full = chunk.size() == chunkSize || chunk.to() == values.length;
                boolean nextWouldNotFit = !full && length + renderer.separatorLength()
                        + renderer.idLength(ids, chunk.to()) > maxQueryLength;
                assertTrue(full || nextWouldNotFit, context + ": chunk " + chunk + " stopped early");
                longest = Math.max(longest, length);
                next = chunk.to();
            }
            assertEquals(values.length, next, context + ": every ID covered");
            for (int i = 0; i < numbers.size(); i++) {
                assertEquals(i + 1, numbers.get(i), context);
            }
            assertEquals(longest, plan.maxStatementLength(), context);
        }
    }

    @Test
    void describeSummarisesChunksLargestChunkAndLongestStatement() {
        List<Chunk> chunks = new ArrayList<>();
        for (int i = 0; i < 4_000; i++) {
            chunks.add(new Chunk(i + 1, i * 250, i * 250 + 250));
        }
        assertEquals("4,000 chunks of ≤ 250 IDs, longest statement 2,104 chars",
                ChunkPlanner.describe(new ChunkPlan(chunks, 1_000_000, 2_104)));
    }

    @Test
    void describeUsesTheSingularForOneChunkOfOneId() {
        assertEquals("1 chunk of ≤ 1 ID, longest statement 90 chars",
                ChunkPlanner.describe(new ChunkPlan(List.of(new Chunk(1, 0, 1)), 1, 90)));
    }
}
