package dev.firmquery.chunk;

import java.util.List;

/**
 * The chunks of a run, in order, covering every ID exactly once.
 *
 * @param chunks             chunks in order; chunk {@code i} has number {@code i + 1}
 * @param idCount            number of IDs covered
 * @param maxStatementLength the longest rendered statement of any chunk, in characters
 */
public record ChunkPlan(List<Chunk> chunks, int idCount, int maxStatementLength) {
    public ChunkPlan {
        chunks = List.copyOf(chunks);
    }

    public int size() {
        return chunks.size();
    }

    public Chunk get(int index) {
        return chunks.get(index);
    }
}
