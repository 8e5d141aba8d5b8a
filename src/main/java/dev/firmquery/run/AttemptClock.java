package dev.firmquery.run;

/**
 * What one attempt at a chunk spent its time on, as {@link ChunkFetch} measures it: waiting for a
 * pooled connection, and waiting for the database (executing the statement, fetching each batch of
 * rows). The rest of the attempt is decoding and spooling. Used by one worker thread at a time.
 */
final class AttemptClock {
    private final long startNanos;
    private long poolNanos;
    private long databaseNanos;

    /** A clock started now. */
    AttemptClock() {
        this.startNanos = System.nanoTime();
    }

    /**
     * A chunk's clock when it was sent with others in one round trip ({@link GroupFetch}): it is
     * charged an equal share of the group's wait for its connection and for the database, and
     * starts that share of the group's wall time ago, so that its elapsed time is that share plus
     * its own spooling.
     */
    static AttemptClock share(long poolNanos, long databaseNanos, int chunks) {
        AttemptClock c = new AttemptClock(System.nanoTime() - (poolNanos + databaseNanos) / chunks);
        c.poolNanos = poolNanos / chunks;
        c.databaseNanos = databaseNanos / chunks;
        return c;
    }

    private AttemptClock(long startNanos) {
        this.startNanos = startNanos;
    }

    /** Time spent getting a connection from the pool. */
    void pool(long nanos) {
        poolNanos += nanos;
    }

    /** Time spent waiting for the database. */
    void database(long nanos) {
        databaseNanos += nanos;
    }

    long elapsedMicros() {
        return (System.nanoTime() - startNanos) / 1_000;
    }

    long poolMicros() {
        return poolNanos / 1_000;
    }

    long databaseMicros() {
        return databaseNanos / 1_000;
    }
}
