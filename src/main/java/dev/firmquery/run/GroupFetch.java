package dev.firmquery.run;

import dev.firmquery.chunk.Chunk;
import dev.firmquery.db.SqlErrors;
import dev.firmquery.export.Column;
import dev.firmquery.run.store.ChunkTiming;
import dev.firmquery.run.store.ChunkWriter;
import dev.firmquery.run.store.SpooledChunk;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Several chunks in one round trip ({@code processing.chunks_per_round_trip}): a worker's next
 * chunks go to the server as one batch, for each the rollback to the savepoint
 * ({@link HeldConnection#UNDO_PREVIOUS_CHUNK}) and its SELECT, with one Sync, so that the network's
 * latency is paid once per group instead of once per chunk (docs/performance.md, "Several chunks
 * per round trip"). Each chunk is still its own statement with its own result, and its session
 * changes are still undone before the next one runs.
 *
 * <p>The results come back whole, without a cursor: a suspended portal would be closed by the next
 * chunk's rollback to the savepoint (PostgreSQL, ROLLBACK TO SAVEPOINT: cursors opened after the
 * savepoint are closed) and CockroachDB refuses a second portal while one is suspended ("multiple
 * active portals not supported"). Instead every statement's Execute carries a row limit of
 * {@code processing.fetch_size} ({@link java.sql.Statement#setMaxRows}, which pgjdbc sends per
 * statement), so a group holds at most {@code chunks × fetch_size} rows. A chunk that returns
 * exactly that many may have more: its rows are cut back and it runs again on its own, streamed.
 *
 * <p>Any failure of the group (an error in one of its statements, which makes the server skip the
 * rest until the Sync; a timeout; a cancel; a broken connection) leaves the chunks not yet spooled
 * to the caller, which runs each on its own with the retries, splits and outage handling of
 * {@link ChunkRunner}: sending chunks together never makes one fail. One worker's; not thread-safe.
 */
final class GroupFetch {
    private final RunContext run;

    GroupFetch(RunContext run) {
        this.run = run;
    }

    /** Told of each chunk of the group as it is spooled. */
    interface Spooling {
        /** The rows of {@code chunk} are being spooled. */
        void starting(Chunk chunk);

        /** {@code chunk} is spooled whole: {@code spooled} says where, for the journal. */
        void done(Chunk chunk, SpooledChunk spooled) throws IOException;
    }

    /**
     * The chunks of a group that must run on their own, in chunk order, and why.
     *
     * @param chunks the chunks not spooled (empty when the whole group was)
     * @param reason why, for the log; empty when {@code chunks} is
     * @param error  the error that ended the group, or {@code null} (none, or only chunks with
     *               {@code fetch_size} rows)
     */
    record Rest(List<Chunk> chunks, String reason, SQLException error) {
        Rest {
            chunks = List.copyOf(chunks);
        }
    }

    /**
     * Sends {@code group} in one round trip and spools, in order, every chunk whose whole result
     * came back.
     *
     * @throws IOException if a chunk cannot be spooled or journalled; the chunks {@code spooling} was
     *                     not told are done are not
     */
    Rest fetch(List<Chunk> group, int worker, HeldConnection held, Spooling spooling) throws IOException {
        int limit = run.request().settings().fetchSize();
        // The per-chunk check (a valid Kerberos ticket) for each chunk sent: one that fails ends the group
        // there, and the chunks from it on run on their own, where the check stops the run as it would.
        int checked = 0;
        try {
            while (checked < group.size()) {
                run.connections().beforeChunk();
                checked++;
            }
        } catch (SQLException e) {
            if (checked == 0) {
                return new Rest(group, SqlErrors.describe(e), e);
            }
            Rest sent = fetch(group.subList(0, checked), worker, held, spooling, limit);
            List<Chunk> left = new ArrayList<>(sent.chunks());
            left.addAll(group.subList(checked, group.size()));
            return new Rest(left, sent.chunks().isEmpty() ? SqlErrors.describe(e) : sent.reason(),
                    sent.error() != null ? sent.error() : e);
        }
        return fetch(group, worker, held, spooling, limit);
    }

    private Rest fetch(List<Chunk> group, int worker, HeldConnection held, Spooling spooling, int limit)
            throws IOException {
        RunRequest request = run.request();
        RunControl control = run.control();
        List<Column> columns = run.described().columns();
        List<Chunk> alone = new ArrayList<>();
        int next = 0; // the first chunk of the group whose rows are not spooled yet
        boolean ended = false;
        try {
            String sql = sql(group);
            long asked = System.nanoTime();
            Connection con = held.get(group.size());
            long pool = System.nanoTime() - asked;
            try (PreparedStatement ps = ChunkFetch.prepare(con, sql, request.renderer().binding());
                 StatementWatch.Watched watched = control.watch().watch(con, ps, request.settings().queryTimeout(),
                         label(group, request.plan().size()))) {
                try {
                    if (control.isCancelled()) {
                        throw new SQLException("run cancelled", "57014");
                    }
                    ps.setFetchSize(0); // whole results: no portal to be closed under us (class comment)
                    ps.setMaxRows(limit);
                    int parameter = 1;
                    for (Chunk c : group) {
                        parameter += request.renderer().bind(ps, request.input().ids(), c.from(), c.to(), parameter);
                    }
                    long waiting = System.nanoTime();
                    boolean rows = ps.execute(); // every statement's result is read before it returns
                    long database = System.nanoTime() - waiting;
                    for (Chunk chunk : group) {
                        ResultSet rs = ChunkFetch.nextRows(ps, rows);
                        spooling.starting(chunk);
                        AttemptClock clock = AttemptClock.share(pool, database, group.size());
                        try (rs; ChunkWriter spool = run.session().openChunk(worker, chunk.number(), 1)) {
                            ChunkFetch.Sink sink = ChunkFetch.sink(run, spool, chunk);
                            if (ChunkFetch.copyRows(rs, sink, chunk, columns, watched, control, clock) >= limit) {
                                alone.add(chunk); // maybe more rows than the limit: closed unfinished, cut back
                            } else {
                                spooling.done(chunk, sink.finish().withTiming(new ChunkTiming(clock.elapsedMicros(),
                                        clock.databaseMicros(), clock.poolMicros(), worker, List.of())));
                            }
                        }
                        next++;
                        rows = ps.getMoreResults();
                    }
                    ChunkFetch.noMoreResults(ps, rows);
                } catch (SQLException e) {
                    throw watched.translate(e);
                }
            }
            ended = true;
        } catch (SQLException e) {
            alone.addAll(group.subList(next, group.size()));
            return new Rest(alone, SqlErrors.describe(e), e);
        } finally {
            if (!ended) {
                held.abandon(); // the chunks left, or the next group, get a fresh connection
            }
        }
        return new Rest(alone, alone.isEmpty() ? "" : "returned processing.fetch_size (" + limit
                + ") rows, the most a chunk returns in a group, so maybe more", null);
    }

    /**
     * The group's statement: for each chunk the rollback to the savepoint and its SELECT. The chunk's
     * text may end in its own {@code ;} and a {@code --} comment: the separator starts on a new line,
     * and an empty statement between two semicolons is harmless.
     */
    private String sql(List<Chunk> group) {
        RunRequest request = run.request();
        StringBuilder sql = new StringBuilder();
        for (Chunk c : group) {
            if (!sql.isEmpty()) {
                sql.append("\n;\n");
            }
            sql.append(HeldConnection.UNDO_PREVIOUS_CHUNK)
                    .append(request.renderer().sql(request.input().ids(), c.from(), c.to()));
        }
        return sql.toString();
    }

    /** "chunks 12, 14-19/4000", for the timeout's message. */
    static String label(List<Chunk> group, int total) {
        StringBuilder b = new StringBuilder("chunks ");
        int i = 0;
        while (i < group.size()) {
            int j = i;
            while (j + 1 < group.size() && group.get(j + 1).number() == group.get(j).number() + 1) {
                j++;
            }
            if (i > 0) {
                b.append(", ");
            }
            b.append(group.get(i).number());
            if (j > i) {
                b.append('-').append(group.get(j).number());
            }
            i = j + 1;
        }
        return b.append('/').append(total).toString();
    }
}
