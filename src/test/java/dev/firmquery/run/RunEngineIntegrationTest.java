package dev.firmquery.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.firmquery.config.AppConfig;
import dev.firmquery.db.ConnectionPool;
import dev.firmquery.demo.DemoData;
import dev.firmquery.demo.SampleIdFile;
import dev.firmquery.exit.ExitCode;
import dev.firmquery.testing.EngineRuns;
import dev.firmquery.testing.EngineRuns.Sources;
import dev.firmquery.testing.TestConfigs;
import dev.firmquery.testing.TestPostgres;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.dhatim.fastexcel.reader.Cell;
import org.dhatim.fastexcel.reader.CellType;
import org.dhatim.fastexcel.reader.ReadableWorkbook;
import org.dhatim.fastexcel.reader.Row;
import org.dhatim.fastexcel.reader.Sheet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.Reader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static dev.firmquery.run.RunOutputs.file;
import static dev.firmquery.testing.EngineRuns.setup;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The engine against a real PostgreSQL with generated demo data. Expected rows are computed from the
 * data generator's model ({@link DemoData#firm}, {@link DemoData#identifiers}), not from SQL, and the
 * CSV and XLSX are read back with independent readers and compared value by value.
 */
class RunEngineIntegrationTest {
    private static final int FIRMS = 4_000;
    private static final long SEED = 11;
    private static final String[] HEADER = {"firm_root_id", "firm_name", "country_code", "founded_on", "is_active",
        "employees", "revenue_musd", "updated_at", "id_scheme", "id_value", "valid_from"};

    private static TestPostgres.TestDatabase db;

    @TempDir
    Path tmp;

    @BeforeAll
    static void database() {
        db = TestPostgres.demoDatabase(FIRMS, SEED);
    }

    // ---------------------------------------------------------------------------------------------

    @Test
    void aFullRunWritesExactlyTheExpectedRowsMissingIdsAndReport() throws Exception {
        SampleIdFile sample = DemoData.writeSampleIds(tmp.resolve("ids.csv"), FIRMS, 1_500, SEED);
        AppConfig config = config("processing.chunk_size=100");

        RunReport report = run(config, sample.path(), "firm_details", RunListener.NONE);

        // processing.id_order: sorted (the default) cuts the chunks from the IDs in ascending order.
        long[] chunkOrder = ascending(sample.ids());
        List<List<String>> expected = expectedRows(chunkOrder, 100);
        assertEquals(RunStatus.COMPLETED, report.status());
        assertEquals(expected.size(), report.counts().rows());
        assertEquals(15, report.chunks().total());
        assertEquals(sample.distinctIds(), report.source().ids().valid());
        assertEquals(sample.duplicates(), report.source().ids().duplicates());
        assertEquals(sample.invalid(), report.source().ids().invalid());

        assertEquals(expected, readCsv(file(report, "results-csv")));
        assertEquals(expected, readXlsx(file(report, "results-xlsx")));
        assertEquals(expectedMissing(chunkOrder), readMissing(file(report, "missing")));
        assertEquals(expectedMissing(chunkOrder).size(), report.counts().missingIds());

        JsonNode json = new ObjectMapper().readTree(file(report, "report").toFile());
        assertEquals("completed", json.get("status").asText());
        assertEquals(expected.size(), json.get("rows").asLong());
        assertEquals(sample.distinctIds(), json.get("ids").get("valid").asInt());
        assertEquals(sample.invalid(), json.get("ids").get("invalid").asInt());
        assertEquals(Math.min(20, sample.invalid()), json.get("ids").get("invalid_examples").size());
        assertEquals(15, json.get("chunks").get("succeeded").asInt());
        assertEquals(0, json.get("failed_ids").asInt());
        assertEquals(report.query().sha256(), json.get("query").get("sha256").asText());
        assertEquals(64, json.get("ids").get("sha256").asText().length());
    }

    @Test
    void inputOrderCutsTheChunksInTheOrderOfTheFile() throws Exception {
        SampleIdFile sample = DemoData.writeSampleIds(tmp.resolve("ids.csv"), FIRMS, 700, SEED + 1);
        AppConfig config = config("processing.chunk_size=50", "processing.id_order=input");

        RunReport report = run(config, sample.path(), "firm_details", RunListener.NONE);

        assertEquals(RunStatus.COMPLETED, report.status());
        assertEquals(expectedRows(sample.ids(), 50), readCsv(file(report, "results-csv")));
        assertEquals(expectedMissing(sample.ids()), readMissing(file(report, "missing")));
    }

    @Test
    void genericPlansAreAskedForOnTheWorkersSessionsUnlessTurnedOff() throws Exception {
        Path template = write("mode.sql", "SELECT v AS firm_root_id, current_setting('plan_cache_mode') AS mode"
                + " FROM unnest(ARRAY[{ID_PLACEHOLDER}]::bigint[]) v ORDER BY v");
        Path ids = write("ids.txt", "1\n2\n3\n4\n5\n6\n");

        RunReport on = run(config("processing.chunk_size=2", "output.formats=csv"), ids, template.toString(),
                RunListener.NONE);
        RunReport off = run(config("processing.chunk_size=2", "output.formats=csv", "processing.generic_plans=false"),
                ids, template.toString(), RunListener.NONE, db, tmp.resolve("out2"));

        assertEquals(Set.of("force_generic_plan"), modes(file(on, "results-csv")));
        assertEquals(Set.of("auto"), modes(file(off, "results-csv")), "the server's default is left alone");
    }

    @Test
    void theReportNamesTheServerAndThePlanCacheModeTheWorkersSet() throws Exception {
        Path ids = write("ids.txt", DemoData.firmId(1) + "\n" + DemoData.firmId(2) + "\n");
        int versionNum;
        try (Connection c = db.connect(); Statement s = c.createStatement();
             java.sql.ResultSet rs = s.executeQuery("SELECT current_setting('server_version_num')::int")) {
            rs.next();
            versionNum = rs.getInt(1); // 160004 for 16.4 (PostgreSQL 10 and later: major * 10000 + minor)
        }

        RunReport report = run(config("output.formats=csv"), ids, "firm_details", RunListener.NONE);

        DatabaseServer server = report.run().server();
        assertEquals(DatabaseServer.Kind.POSTGRESQL, server.kind());
        assertEquals(versionNum / 10_000, server.major());
        assertEquals(versionNum % 10_000, server.minor());
        assertEquals(PlanCacheMode.FORCE_GENERIC_PLAN, report.run().planCacheMode());
        JsonNode json = new ObjectMapper().readTree(file(report, "report").toFile()).get("server");
        assertEquals("postgresql", json.get("kind").asText());
        assertEquals(versionNum / 10_000 + "." + versionNum % 10_000, json.get("version").asText());
        assertTrue(json.get("version_text").asText().startsWith("PostgreSQL " + versionNum / 10_000),
                json.toString());
        assertEquals("force_generic_plan", json.get("plan_cache_mode").asText());
    }

    private static Set<String> modes(Path csv) throws IOException {
        Set<String> modes = new java.util.HashSet<>();
        for (CSVRecord r : readCsvRecords(csv, true).subList(1, 7)) {
            modes.add(r.get(1));
        }
        return modes;
    }

    @Test
    void filesAreReadableByTheOwnerOnlyAndTheWorkDirectoryIsRemoved() throws Exception {
        Path ids = write("ids.txt", DemoData.firmId(1) + "\n" + DemoData.firmId(2) + "\n");
        RunReport report = run(config(), ids, "firm_details", RunListener.NONE);
        for (RunReport.OutputFileInfo f : report.outputs().files()) {
            assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
                    Files.getPosixFilePermissions(f.path()), f.path().toString());
        }
        assertFalse(Files.exists(tmp.resolve("out").resolve(".firmquery")), "working directory left behind");
    }

    @Test
    void anEmptyResultStillGivesFilesWithAHeader() throws Exception {
        Path ids = write("absent.txt", "1\n2\n3\n");
        RunReport report = run(config(), ids, "firm_details", RunListener.NONE);

        assertEquals(RunStatus.COMPLETED, report.status());
        assertEquals(0, report.counts().rows());
        assertEquals(3, report.counts().missingIds());
        assertEquals(List.of(String.join(",", HEADER)),
                Files.readAllLines(file(report, "results-csv"), StandardCharsets.UTF_8));
        try (ReadableWorkbook wb = new ReadableWorkbook(file(report, "results-xlsx").toFile())) {
            List<Row> rows = wb.getFirstSheet().read();
            assertEquals(1, rows.size());
            assertEquals("firm_root_id", rows.get(0).getCell(0).asString());
        }
        assertEquals(List.of("1", "2", "3"), readMissing(file(report, "missing")));
    }

    @Test
    void aChunkThatFailsForGoodMakesThePartialRunListItsIdsAsFailedNotMissing() throws Exception {
        long poison = DemoData.firmId(25);
        Path template = write("boom.sql", "-- divides by zero for one firm\n"
                + "SELECT firm_root_id, 1 / (firm_root_id - " + poison + ") AS boom\n"
                + "FROM firm WHERE firm_root_id IN ({ID_PLACEHOLDER}) ORDER BY firm_root_id");
        long[] ids = new long[100];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = DemoData.firmId(i);
        }
        Path idFile = write("ids.txt", Arrays.stream(ids).mapToObj(Long::toString).collect(Collectors.joining("\n")));

        RunReport report = run(config("processing.chunk_size=10", "processing.retry_delay=0.01"), idFile,
                template.toString(), RunListener.NONE);

        assertEquals(RunStatus.PARTIAL, report.status());
        assertEquals(ExitCode.PARTIAL, report.exitCode());
        assertEquals(1, report.chunks().failed());
        assertEquals(10, report.counts().failedIds());
        assertEquals(0, report.chunks().retries(), "division by zero is not transient");
        assertEquals(90, report.counts().rows());
        assertEquals(0, report.counts().missingIds());
        assertTrue(report.outputs().failures().get(0).error().contains("chunk 3/10"), report.outputs().failures().get(0).error());
        assertTrue(report.outputs().failures().get(0).error().contains("22012"), report.outputs().failures().get(0).error());
        List<CSVRecord> failed = readCsvRecords(file(report, "failed"));
        assertEquals(10, failed.size());
        assertEquals(Long.toString(DemoData.firmId(20)), failed.get(0).get(0));
        assertEquals("3", failed.get(0).get(1));
    }

    @Test
    void transientErrorsAreRetriedAndTheOutputEqualsAFaultFreeRun() throws Exception {
        // About 30 % of statements fail with a serialization failure (SQLState 40001), as CockroachDB's
        // "restart transaction" does. With 30 chunks and 10 retries each, a run with no retry at all
        // (0.7^30) or a chunk failing 11 times in a row (0.3^11) are both below one in a million.
        TestPostgres.TestDatabase flaky = TestPostgres.freshDatabase("flaky");
        try (Connection c = flaky.connect(); Statement s = c.createStatement()) {
            DemoData.create(c, 500, SEED);
            s.execute("CREATE FUNCTION flaky() RETURNS int LANGUAGE plpgsql VOLATILE AS $$ BEGIN "
                    + "IF random() < 0.3 THEN RAISE EXCEPTION 'injected restart' USING ERRCODE = '40001'; "
                    + "END IF; RETURN 1; END $$");
        }
        Path template = write("flaky.sql", "WITH f AS (SELECT flaky() AS ok)\n"
                + "SELECT t1.firm_root_id, t1.firm_name FROM firm t1, f\n"
                + "WHERE f.ok = 1 AND t1.firm_root_id IN ({ID_PLACEHOLDER}) ORDER BY t1.firm_root_id");
        Path clean = write("clean.sql", "SELECT t1.firm_root_id, t1.firm_name FROM firm t1\n"
                + "WHERE t1.firm_root_id IN ({ID_PLACEHOLDER}) ORDER BY t1.firm_root_id");
        Path ids = write("ids.txt", Stream.iterate(0, i -> i + 1).limit(300).map(i -> Long.toString(DemoData.firmId(i)))
                .collect(Collectors.joining("\n")));
        String[] settings = {"processing.chunk_size=10", "processing.retry_delay=0.01", "processing.max_retries=10"};

        RunReport faulty = run(TestConfigs.forDatabase(flaky, tmp, settings), ids, template.toString(),
                RunListener.NONE, flaky, tmp.resolve("faulty"));
        RunReport fine = run(TestConfigs.forDatabase(flaky, tmp, settings), ids, clean.toString(),
                RunListener.NONE, flaky, tmp.resolve("fine"));

        assertEquals(RunStatus.COMPLETED, faulty.status());
        assertTrue(faulty.chunks().retries() > 0, "retries: " + faulty.chunks().retries());
        assertEquals(0, fine.chunks().retries());
        org.slf4j.LoggerFactory.getLogger("reliability.figures").info("figures: injected 40001 in ~30 % of statements;"
                + " {} retries over 30 chunks; {} rows byte-identical", faulty.chunks().retries(), faulty.counts().rows());
        assertArrayEquals(Files.readAllBytes(file(fine, "results-csv")), Files.readAllBytes(file(faulty, "results-csv")));
    }

    @Test
    void theOutputIsTheSameWhateverTheNumberOfWorkers() throws Exception {
        SampleIdFile sample = DemoData.writeSampleIds(tmp.resolve("ids.csv"), FIRMS, 800, SEED + 1);
        RunReport one = run(config("processing.thread_count=1", "processing.chunk_size=37"), sample.path(),
                "firm_details", RunListener.NONE, db, tmp.resolve("one"));
        RunReport two = run(config("processing.thread_count=2", "processing.chunk_size=37"), sample.path(),
                "firm_details", RunListener.NONE, db, tmp.resolve("two"));
        assertArrayEquals(Files.readAllBytes(file(one, "results-csv")), Files.readAllBytes(file(two, "results-csv")));
        assertArrayEquals(Files.readAllBytes(file(one, "missing")), Files.readAllBytes(file(two, "missing")));
    }

    @Test
    void everyBindingModeGivesTheSameRows() throws Exception {
        SampleIdFile sample = DemoData.writeSampleIds(tmp.resolve("ids.csv"), FIRMS, 300, SEED + 2);
        List<byte[]> outputs = new ArrayList<>();
        for (String binding : List.of("bind", "literal", "array")) {
            RunReport r = run(config("processing.id_binding=" + binding, "processing.chunk_size=64"), sample.path(),
                    "firm_details", RunListener.NONE, db, tmp.resolve(binding));
            assertEquals(RunStatus.COMPLETED, r.status(), binding);
            outputs.add(Files.readAllBytes(file(r, "results-csv")));
        }
        assertArrayEquals(outputs.get(0), outputs.get(1), "literal differs from bind");
        assertArrayEquals(outputs.get(0), outputs.get(2), "array differs from bind");
    }

    @Test
    void cancellingKeepsTheFinishedChunksAndReportsTheRestAsNotRun() throws Exception {
        Path slow = write("slow.sql", "SELECT firm_root_id, firm_name, pg_sleep(0.2) IS NULL AS slept FROM firm\n"
                + "WHERE firm_root_id IN ({ID_PLACEHOLDER}) ORDER BY firm_root_id");
        Path ids = write("ids.txt", Stream.iterate(0, i -> i + 1).limit(200).map(i -> Long.toString(DemoData.firmId(i)))
                .collect(Collectors.joining("\n")));
        AtomicBoolean cancelled = new AtomicBoolean();
        RunEngine[] engine = new RunEngine[1];
        RunListener cancelAfterThree = new RunListener() {
            @Override
            public void progress(RunProgress p) {
                if (p.chunksDone() == 3 && cancelled.compareAndSet(false, true)) {
                    engine[0].cancel();
                }
            }
        };
        AppConfig config = config("processing.chunk_size=1");
        RunRequest request = setup(config).prepare(choices(ids, slow.toString(), tmp.resolve("out")));
        try (ConnectionPool pool = EngineRuns.pool(config, db)) {
            engine[0] = new RunEngine(pool, cancelAfterThree, new SplittableRandom(1), Clock.systemUTC());
            RunReport report = engine[0].execute(request);

            assertEquals(RunStatus.CANCELLED, report.status());
            assertEquals(ExitCode.INTERRUPTED, report.exitCode());
            assertTrue(report.chunks().succeeded() >= 3, "finished chunks are kept: " + report.chunks().succeeded());
            assertTrue(report.chunks().notRun() > 100, "the rest is not run: " + report.chunks().notRun());
            assertEquals(report.chunks().succeeded(), report.counts().rows());
            assertEquals(200, report.chunks().succeeded() + report.chunks().failed() + report.chunks().notRun());
            assertEquals(report.counts().rows() + 1, Files.readAllLines(file(report, "results-csv")).size());
        }
    }

    @Test
    void credentialsThatCannotBeRenewedStopTheRunAsPartialWithoutFailingChunks() throws Exception {
        Path ids = write("ids.txt", Stream.iterate(0, i -> i + 1).limit(50).map(i -> Long.toString(DemoData.firmId(i)))
                .collect(Collectors.joining("\n")));
        AppConfig config = config("processing.chunk_size=5", "processing.thread_count=1");
        RunRequest request = setup(config).prepare(choices(ids, "firm_details", tmp.resolve("out")));
        java.util.concurrent.atomic.AtomicInteger checks = new java.util.concurrent.atomic.AtomicInteger();
        try (ConnectionPool pool = EngineRuns.pool(config, db)) {
            // The first 3 chunks pass the per-chunk check (TicketGuard's); then the "ticket" expires. The check
            // runs before every chunk even though the worker keeps its connection between chunks.
            dev.firmquery.db.ConnectionSource expiring = new dev.firmquery.db.ConnectionSource() {
                @Override
                public java.sql.Connection getConnection() throws java.sql.SQLException {
                    return pool.getConnection();
                }

                @Override
                public void beforeChunk() throws java.sql.SQLException {
                    if (checks.incrementAndGet() > 3) {
                        throw new dev.firmquery.db.RunStoppingException("Kerberos ticket expired; run kinit", "28000", null);
                    }
                }
            };
            RunReport report = new RunEngine(expiring, RunListener.NONE, new SplittableRandom(1), Clock.systemUTC())
                    .execute(request);

            assertEquals(RunStatus.PARTIAL, report.status());
            assertEquals(3, report.chunks().succeeded());
            assertEquals(0, report.chunks().failed());
            assertEquals(7, report.chunks().notRun());
            assertTrue(report.run().stopReason().contains("run kinit"), report.run().stopReason());
            JsonNode json = new ObjectMapper().readTree(file(report, "report").toFile());
            assertTrue(json.get("stop_reason").asText().contains("chunk 4/10"), json.toString());
        }
    }

    @Test
    void anUnreachableDatabaseIsAConnectionErrorNamingTheTarget() throws Exception {
        Path ids = write("ids.txt", "1\n");
        AppConfig config = config("database.port=1", "database.connection_timeout=2");
        RunRequest request = setup(config).prepare(choices(ids, "firm_details", tmp.resolve("out")));
        try (ConnectionPool pool = EngineRuns.pool(config, db)) {
            RunException e = assertThrows(RunException.class,
                    () -> new RunEngine(pool, RunListener.NONE, new SplittableRandom(1), Clock.systemUTC()).execute(request));
            assertEquals(ExitCode.CONNECT, e.exitCode());
            assertTrue(e.getMessage().contains(db.host() + ":1/"), e.getMessage());
        }
    }

    @Test
    void aQueryTheDatabaseRejectsIsATemplateError() throws Exception {
        Path ids = write("ids.txt", "1\n");
        Path template = write("typo.sql", "SELECT firm_root_id FROM firms WHERE firm_root_id IN ({ID_PLACEHOLDER})");
        AppConfig config = config();
        RunRequest request = setup(config).prepare(choices(ids, template.toString(), tmp.resolve("out")));
        try (ConnectionPool pool = EngineRuns.pool(config, db)) {
            RunException e = assertThrows(RunException.class,
                    () -> new RunEngine(pool, RunListener.NONE, new SplittableRandom(1), Clock.systemUTC()).execute(request));
            assertEquals(ExitCode.USAGE, e.exitCode());
            assertTrue(e.getMessage().contains("42P01"), e.getMessage());
            assertTrue(e.getMessage().contains("typo.sql"), e.getMessage());
        }
    }

    @Test
    void aNamedIdColumnThatTheQueryDoesNotReturnIsRefusedBeforeAnyChunkRuns() throws Exception {
        Path ids = write("ids.txt", DemoData.firmId(3) + "\n");
        AppConfig config = config();
        RunRequest request = setup(config).prepare(
                RunSetup.Choices.of(ids, "firm_details", tmp.resolve("out")).withIdColumnOut("company_id"));
        try (ConnectionPool pool = EngineRuns.pool(config, db)) {
            RunException e = assertThrows(RunException.class,
                    () -> new RunEngine(pool, RunListener.NONE, new SplittableRandom(1), Clock.systemUTC()).execute(request));
            assertEquals(ExitCode.USAGE, e.exitCode());
            assertTrue(e.getMessage().contains("firm_root_id, firm_name"), e.getMessage());
        }
    }

    @Test
    void writesAreRefusedByTheReadOnlyTransaction() throws Exception {
        TestPostgres.TestDatabase scratch = TestPostgres.freshDatabase("readonly");
        try (Connection c = scratch.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t (id bigint)");
            s.execute("CREATE FUNCTION sneaky(x bigint) RETURNS bigint LANGUAGE sql VOLATILE AS "
                    + "'INSERT INTO t VALUES (x) RETURNING id'");
        }
        Path template = write("sneaky.sql", "SELECT sneaky(v) AS firm_root_id FROM unnest(ARRAY[{ID_PLACEHOLDER}]::bigint[]) v");
        Path ids = write("ids.txt", "5\n");
        // allow_writes only relaxes the static check of the template: statements still run read-only.
        RunReport report = run(TestConfigs.forDatabase(scratch, tmp, "processing.id_binding=literal",
                        "processing.allow_writes=true"), ids,
                template.toString(), RunListener.NONE, scratch, tmp.resolve("out"));
        assertEquals(RunStatus.FAILED, report.status());
        assertTrue(report.outputs().failures().get(0).error().contains("25006"), report.outputs().failures().get(0).error());
        try (Connection c = scratch.connect(); Statement s = c.createStatement(); var rs = s.executeQuery("SELECT count(*) FROM t")) {
            rs.next();
            assertEquals(0, rs.getLong(1));
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Expectations from the generator's model

    /** The rows firm_details returns: per chunk, the chunk's IDs ascending, identifiers by scheme and value. */
    private static List<List<String>> expectedRows(long[] ids, int chunkSize) {
        List<List<String>> rows = new ArrayList<>();
        for (int from = 0; from < ids.length; from += chunkSize) {
            long[] chunk = Arrays.copyOfRange(ids, from, Math.min(ids.length, from + chunkSize));
            Arrays.sort(chunk);
            for (long id : chunk) {
                OptionalInt index = DemoData.indexOf(id, FIRMS);
                if (index.isEmpty()) {
                    continue;
                }
                DemoData.Firm f = DemoData.firm(index.getAsInt(), SEED);
                List<DemoData.Identifier> idents = new ArrayList<>(DemoData.identifiers(index.getAsInt(), SEED));
                idents.sort((a, b) -> a.idScheme().equals(b.idScheme()) ? a.idValue().compareTo(b.idValue())
                        : a.idScheme().compareTo(b.idScheme()));
                for (DemoData.Identifier i : idents) {
                    rows.add(Arrays.asList(Long.toString(f.firmRootId()), f.firmName(), f.countryCode(),
                            str(f.foundedOn()), Boolean.toString(f.active()), str(f.employees()),
                            f.revenueMusd() == null ? "" : f.revenueMusd().toPlainString(),
                            f.updatedAt().toString(), i.idScheme(), i.idValue(), i.validFrom().toString()));
                }
            }
        }
        return rows;
    }

    private static long[] ascending(long[] ids) {
        long[] sorted = ids.clone();
        Arrays.sort(sorted);
        return sorted;
    }

    private static List<String> expectedMissing(long[] ids) {
        List<String> missing = new ArrayList<>();
        for (long id : ids) {
            OptionalInt index = DemoData.indexOf(id, FIRMS);
            if (index.isEmpty() || DemoData.identifiers(index.getAsInt(), SEED).isEmpty()) {
                missing.add(Long.toString(id));
            }
        }
        return missing;
    }

    private static String str(Object o) {
        return o == null ? "" : o.toString();
    }

    // ---------------------------------------------------------------------------------------------
    // Reading the files back

    private static final DateTimeFormatter PG_TIMESTAMPTZ = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd HH:mm:ss")
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
            .appendOffset("+HH:mm", "+00")
            .toFormatter();

    private static List<List<String>> readCsv(Path file) throws IOException {
        List<CSVRecord> records = readCsvRecords(file, true);
        assertEquals(Arrays.asList(HEADER), records.get(0).toList());
        List<List<String>> rows = new ArrayList<>();
        for (CSVRecord r : records.subList(1, records.size())) {
            List<String> row = new ArrayList<>(r.toList());
            row.set(7, OffsetDateTime.parse(row.get(7), PG_TIMESTAMPTZ).toInstant().toString());
            rows.add(row);
        }
        return rows;
    }

    private static List<List<String>> readXlsx(Path file) throws IOException {
        try (ReadableWorkbook wb = new ReadableWorkbook(file.toFile())) {
            Sheet sheet = wb.getFirstSheet();
            assertEquals("Results", sheet.getName());
            List<Row> rows = sheet.read();
            List<String> header = new ArrayList<>();
            for (int c = 0; c < HEADER.length; c++) {
                header.add(rows.get(0).getCell(c).asString());
            }
            assertEquals("updated_at (UTC)", header.get(7));
            List<List<String>> out = new ArrayList<>();
            for (Row row : rows.subList(1, rows.size())) {
                out.add(Arrays.asList(number(row.getCell(0)).toPlainString(), row.getCell(1).asString(),
                        row.getCell(2).asString(), date(row.getCell(3)), Boolean.toString(row.getCell(4).asBoolean()),
                        empty(row.getCell(5)) ? "" : number(row.getCell(5)).toPlainString(),
                        empty(row.getCell(6)) ? "" : number(row.getCell(6)).setScale(2).toPlainString(),
                        instant(row.getCell(7)), row.getCell(8).asString(), row.getCell(9).asString(),
                        date(row.getCell(10))));
            }
            return out;
        }
    }

    private static boolean empty(Cell c) {
        return c == null || c.getType() == CellType.EMPTY;
    }

    private static BigDecimal number(Cell c) {
        assertEquals(CellType.NUMBER, c.getType(), c.getAddress() + " should be a number");
        return c.asNumber().stripTrailingZeros().scale() < 0 ? c.asNumber().setScale(0) : c.asNumber().stripTrailingZeros();
    }

    private static String date(Cell c) {
        if (empty(c)) {
            return "";
        }
        if (c.getType() == CellType.STRING) {
            // Excel has no dates before 1900: the writer keeps them as ISO text (the demo has firms from 1850).
            assertTrue(c.asString().compareTo("1900") < 0, c.getAddress() + " holds a date as text: " + c.asString());
            return c.asString();
        }
        LocalDateTime d = c.asDate();
        return d.toLocalDate().toString();
    }

    /** Excel keeps date-times as fractions of a day: round to the millisecond the generator used. */
    private static String instant(Cell c) {
        LocalDateTime d = c.asDate();
        long micros = d.toInstant(ZoneOffset.UTC).toEpochMilli() * 1000 + d.getNano() / 1000 % 1000;
        long millis = Math.round(micros / 1000.0);
        return Instant.ofEpochMilli(millis).toString();
    }

    private static List<String> readMissing(Path file) throws IOException {
        List<CSVRecord> records = readCsvRecords(file, true);
        assertEquals("firm_root_id", records.get(0).get(0));
        return records.subList(1, records.size()).stream().map(r -> r.get(0)).toList();
    }

    private static List<CSVRecord> readCsvRecords(Path file) throws IOException {
        List<CSVRecord> all = readCsvRecords(file, true);
        return all.subList(1, all.size());
    }

    private static List<CSVRecord> readCsvRecords(Path file, boolean withHeader) throws IOException {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             CSVParser p = CSVFormat.RFC4180.parse(r)) {
            return p.getRecords();
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Running

    private AppConfig config(String... overrides) {
        return TestConfigs.forDatabase(db, tmp, overrides);
    }

    private static RunSetup.Choices choices(Path ids, String query, Path out) {
        return RunSetup.Choices.of(ids, query, out);
    }

    private RunReport run(AppConfig config, Path ids, String query, RunListener listener) throws Exception {
        return run(config, ids, query, listener, db, tmp.resolve("out"));
    }

    private static RunReport run(AppConfig config, Path ids, String query, RunListener listener,
                                 TestPostgres.TestDatabase target, Path out) throws Exception {
        RunRequest request = setup(config).prepare(choices(ids, query, out));
        return EngineRuns.execute(config, target, request, Sources.POOL, listener);
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(tmp.resolve(name), content, StandardCharsets.UTF_8);
    }

}
