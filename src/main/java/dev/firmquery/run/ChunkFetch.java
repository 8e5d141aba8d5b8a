package dev.firmquery.run;

import dev.firmquery.chunk.Chunk;
import dev.firmquery.export.Column;
import dev.firmquery.export.JdbcColumns;
import dev.firmquery.run.store.ChunkWriter;
import dev.firmquery.run.store.SpooledChunk;
import dev.firmquery.sql.IdBinding;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.BitSet;
import java.util.List;
import org.postgresql.PGStatement;

/**
 * One attempt at one chunk: runs its statement (or the statements of its two halves) on the
 * worker's connection and appends the rows to the worker's spool segments, CSV records and/or typed
 * rows, whichever the run writes, noting which of the chunk's IDs came back.
 */
final class ChunkFetch {
    private final RunContext run;

    ChunkFetch(RunContext run) {
        this.run = run;
    }

    /**
     * Runs the chunk (or its two halves) and spools its rows. The ranges are complete (not yet
     * forced: the journal does that) on return; a failed attempt cuts the segments back, leaving
     * nothing.
     *
     * @return where the rows are and which of the chunk's IDs returned nothing, for the journal
     */
    SpooledChunk fetch(Chunk chunk, int worker, HeldConnection held, boolean split, int attempts, AttemptClock clock)
            throws SQLException, IOException {
        run.connections().beforeChunk();
        try (ChunkWriter spool = run.session().openChunk(worker, chunk.number(), attempts)) {
            Sink sink = sink(run, spool, chunk);
            if (split && chunk.size() > 1) {
                int mid = chunk.from() + chunk.size() / 2;
                fetchRange(chunk, chunk.from(), mid, sink, held, clock);
                fetchRange(chunk, mid, chunk.to(), sink, held, clock);
            } else {
                fetchRange(chunk, chunk.from(), chunk.to(), sink, held, clock);
            }
            return sink.finish();
        }
    }

    /** Where {@code chunk}'s rows go in {@code spool}, for this run's ID column. */
    static Sink sink(RunContext run, ChunkWriter spool, Chunk chunk) {
        RunEngine.Described described = run.described();
        Column idColumn = described.columns().get(described.idColumn());
        return new Sink(spool, new IdMatcher(run.request().input().ids(), chunk,
                IdMatcher.isBlankPadded(idColumn.typeName())), chunk.size(), described.idColumn());
    }

    /** Where a chunk's rows go: its spool, and the record of which of its IDs came back. */
    static final class Sink {
        final ChunkWriter spool;
        final IdMatcher matcher;
        final BitSet found;
        final int idColumn;
        private final int size;

        Sink(ChunkWriter spool, IdMatcher matcher, int size, int idColumn) {
            this.spool = spool;
            this.matcher = matcher;
            this.found = new BitSet(size);
            this.size = size;
            this.idColumn = idColumn;
        }

        /** Completes the spool's ranges, with the chunk's IDs that returned nothing. */
        SpooledChunk finish() throws IOException {
            BitSet missing = new BitSet(size);
            missing.set(0, size);
            missing.andNot(found);
            return spool.finish(missing);
        }

        void row(Object[] row) throws IOException {
            spool.row(row);
            matcher.mark(row[idColumn], found);
        }

        /** The current row of {@code rs}, spooled by {@code direct}: only its ID is read as a value. */
        void row(ChunkWriter.ResultRows direct, ResultSet rs, Column id) throws SQLException, IOException {
            direct.row();
            matcher.mark(JdbcColumns.value(rs, idColumn + 1, id), found);
        }
    }

    /**
     * Prepares a chunk statement ({@code sql}: one chunk's, or a group's). With {@code bind} and
     * {@code array} binding every full chunk has the same text, so the statement is prepared on the
     * server at its first execution on a connection and reused (pgjdbc's {@code prepareThreshold} 1,
     * in the same round trip), and its rows come in binary from the second execution on. Under pgjdbc's
     * default of 5 the first four executions of each text on a connection came in text format: about
     * 50,000 of the 1,050,000 rows of a 1M-ID run on the benchmark's quarter-size data, now about 15,000,
     * each cell of which {@code DirectCsvRecords} hands to the typed path. Those rows arrive while the
     * JIT profiles, so it compiled every record's encoder with the typed path inlined: 1.0 s of C2 time
     * for that one method; docs/performance.md, "Seventh session". Not -1 (binary from the first
     * execution, after a describe of its own): with it pgjdbc 42.7.8 reports a group's rollbacks after
     * the first as empty row results ({@link #nextRows}). With {@code literal} binding each chunk's text
     * is new and the driver's default stands: a named statement per chunk would only fill its cache.
     */
    static PreparedStatement prepare(Connection con, String sql, IdBinding binding) throws SQLException {
        PreparedStatement ps = con.prepareStatement(sql);
        boolean repeats = switch (binding) {
            case BIND, ARRAY -> true;
            case LITERAL -> false;
        };
        if (repeats && ps.isWrapperFor(PGStatement.class)) {
            try {
                ps.unwrap(PGStatement.class).setPrepareThreshold(1);
            } catch (SQLException | RuntimeException e) {
                ps.close();
                throw e;
            }
        }
        return ps;
    }

    /** The chunk's rows: the statement's second result, after the rollback to the savepoint's update count. */
    private static ResultSet chunkRows(PreparedStatement ps) throws SQLException {
        return nextRows(ps, ps.execute());
    }

    /**
     * The rows of the chunk whose results start at the statement's current result ({@code rows}: whether
     * that is rows): exactly the rollback to the savepoint's update count, then the SELECT's rows.
     * Anything else is refused, not skipped: a result taken for the wrong chunk's would spool its rows
     * as another chunk's and report that chunk's IDs missing, without an error. (pgjdbc 42.7.8 with
     * forced binary transfer, {@code prepareThreshold} -1, reports every rollback after a group's first
     * as an empty row result; {@code ChunkResultShapeTest}.)
     *
     * @throws SQLException SQLState {@value #UNEXPECTED_RESULT} if the results are not in that shape
     */
    static ResultSet nextRows(PreparedStatement ps, boolean rows) throws SQLException {
        if (rows || ps.getUpdateCount() == -1) {
            throw unexpected(rows ? "rows" : "no result", "the update count of ROLLBACK TO SAVEPOINT");
        }
        if (!ps.getMoreResults()) {
            if (ps.getUpdateCount() == -1) {
                throw new SQLException("the chunk statement returned no rows; the template must be one SELECT", "42000");
            }
            throw unexpected("an update count", "the rows of the template's SELECT");
        }
        return ps.getResultSet();
    }

    /** After the last chunk's rows ({@code rows}: whether the next result is rows): nothing more. */
    static void noMoreResults(PreparedStatement ps, boolean rows) throws SQLException {
        if (rows || ps.getUpdateCount() != -1) {
            throw unexpected(rows ? "rows" : "an update count", "no further result");
        }
    }

    /** SQLState of results not in the shape {@link #nextRows} expects (internal_error: not retried). */
    static final String UNEXPECTED_RESULT = "XX000";

    private static SQLException unexpected(String got, String expected) {
        return new SQLException("the driver returned " + got + " where " + expected + " was expected: the "
                + "statement's results are not in the order firmquery sent them, so no rows are taken from "
                + "them; report this with the driver's and server's versions, and set "
                + "processing.chunks_per_round_trip=1 meanwhile", UNEXPECTED_RESULT);
    }

    /**
     * Spools every row of {@code rs}, {@code chunk}'s result, into {@code out}; stops with a timeout or a
     * cancel the moment either happens.
     *
     * @return the rows spooled
     */
    static long copyRows(ResultSet rs, Sink out, Chunk chunk, List<Column> columns, StatementWatch.Watched watched,
                         RunControl control, AttemptClock clock) throws SQLException, IOException {
        int n = columns.size();
        if (rs.getMetaData().getColumnCount() != n) {
            throw new SQLException("chunk " + chunk.number() + " returned " + rs.getMetaData().getColumnCount()
                    + " columns, the first chunk " + n + "; the query must return the same columns for every chunk",
                    "42000");
        }
        Object[] row = new Object[n];
        // CSV only: the records are made from the driver's bytes, not from values.
        ChunkWriter.ResultRows direct = out.spool.resultRows(rs);
        Column id = columns.get(out.idColumn);
        long rows = 0;
        // rs.next() waits for the database when it fetches the next fetch_size rows;
        // two nanoTime calls a row (~50 ns) against decoding it (microseconds).
        while (timedNext(rs, clock)) {
            if (watched.timedOut() || control.isCancelled()) {
                // The cancel may have met the backend idle between two fetches.
                watched.checkDeadline();
                throw new SQLException("run cancelled", "57014");
            }
            if (direct != null) {
                out.row(direct, rs, id);
            } else {
                JdbcColumns.readRow(rs, columns, row);
                out.row(row);
            }
            rows++;
        }
        return rows;
    }

    private static boolean timedNext(ResultSet rs, AttemptClock clock) throws SQLException {
        long t = System.nanoTime();
        boolean more = rs.next();
        clock.database(System.nanoTime() - t);
        return more;
    }

    private void fetchRange(Chunk chunk, int from, int to, Sink out, HeldConnection held, AttemptClock clock)
            throws SQLException, IOException {
        RunRequest request = run.request();
        RunControl control = run.control();
        List<Column> columns = run.described().columns();
        // One round trip per chunk: undoing the session state the chunk before left (HeldConnection)
        // travels in the same Parse/Bind/Execute batch and Sync as the chunk's statement.
        String sql = HeldConnection.UNDO_PREVIOUS_CHUNK + request.renderer().sql(request.input().ids(), from, to);
        long asked = System.nanoTime();
        Connection con = held.get();
        clock.pool(System.nanoTime() - asked);
        boolean ended = false;
        try {
            try (PreparedStatement ps = prepare(con, sql, request.renderer().binding());
                 StatementWatch.Watched watched = control.watch().watch(con, ps, request.settings().queryTimeout(),
                         "chunk " + chunk.number() + "/" + request.plan().size())) {
                try {
                    if (control.isCancelled()) {
                        throw new SQLException("run cancelled", "57014");
                    }
                    // No setQueryTimeout: it covers only executeQuery, not the rows streamed after it;
                    // the watch bounds both, from here to the last row.
                    ps.setFetchSize(request.settings().fetchSize());
                    request.renderer().bind(ps, request.input().ids(), from, to);
                    long waiting = System.nanoTime();
                    try (ResultSet rs = chunkRows(ps)) {
                        clock.database(System.nanoTime() - waiting);
                        copyRows(rs, out, chunk, columns, watched, control, clock);
                    }
                } catch (SQLException e) {
                    throw watched.translate(e);
                }
            }
            // No COMMIT or ROLLBACK per chunk (a round trip each, half of what a chunk paid): the read-only
            // transaction stays open for the next chunk, which rolls back to the savepoint first.
            ended = true;
        } finally {
            if (!ended) {
                held.abandon(); // a retry, or the next chunk, gets a fresh connection
            }
        }
    }
}
