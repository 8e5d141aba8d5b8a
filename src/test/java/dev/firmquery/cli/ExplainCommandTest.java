package dev.firmquery.cli;

import dev.firmquery.demo.DemoData;
import dev.firmquery.exit.ExitCode;
import dev.firmquery.testing.CliHarness;
import dev.firmquery.testing.TestConfigs;
import dev.firmquery.testing.TestPostgres;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code firmquery explain} against a real PostgreSQL of 12,000 firms. */
@DisplayName("firmquery explain")
class ExplainCommandTest {
    /** Sequential scans penalised, as a production-sized table would make them. */
    private static TestPostgres.TestDatabase db;
    /** As created: 12,000 firms, which PostgreSQL scans whole for an unindexable condition. */
    private static TestPostgres.TestDatabase plain;

    @TempDir
    Path tmp;

    @BeforeAll
    static void database() throws SQLException {
        db = TestPostgres.freshDatabase("explain");
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            DemoData.create(c, 12_000, 11);
            s.execute("ANALYZE");
            // 12,000 firms fit in 148 pages, which PostgreSQL reads whole rather than look up 250 IDs by
            // index; a production table is large enough for the index. Penalise the scan as size would.
            s.execute("ALTER DATABASE " + db.name() + " SET enable_seqscan = off");
        }
        plain = TestPostgres.freshDatabase("explainseq");
        try (Connection c = plain.connect(); Statement s = c.createStatement()) {
            DemoData.create(c, 12_000, 11);
            s.execute("ANALYZE");
        }
    }

    @Test
    @DisplayName("prints the chunk's plan with its index scan, its time and rows, and no warning")
    void indexScan() throws IOException {
        CliHarness cli = new CliHarness(tmp);

        ExitCode code = cli.run(TestConfigs.environment(db), "explain", "--query", "firm_details", "--ids",
                ids(600).toString(), "--chunk", "2");

        assertEquals(ExitCode.COMPLETED, code, cli.both());
        String out = cli.stdout();
        assertTrue(out.startsWith("explain: chunk 2/3 (250 ids, " + DemoData.firmId(250) + ".."
                + DemoData.firmId(499) + ") of firm_details on PostgreSQL"), out);
        assertTrue(Pattern.compile("(Index (Only )?Scan using \\S+ on firm |Bitmap Index Scan on firm_pkey)").matcher(out).find(), out);
        assertTrue(out.contains("Buffers: "), "EXPLAIN (ANALYZE, BUFFERS): " + out);
        assertTrue(Pattern.compile("\ntime: [0-9,]+ ms, rows: [0-9,]+\n").matcher(out).find(), out);
        assertFalse(out.contains("warning:"), out);
    }

    @Test
    @DisplayName("warns when the plan scans the whole table, and slowest picks a chunk")
    void sequentialScan() throws IOException {
        Path query = Files.writeString(tmp.resolve("unindexed.sql"), "SELECT t1.firm_root_id, t1.firm_name FROM firm t1\n"
                + "WHERE t1.firm_root_id + 0 IN ({ID_PLACEHOLDER}) ORDER BY t1.firm_root_id");
        CliHarness cli = new CliHarness(tmp);

        ExitCode code = cli.run(TestConfigs.environment(plain), "explain", "--query", query.toString(), "--ids",
                ids(600).toString(), "--chunk", "slowest");

        assertEquals(ExitCode.COMPLETED, code, cli.both());
        assertTrue(cli.stdout().contains("(the chunk of the highest estimated cost"), cli.stdout());
        assertTrue(cli.stdout().contains("warning: a sequential scan of firm read 12,000 rows for this chunk"),
                cli.stdout());
    }

    @Test
    @DisplayName("a template error exits 2 naming the file and line")
    void templateError() throws IOException {
        Path query = Files.writeString(tmp.resolve("broken.sql"), "SELECT t1.firm_root_id FROM firm t1\n"
                + "WHERE t1.firm_root_id IN ({ID_PLACEHOLDER})\n; DELETE FROM firm\n");
        CliHarness cli = new CliHarness(tmp);

        ExitCode code = cli.run(TestConfigs.environment(db), "explain", "--query", query.toString(), "--ids",
                ids(10).toString());

        assertEquals(ExitCode.USAGE, code, cli.both());
        assertTrue(cli.stderr().contains("broken.sql:3"), cli.both());
    }

    @Test
    @DisplayName("a chunk number beyond the plan is a usage error naming the chunks there are")
    void chunkOutOfRange() throws IOException {
        CliHarness cli = new CliHarness(tmp);

        ExitCode code = cli.run(TestConfigs.environment(db), "explain", "--query", "firm_details", "--ids",
                ids(600).toString(), "--chunk", "4");

        assertEquals(ExitCode.USAGE, code, cli.both());
        assertTrue(cli.stderr().contains("--chunk 4: expected a chunk number from 1 to 3"), cli.both());
    }

    @Test
    @DisplayName("a query the administrator's policy does not approve is refused before the database, as for a run")
    void unapprovedQuery() throws IOException {
        Path etc = Files.createDirectories(tmp.resolve("etc/firmquery"));
        Path system = Files.writeString(etc.resolve("config.yaml"), "policy:\n  approved_queries: [firm_names]\n");
        Files.setPosixFilePermissions(etc, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(system, PosixFilePermissions.fromString("rw-r--r--"));
        Map<String, String> env = new HashMap<>(TestConfigs.environment(db));
        env.put("FIRMQUERY_SYSTEM_CONFIG", system.toString());
        env.put("FIRMQUERY_DATABASE_PORT", "1"); // nothing listens: a connection attempt would be exit 3
        CliHarness cli = new CliHarness(tmp);

        ExitCode code = cli.run(env, "explain", "--query", "firm_details", "--ids", ids(10).toString());

        assertEquals(ExitCode.USAGE, code, cli.both());
        assertTrue(cli.stderr().contains("is not approved by the administrator's policy"), cli.both());
    }

    private Path ids(int n) throws IOException {
        return Files.writeString(tmp.resolve("ids-" + n + ".txt"), Stream.iterate(0, i -> i + 1).limit(n)
                .map(i -> Long.toString(DemoData.firmId(i))).collect(Collectors.joining("\n")));
    }
}
