package dev.firmquery.chunk;

import dev.firmquery.ids.IdList;
import dev.firmquery.sql.StatementRenderer;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Cuts the run's IDs into chunks: greedily and in order, each chunk takes as many IDs as fit under
 * {@code processing.chunk_size}, the renderer's parameter limit, and {@code processing.max_query_length}
 * characters of rendered SQL. Lengths come from the renderer's length model, so planning 1,000,000 IDs builds
 * no strings.
 */
public final class ChunkPlanner {
    private final int chunkSize;
    private final int maxQueryLength;

    /**
     * @param chunkSize      {@code processing.chunk_size}: the most IDs per statement, at least 1
     * @param maxQueryLength {@code processing.max_query_length}: the most characters per statement, at least 1
     */
    public ChunkPlanner(int chunkSize, int maxQueryLength) {
        if (chunkSize < 1) {
            throw new IllegalArgumentException("processing.chunk_size must be at least 1, was " + chunkSize);
        }
        if (maxQueryLength < 1) {
            throw new IllegalArgumentException("processing.max_query_length must be at least 1, was "
                    + maxQueryLength);
        }
        this.chunkSize = chunkSize;
        this.maxQueryLength = maxQueryLength;
    }

    /**
     * Plans the chunks for {@code ids}; an empty list gives an empty plan.
     *
     * @throws ChunkPlanException if some ID does not fit into a statement even on its own
     */
    public ChunkPlan plan(IdList ids, StatementRenderer renderer) throws ChunkPlanException {
        int count = ids.size();
        if (count == 0) {
            return new ChunkPlan(List.of(), 0, 0);
        }
        int perStatement = Math.min(chunkSize, renderer.maxIdsPerStatement());
        long fixed = renderer.fixedLength();
        int separator = renderer.separatorLength();
        List<Chunk> chunks = new ArrayList<>(count / perStatement + 1);
        long longest = 0;
        int from = 0;
        while (from < count) {
            long length = fixed + renderer.idLength(ids, from);
            if (length > maxQueryLength) {
                throw tooLong(ids, renderer, from, length);
            }
            int limit = (int) Math.min((long) from + perStatement, count);
            int to = from + 1;
            while (to < limit) {
                long next = length + separator + renderer.idLength(ids, to);
                if (next > maxQueryLength) {
                    break;
                }
                length = next;
                to++;
            }
            chunks.add(new Chunk(chunks.size() + 1, from, to));
            longest = Math.max(longest, length);
            from = to;
        }
        return new ChunkPlan(chunks, count, Math.toIntExact(longest));
    }

    /**
     * One line for the run preview, e.g. {@code "4,000 chunks of ≤ 250 IDs, longest statement 2,104 chars"}.
     */
    public static String describe(ChunkPlan plan) {
        if (plan.size() == 0) {
            return "no chunks (no IDs)";
        }
        int largest = 0;
        for (Chunk chunk : plan.chunks()) {
            largest = Math.max(largest, chunk.size());
        }
        return String.format(Locale.ROOT, "%,d %s of ≤ %,d %s, longest statement %,d chars",
                plan.size(), plan.size() == 1 ? "chunk" : "chunks",
                largest, largest == 1 ? "ID" : "IDs", plan.maxStatementLength());
    }

    private ChunkPlanException tooLong(IdList ids, StatementRenderer renderer, int index, long length) {
        String template = renderer.template().source() != null
                ? renderer.template().source().toString() : renderer.template().name();
        String id = renderer.idLength(ids, index) > 1
                ? String.format(Locale.ROOT, " and ID %s (#%,d)", ids.stringAt(index), index + 1) : "";
        return new ChunkPlanException(String.format(Locale.ROOT,
                "query template %s is %,d characters without IDs; with one ID%s a statement is %,d characters,"
                        + " over processing.max_query_length = %,d. Raise processing.max_query_length to at least"
                        + " %d or shorten the template.",
                template, renderer.fixedLength(), id, length, maxQueryLength, length));
    }
}
