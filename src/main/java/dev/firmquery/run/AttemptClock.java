package dev.firmquery.run;

/**
 * What one attempt at a chunk spent its time on, as {@link ChunkFetch} measures it: waiting for a
 * pooled connection, and waiting for the database (executing the statement, fetching each batch of
 * rows). The rest of the attempt is decoding and spooling. Used by one worker thread at a time.
 */
final class AttemptClock {
    private final long startNanos = System.nanoTime();
    private long poolNanos;
    private long databaseNanos;

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
