package dev.firmquery.testing;

import dev.firmquery.app.DatabaseSession;
import dev.firmquery.app.RunExecutor;
import dev.firmquery.config.AppConfig;
import dev.firmquery.db.ConnectionPool;
import dev.firmquery.db.Database;
import dev.firmquery.tui.Sessions;
import dev.firmquery.tui.TuiSession;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.stream.LongStream;

/**
 * The UI's runs on the real engine against a real PostgreSQL, set up as a user's session would be: a
 * {@link TuiSession} over a test folder (the shipped defaults and queries, a home's queries, the chosen ID
 * file, query and output folder, {@code --set} overrides, environment variables), the one pool all its runs
 * share (as {@code app.DatabaseSession} has), and the screen opened on them. {@link #close} closes what it opened, newest first: the screens,
 * then the pool. The fixture data the UI specs share is here too: the table {@code firm} and the
 * {@link #FRAGILE} query that fails until it is fixed.
 *
 * <pre>
 * &#64;TempDir Path dir;
 * &#64;AutoClose private final RealRunHarness runs = new RealRunHarness();
 *
 * ScreenHarness ui = runs.session(db, dir).ids(ids).query("firm_details").set("processing.chunk_size=10")
 *         .open(ScreenHarness::new);
 * </pre>
 */
public final class RealRunHarness implements AutoCloseable {
    /** Firm names, ordered; the chunk with firm 17 fails (division by zero, SQLState 22012) until {@link #fix}. */
    public static final String FRAGILE = """
            -- Firm names; fails for firm 17 until the table fixed has a row.
            SELECT t1.firm_root_id, t1.firm_name
            FROM firm t1
            WHERE t1.firm_root_id IN ({ID_PLACEHOLDER})
              AND 1 / (CASE WHEN t1.firm_root_id = 17 AND NOT EXISTS (SELECT 1 FROM fixed) THEN 0 ELSE 1 END) = 1
            ORDER BY t1.firm_root_id
            """;

    private final Deque<AutoCloseable> opened = new ArrayDeque<>();
    private ConnectionPool pool;

    /**
     * A fresh database named after {@code prefix} with the table {@code firm}: {@code firm_root_id} 1 to
     * {@code firms}, {@code firm_name} {@code 'Firm i'}, and the empty table {@code fixed} {@link #FRAGILE}
     * looks at.
     */
    public static TestPostgres.TestDatabase firms(String prefix, int firms) {
        TestPostgres.TestDatabase db = TestPostgres.freshDatabase(prefix);
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE firm (firm_root_id bigint PRIMARY KEY, firm_name text NOT NULL)");
            s.execute("INSERT INTO firm SELECT i, 'Firm ' || i FROM generate_series(1, " + firms + ") AS i");
            s.execute("CREATE TABLE fixed (ok int)");
        } catch (SQLException e) {
            throw new IllegalStateException("Creating the firm table in " + db.jdbcUrl() + " failed: "
                    + e.getMessage() + " (SQLState " + e.getSQLState() + ")", e);
        }
        return db;
    }

    /** Gives {@code fixed} its row: {@link #FRAGILE} no longer fails on {@code db}. */
    public static void fix(TestPostgres.TestDatabase db) throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO fixed VALUES (1)");
        }
    }

    /** An ID file {@code file}: the IDs {@code from} to {@code to}, one a line, no header. */
    public static Path ids(Path file, long from, long to) throws IOException {
        return Files.writeString(file, LongStream.rangeClosed(from, to).mapToObj(Long::toString).collect(Collectors.joining("\n")));
    }

    /** A session on {@code db} over {@code dir} (working directory and home), nothing chosen yet. */
    public Session session(TestPostgres.TestDatabase db, Path dir) {
        return new Session(this, db, dir, null, null, null, dir.resolve("out"), List.of(), Map.of());
    }

    /**
     * A session over {@code dir} with no database: its environment names none, so only a screen given its
     * runners ({@link Session#open(BiFunction, RunExecutor.Factory)}) can be opened on it.
     */
    public Session session(Path dir) {
        return session(null, dir);
    }

    /**
     * What the UI starts with, as {@code firmquery ui --ids --query --out --set} would choose it.
     *
     * @param db    the database, or null (no pool, scripted runs only)
     * @param home  the user's home whose {@code sql/queries} the query list shows too, or null (none)
     * @param ids   the ID file, or null
     * @param query the query's name or file, or null
     * @param out   the output folder ({@code dir/out} unless told)
     * @param sets  {@code --set} overrides
     * @param env   environment variables set after those that reach {@code db}
     */
    public record Session(RealRunHarness harness, TestPostgres.TestDatabase db, Path dir, Path home, Path ids,
                          String query, Path out, List<String> sets, Map<String, String> env) {
        public Session {
            sets = List.copyOf(sets);
            env = Map.copyOf(env);
        }

        public Session ids(Path ids) {
            return new Session(harness, db, dir, home, ids, query, out, sets, env);
        }

        public Session query(String query) {
            return new Session(harness, db, dir, home, ids, query, out, sets, env);
        }

        public Session out(Path out) {
            return new Session(harness, db, dir, home, ids, query, out, sets, env);
        }

        /** With {@code home}'s {@code sql/queries} in the query list too. */
        public Session home(Path home) {
            return new Session(harness, db, dir, home, ids, query, out, sets, env);
        }

        /** With {@code sets} ({@code section.key=value}) after those given so far. */
        public Session set(String... sets) {
            return new Session(harness, db, dir, home, ids, query, out,
                    Stream.concat(this.sets.stream(), Stream.of(sets)).toList(), env);
        }

        /** With the environment variable {@code name} set to {@code value}, over what was set so far. */
        public Session env(String name, String value) {
            Map<String, String> more = new HashMap<>(env);
            more.put(name, value);
            return new Session(harness, db, dir, home, ids, query, out, sets, more);
        }

        /**
         * The environment the UI gets (and a {@code CliHarness} run given it): what reaches {@link #db} (nothing
         * without one), then {@link #env}.
         */
        public Map<String, String> environment() {
            Map<String, String> all = db == null ? new HashMap<>() : new HashMap<>(TestConfigs.environment(db));
            all.putAll(env);
            return all;
        }

        /** The session as the UI gets it. */
        public TuiSession tui() {
            return Sessions.session(dir, home, environment(), new TuiSession.Preselection(ids, query, out, null),
                    sets.toArray(String[]::new));
        }

        /** The session's configuration. */
        public AppConfig config() {
            return tui().config();
        }

        /** The harness's one pool, opened on the first call as this session's configuration sizes it. */
        public ConnectionPool pool() {
            return harness.pool(withDatabase().tui());
        }

        /** The real engine's runs on {@link #pool}, as the UI gets them. */
        public RunExecutor.Factory engines() {
            return DatabaseSession.engines(pool());
        }

        /** The screen {@code screen} makes of this session and the real engine; the harness closes it. */
        public <S extends AutoCloseable> S open(BiFunction<TuiSession, RunExecutor.Factory, S> screen) {
            TuiSession session = withDatabase().tui();
            return harness.opened(screen.apply(session, DatabaseSession.engines(harness.pool(session))));
        }

        private Session withDatabase() {
            if (db == null) {
                throw new IllegalStateException("The session over " + dir + " has no database to open a pool on:"
                        + " give it one (session(db, dir)) or give the screen its runners (open(screen, runners))");
            }
            return this;
        }

        /** The screen {@code screen} makes of this session and {@code runners}; the harness closes it. */
        public <S extends AutoCloseable> S open(BiFunction<TuiSession, RunExecutor.Factory, S> screen,
                                                RunExecutor.Factory runners) {
            return harness.opened(screen.apply(tui(), runners));
        }
    }

    private ConnectionPool pool(TuiSession session) {
        if (pool == null) {

            try {
                pool = opened(new ConnectionPool(Database.dataSource(session.config().database(),
                        session.environment()), session.config().database()));
            } catch (SQLException e) {
                throw new IllegalStateException("Opening the pool on " + session.databaseLabel() + " failed: "
                        + e.getMessage() + " (SQLState " + e.getSQLState() + ")", e);
            }
        }
        return pool;
    }

    private <C extends AutoCloseable> C opened(C resource) {
        opened.push(resource);
        return resource;
    }

    /** Closes the screens, then the pool; the first failure is thrown after all are closed. */
    @Override
    public void close() throws Exception {
        Exception failure = null;
        while (!opened.isEmpty()) {
            try {
                opened.pop().close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        pool = null;
        if (failure != null) {
            throw failure;
        }
    }
}
