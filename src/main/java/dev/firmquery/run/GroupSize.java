package dev.firmquery.run;

import java.util.concurrent.TimeUnit;

/**
 * How many chunks a worker sends in its next round trip ({@link GroupFetch}): up to
 * {@code processing.chunks_per_round_trip}, as many as fit {@value #BUDGET_MILLIS} ms at the time
 * the worker's last round trip took per chunk, and one alone after a group that did not come back
 * whole.
 *
 * <p>The time budget: a group saves one network round trip (1–5 ms on a jump host) per chunk beyond
 * the first, and costs what is done once per group instead of once per chunk: the Kerberos ticket
 * check and renewal, the progress a worker reports, the {@code query_timeout} the group shares. For
 * chunks that take the server 60 ms or more, eight of them fill the budget and the saving is under
 * 8 %; for chunks of 0.4 s a group is one chunk, as if not grouped (a 4 s ticket renewed at
 * half-life would otherwise expire during an 8 × 0.4 s group). The first chunk of a worker goes
 * alone: there is no time to go by yet.
 *
 * <p>The fall-back: after a group that did not come back whole (a chunk with {@code fetch_size} rows
 * or more, an error, a timeout) the worker sends its chunks one by one for a stretch,
 * {@value #FIRST_STRETCH} chunks the first time and twice as many each time after, up to
 * {@value #LONGEST_STRETCH}. A template whose chunks always return more than {@code fetch_size} rows
 * then wastes one group in ever longer stretches (about 1 % of its chunks after the fourth), while one
 * bad chunk costs only the next {@value #FIRST_STRETCH} their grouping. One worker's; not thread-safe.
 */
final class GroupSize {
    static final int FIRST_STRETCH = 64;
    static final int LONGEST_STRETCH = 8_192;
    static final long BUDGET_MILLIS = 500;
    private static final long BUDGET_NANOS = TimeUnit.MILLISECONDS.toNanos(BUDGET_MILLIS);

    private final int most;
    private int stretch = FIRST_STRETCH;
    /** Chunks still to send on their own before the next group. */
    private int alone;
    /** What the last round trip took per chunk; -1 before the first. */
    private long nanosPerChunk = -1;

    /** @param most {@code processing.chunks_per_round_trip}, at least 1 */
    GroupSize(int most) {
        if (most < 1) {
            throw new IllegalArgumentException("a group holds at least one chunk, got " + most);
        }
        this.most = most;
    }

    /** How many chunks to send in the next round trip. */
    int next() {
        if (alone > 0 || nanosPerChunk < 0) {
            return 1;
        }
        return (int) Math.max(1, Math.min(most, BUDGET_NANOS / Math.max(1, nanosPerChunk)));
    }

    /** {@code chunks} chunks were sent (grouped or on their own) and took {@code nanos} until their rows were spooled. */
    void sent(int chunks, long nanos) {
        if (chunks < 1 || nanos < 0) {
            throw new IllegalArgumentException(chunks + " chunks in " + nanos + " ns");
        }
        alone = Math.max(0, alone - chunks);
        nanosPerChunk = nanos / chunks;
    }

    /** A group did not come back whole: send the next chunks on their own. */
    void fellBack() {
        alone = stretch;
        stretch = Math.min(LONGEST_STRETCH, stretch * 2);
    }
}
