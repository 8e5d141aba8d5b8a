package dev.firmquery.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.firmquery.demo.DemoData;
import dev.firmquery.exit.ExitCode;
import dev.firmquery.testing.AuditLines;
import dev.firmquery.testing.CliHarness;
import dev.firmquery.testing.TestPostgres;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.TreeSet;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code firmquery run --param NAME=VALUE} against a real PostgreSQL: the values filter as the same SQL
 * with the values written in does, a hostile value is only a value, every problem of the values is
 * reported at once before the database is reached, the values are in the audit line, the summary and
 * the run's manifest, and a retry with other values is refused.
 */
class QueryParametersRunTest {
    private static final int FIRMS = 400;
    private static final long SEED = 41;
    private static final String HOSTILE = "'); DROP TABLE firm; --";
    private static TestPostgres.TestDatabase db;

    @TempDir
    Path tmp;

    private CliHarness cli;

    @BeforeAll
    static void database() {
        db = TestPostgres.demoDatabase(FIRMS, SEED);
    }

    @BeforeEach
    void harness() {
        cli = CliHarness.on(db, tmp);
    }

    private Path ids() throws IOException {
        return CliHarness.idFile(tmp.resolve("ids.csv"), IntStream.range(0, FIRMS).mapToLong(DemoData::firmId));
    }

    private Path query() throws IOException {
        return Files.writeString(tmp.resolve("recent.sql"), """
                -- Firms founded since a date, in some countries, with a name that is not the given one
                -- @param since date = 1990-01-01   Founded on or after this date
                -- @param countries text[]          Country codes
                -- @param not_named text = ''       A name to leave out
                SELECT f.firm_root_id, f.firm_name FROM firm f
                WHERE f.founded_on >= {since} AND f.country_code = ANY({countries}) AND f.firm_name <> {not_named}
                  AND f.firm_root_id IN ({ID_PLACEHOLDER})
                ORDER BY f.firm_root_id
                """);
    }

    private static TreeSet<Long> direct(String where) throws Exception {
        TreeSet<Long> found = new TreeSet<>();
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT firm_root_id FROM firm WHERE " + where)) {
            while (rs.next()) {
                found.add(rs.getLong(1));
            }
        }
        return found;
    }

    private static long firms() throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM firm")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static TreeSet<Long> resultIds(Path out) throws IOException {
        Path csv;
        try (Stream<Path> s = Files.list(out)) {
            csv = s.filter(p -> p.getFileName().toString().endsWith(".csv"))
                    .filter(p -> !p.getFileName().toString().contains("_missing"))
                    .filter(p -> !p.getFileName().toString().contains("_failed")).findFirst().orElseThrow();
        }
        TreeSet<Long> found = new TreeSet<>();
        List<String> lines = Files.readAllLines(csv);
        for (String line : lines.subList(1, lines.size())) {
            found.add(Long.parseLong(line.substring(0, line.indexOf(','))));
        }
        return found;
    }

    private static Properties manifest(Path out) throws IOException {
        Path file;
        try (Stream<Path> s = Files.walk(out.resolve(".firmquery"))) {
            file = s.filter(p -> p.getFileName().toString().equals("run.properties")).findFirst().orElseThrow();
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            p.load(r);
        }
        return p;
    }

    @Test
    void theValuesFilterAsTheSameSqlWithTheValuesWrittenIn() throws Exception {
        Path out = tmp.resolve("out");
        try (AuditLines audit = AuditLines.capture()) {
            assertEquals(ExitCode.COMPLETED, cli.firmquery("run", "--ids", ids().toString(), "--query", query().toString(),
                    "--param", "since=2000-01-01", "--param", "countries=DE,FR", "--out", out.toString(),
                    "--format", "csv", "--keep-work"), cli.both());
            JsonNode line = audit.lines().stream().filter(l -> l.path("outcome").asText().equals("completed"))
                    .findFirst().orElseThrow(() -> new AssertionError(audit.lines().toString()));
            assertEquals("2000-01-01", line.path("params").path("since").asText(), line.toString());
            assertEquals("DE,FR", line.path("params").path("countries").asText(), line.toString());
            assertEquals("", line.path("params").path("not_named").asText(), line.toString());
        }
        TreeSet<Long> expected = direct("founded_on >= DATE '2000-01-01' AND country_code IN ('DE', 'FR')");
        assertFalse(expected.isEmpty(), "the demo data has such firms");
        assertEquals(expected, resultIds(out));
        assertTrue(cli.stderr().contains("since = 2000-01-01"), cli.stderr());
        assertTrue(cli.stderr().contains("not_named =  (default)"), cli.stderr());
        Properties m = manifest(out);
        assertEquals("3", m.getProperty("parameters"));
        assertEquals("since", m.getProperty("parameter.1.name"));
        assertEquals("date", m.getProperty("parameter.1.type"));
        assertEquals("2000-01-01", m.getProperty("parameter.1.value"));
        assertEquals("DE,FR", m.getProperty("parameter.2.value"));
    }

    private static Path fileEndingWith(Path out, String suffix) throws IOException {
        try (Stream<Path> s = Files.list(out)) {
            return s.filter(p -> p.getFileName().toString().endsWith(suffix)).findFirst()
                    .orElseThrow(() -> new AssertionError("no *" + suffix + " in " + out));
        }
    }

    @Test
    void theValuesAreInTheReportTheSummarySheetAndTheSummary() throws Exception {
        Path out = tmp.resolve("report");
        assertEquals(ExitCode.COMPLETED, cli.firmquery("run", "--ids", ids().toString(), "--query", query().toString(),
                "--param", "countries=DE,FR", "--param", "not_named=" + HOSTILE, "--out", out.toString(),
                "--format", "csv,xlsx"), cli.both());

        JsonNode report = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                fileEndingWith(out, "_report.json").toFile());
        JsonNode params = report.path("query").path("parameters");
        assertEquals(List.of("since", "countries", "not_named"), iterate(params.fieldNames()));
        assertEquals("1990-01-01", params.path("since").asText());
        assertEquals(HOSTILE, params.path("not_named").asText());

        List<String> summary = new ArrayList<>();
        try (org.dhatim.fastexcel.reader.ReadableWorkbook wb = new org.dhatim.fastexcel.reader.ReadableWorkbook(
                fileEndingWith(out, ".xlsx").toFile())) {
            for (org.dhatim.fastexcel.reader.Row row : wb.findSheet("Summary").orElseThrow().read()) {
                summary.add(row.getCellText(0) + "=" + row.getCellText(1));
            }
        }
        assertTrue(summary.contains("Parameter since=1990-01-01"), summary.toString());
        assertTrue(summary.contains("Parameter countries=DE,FR"), summary.toString());
        assertTrue(summary.contains("Parameter not_named=" + HOSTILE), summary.toString());

        assertTrue(cli.stdout().contains("  params   since=1990-01-01, countries=DE,FR, not_named=" + HOSTILE + "\n"),
                cli.stdout());
    }

    private static List<String> iterate(java.util.Iterator<String> names) {
        List<String> list = new ArrayList<>();
        names.forEachRemaining(list::add);
        return list;
    }

    @Test
    void aHostileValueReturnsTheRightRowsAndChangesNothing() throws Exception {
        long before = firms();
        Path out = tmp.resolve("hostile");
        assertEquals(ExitCode.COMPLETED, cli.firmquery("run", "--ids", ids().toString(), "--query", query().toString(),
                "--param", "countries=" + HOSTILE + ",DE", "--param", "not_named=" + HOSTILE, "--out", out.toString(),
                "--format", "csv"), cli.both());
        assertEquals(direct("founded_on >= DATE '1990-01-01' AND country_code = 'DE'"), resultIds(out));
        assertEquals(before, firms(), "the firm table is still there, with all its rows");
    }

    @Test
    void everyProblemIsReportedTogetherBeforeTheDatabaseIsReached() throws Exception {
        try (AuditLines audit = AuditLines.capture()) {
            ExitCode code = cli.firmquery("run", "--ids", ids().toString(), "--query", query().toString(),
                    "--param", "since=2000-13-01", "--param", "limit=5", "--set", "database.port=1",
                    "--out", tmp.resolve("bad").toString());
            assertEquals(ExitCode.USAGE, code, cli.both());
            assertTrue(audit.lines().stream().anyMatch(l -> l.path("outcome").asText().equals("refused")),
                    audit.lines().toString());
        }
        String err = cli.stderr();
        assertTrue(err.contains("3 problems with the parameters of recent"), err);
        assertTrue(err.contains("recent.sql:2: parameter since (date): --param since=2000-13-01"), err);
        assertTrue(err.contains("recent.sql:3: parameter countries (text[]) has no value and no default"), err);
        assertTrue(err.contains("--param limit: the query recent has no parameter limit"), err);
        assertFalse(err.contains("connect"), "nothing tried to reach the database (port 1): " + err);
    }

    @Test
    void aQueryApprovedByItsTextHashRunsWithAnyValues() throws Exception {
        Path sql = query();
        Path etc = Files.createDirectories(tmp.resolve("etc/firmquery"));
        Path system = Files.writeString(etc.resolve("config.yaml"), "policy:\n  approved_queries: [\"sha256:"
                + dev.firmquery.sql.QueryTemplate.sha256Of(sql) + "\"]\n");
        Files.setPosixFilePermissions(etc, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(system, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        java.util.Map<String, String> env = new java.util.HashMap<>(cli.environment());
        env.put("FIRMQUERY_SYSTEM_CONFIG", system.toString());
        for (String countries : List.of("DE", "FR,GB")) {
            assertEquals(ExitCode.COMPLETED, cli.run(env, "run", "--ids", ids().toString(), "--query", sql.toString(),
                    "--param", "countries=" + countries, "--out", tmp.resolve("approved").toString(), "--format", "csv"),
                    cli.both());
        }
        Files.writeString(sql, Files.readString(sql).replace("f.firm_name <> {not_named}", "true OR {not_named} = ''"));
        assertEquals(ExitCode.USAGE, cli.run(env, "run", "--ids", ids().toString(), "--query", sql.toString(),
                "--param", "countries=DE", "--out", tmp.resolve("approved").toString()), cli.both());
        assertTrue(cli.stderr().contains("is not approved by the administrator's policy"), "an edited text is another"
                + " text, whatever values it binds: " + cli.stderr());
    }

    @Test
    void explainBindsTheValuesAsARunWould() throws Exception {
        assertEquals(ExitCode.COMPLETED, cli.firmquery("explain", "--ids", ids().toString(), "--query", query().toString(),
                "--param", "countries=DE,FR"), cli.both());
        // A custom plan shows the bound values as the constants the planner used.
        assertTrue(cli.stdout().contains("'{DE,FR}'::text[]"), cli.stdout());
        assertTrue(cli.stdout().contains("'1990-01-01'::date"), "the default is bound too: " + cli.stdout());
        assertEquals(ExitCode.USAGE, cli.firmquery("explain", "--ids", ids().toString(), "--query", query().toString()),
                cli.both());
        assertTrue(cli.both().contains("parameter countries (text[]) has no value"), cli.both());
    }

    @Test
    void theValuesAreCheckedBeforeTheIdsAreRead() throws Exception {
        assertEquals(ExitCode.USAGE, cli.firmquery("run", "--ids", tmp.resolve("not-there.csv").toString(), "--query",
                query().toString(), "--param", "since=yesterday"), cli.both());
        assertTrue(cli.stderr().contains("--param since=yesterday: 'yesterday' is not a date"), cli.stderr());
        assertFalse(cli.stderr().contains("not-there.csv"), "the ID file was not looked at yet: " + cli.stderr());
    }

    @Test
    void aParamWithoutAnEqualsSignOrGivenTwiceIsAUsageError() throws Exception {
        assertEquals(ExitCode.USAGE, cli.firmquery("run", "--ids", ids().toString(), "--query", query().toString(),
                "--param", "since"), cli.both());
        assertTrue(cli.stderr().contains("--param since: write NAME=VALUE"), cli.stderr());
        assertEquals(ExitCode.USAGE, cli.firmquery("run", "--ids", ids().toString(), "--query", query().toString(),
                "--param", "countries=DE", "--param", "countries=FR"), cli.both());
        assertTrue(cli.stderr().contains("--param countries is given twice"), cli.stderr());
    }

    @Test
    void aRetryWithOtherValuesIsRefusedAndWithTheSameValuesGoesOn() throws Exception {
        long poison = DemoData.firmId(5);
        Path sql = Files.writeString(tmp.resolve("poison.sql"), """
                -- Fails for one firm: a division by zero in its chunk
                -- @param poison integer
                SELECT f.firm_root_id, 1 / (f.firm_root_id - {poison}) AS x FROM firm f
                WHERE f.firm_root_id IN ({ID_PLACEHOLDER})
                """);
        Path out = tmp.resolve("partial");
        ExitCode first = cli.firmquery("run", "--ids", ids().toString(), "--query", sql.toString(), "--param",
                "poison=" + poison, "--out", out.toString(), "--format", "csv", "--set", "processing.max_retries=0",
                "--set", "processing.chunk_size=50");
        assertEquals(ExitCode.PARTIAL, first, cli.both());
        Path runDir;
        try (Stream<Path> s = Files.list(out.resolve(".firmquery"))) {
            runDir = s.filter(Files::isDirectory).findFirst().orElseThrow();
        }

        assertEquals(ExitCode.USAGE, cli.firmquery("run", "--retry-failed", runDir.toString(), "--param", "poison=1"),
                cli.both());
        assertTrue(cli.stderr().contains("was started with other parameter values: poison=1 (the run has " + poison + ")"),
                cli.stderr());

        List<String> again = new ArrayList<>(List.of("run", "--retry-failed", runDir.toString(), "--param",
                "poison=+" + poison));
        assertEquals(ExitCode.PARTIAL, cli.firmquery(again.toArray(String[]::new)), cli.both());
        assertTrue(cli.stderr().contains("poison = " + poison), "the same value, written otherwise: " + cli.stderr());
    }
}
