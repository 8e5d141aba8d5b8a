package dev.firmquery.cli;

import dev.firmquery.exit.ExitCode;
import dev.firmquery.testing.CliHarness;
import dev.firmquery.testing.TestConfigs;
import dev.firmquery.testing.TestPostgres;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code firmquery check}'s pool step against a real PostgreSQL: it opens the pool a run uses, both
 * connections at once, and queries each.
 */
@DisplayName("firmquery check, the pool step")
class CheckPoolTest {
    private static TestPostgres.TestDatabase db;

    @TempDir
    Path tmp;

    @BeforeAll
    static void database() throws SQLException {
        db = TestPostgres.freshDatabase("checkpool");
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("DROP ROLE IF EXISTS chk_one");
            s.execute("CREATE ROLE chk_one LOGIN PASSWORD 'one-conn' CONNECTION LIMIT 1");
            s.execute("GRANT CONNECT ON DATABASE " + db.name() + " TO chk_one");
        }
    }

    @Test
    @DisplayName("opens two connections, queries each and names their connect times and the server version")
    void passes() {
        CliHarness cli = new CliHarness(tmp);

        ExitCode code = cli.run(TestConfigs.environment(db), "check");

        assertEquals(ExitCode.COMPLETED, code, cli.both());
        assertTrue(Pattern.compile("ok +pool +2 connections \\(processing.thread_count 2\\) opened and queried: "
                + "\\d+ ms, \\d+ ms; server_version \\d+").matcher(cli.stdout()).find(), cli.stdout());
    }

    @Test
    @DisplayName("fails with the fix when nothing listens on the port")
    void badPort() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        Map<String, String> env = new HashMap<>(TestConfigs.environment(db));
        env.put("FIRMQUERY_DATABASE_PORT", Integer.toString(closed));
        env.put("FIRMQUERY_DATABASE_CONNECTION_TIMEOUT", "2");
        CliHarness cli = new CliHarness(tmp);

        ExitCode code = cli.run(env, "check");

        assertEquals(ExitCode.CONNECT, code, cli.both());
        assertTrue(Pattern.compile("FAIL +pool +cannot open the pool").matcher(cli.stdout()).find(), cli.stdout());
        assertTrue(cli.stdout().contains("failed (connect, pool)"), cli.stdout());
    }

    @Test
    @DisplayName("fails naming the second connection when the role may hold only one")
    void secondConnectionRefused() {
        Map<String, String> env = new HashMap<>(TestConfigs.environment(db));
        env.put("FIRMQUERY_DATABASE_USER", "chk_one");
        env.put("FIRMQUERY_DATABASE_PASSWORD", "one-conn");
        CliHarness cli = new CliHarness(tmp);

        ExitCode code = cli.run(env, "check");

        assertEquals(ExitCode.CONNECT, code, cli.both());
        assertTrue(Pattern.compile("ok +connect").matcher(cli.stdout()).find(), cli.stdout());
        assertTrue(cli.stdout().contains("connection 2 of 2 (database.max_connections) failed after 1 opened"),
                cli.stdout());
        assertTrue(cli.stdout().contains("or lower database.max_connections"), cli.stdout());
    }
}
