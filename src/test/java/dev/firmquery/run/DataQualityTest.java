package dev.firmquery.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.firmquery.config.AppConfig;
import dev.firmquery.db.ConnectionPool;
import dev.firmquery.db.ConnectionSource;
import dev.firmquery.testing.EngineRuns;
import dev.firmquery.testing.EngineRuns.Sources;
import dev.firmquery.testing.TestConfigs;
import dev.firmquery.testing.TestPostgres;
import org.dhatim.fastexcel.reader.ReadableWorkbook;
import org.dhatim.fastexcel.reader.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static dev.firmquery.run.RunOutputs.file;
import static dev.firmquery.testing.EngineRuns.setup;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the files say about the data, against a real PostgreSQL: XLSX cells cut at Excel's limit are
 * reported, the ID column is never guessed, and text IDs are found in {@code CHAR(n)} columns as the
 * database found them.
 */
class DataQualityTest {
    private static TestPostgres.TestDatabase db;

    @TempDir
    Path tmp;

    @BeforeAll
    static void database() {
        db = TestPostgres.demoDatabase(4_000, 11);
    }

    @Test
    void xlsxCellsCutAtExcelsLimitAreCountedWithTheFirstPlaceInTheReportAndTheSummarySheet() throws Exception {
        // Every third ID gets a 40,000-character note: IDs 3, 6 and 9, the first on row 4 under the header.
        Path template = write("long.sql", "SELECT v AS firm_root_id, CASE WHEN v % 3 = 0 THEN repeat('x', 40000)"
                + " ELSE 'short' END AS notes FROM unnest(ARRAY[{ID_PLACEHOLDER}]::bigint[]) v ORDER BY v");
        Path ids = write("ids.txt", "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n");

        RunReport report = run(config("processing.chunk_size=4"), ids, template.toString());

        assertEquals(RunStatus.COMPLETED, report.status());
        assertEquals(3, report.outputs().xlsxCuts().count());
        assertEquals("'Results'!B4 (notes)", report.outputs().xlsxCuts().firstCell());
        JsonNode cut = new ObjectMapper().readTree(file(report, "report").toFile()).get("xlsx_cut_cells");
        assertEquals(3, cut.get("cells").asInt());
        assertEquals("Results", cut.get("first_sheet").asText());
        assertEquals(4, cut.get("first_row").asInt());
        assertEquals(2, cut.get("first_column").asInt());
        assertEquals("notes", cut.get("first_column_name").asText());
        Map<String, String> summary = summarySheet(file(report, "results-xlsx"));
        assertEquals("3", summary.get("Cells cut at 32,767 characters"));
        assertTrue(summary.get("First cut cell").startsWith("'Results'!B4 (notes)"), summary.toString());
        assertTrue(Files.readString(file(report, "results-csv")).contains("x".repeat(40_000)), "the CSV keeps them whole");
    }

    @Test
    void aRunWithoutCutCellsSaysNoneWereCut() throws Exception {
        Path template = write("short.sql", "SELECT v AS firm_root_id, 'short' AS notes"
                + " FROM unnest(ARRAY[{ID_PLACEHOLDER}]::bigint[]) v ORDER BY v");
        RunReport report = run(config(), write("ids.txt", "1\n2\n"), template.toString());

        assertEquals(0, report.outputs().xlsxCuts().count());
        assertFalse(new ObjectMapper().readTree(file(report, "report").toFile()).has("xlsx_cut_cells"));
        assertEquals("0", summarySheet(file(report, "results-xlsx")).get("Cells cut at 32,767 characters"));
    }

    @Test
    void aResultWithoutTheIdColumnIsRefusedWithItsColumnsAndTheFix() throws Exception {
        Path template = write("noid.sql", "SELECT v AS id, 'x' AS name FROM unnest(ARRAY[{ID_PLACEHOLDER}]::bigint[]) v");
        Path out = tmp.resolve("out");
        RunRequest request = setup(config()).prepare(
                RunSetup.Choices.of(write("ids.txt", "1\n2\n"), template.toString(), out));

        RunException e = assertThrows(RunException.class, () -> execute(config(), request));

        assertEquals(dev.firmquery.exit.ExitCode.USAGE, e.exitCode());
        assertTrue(e.getMessage().contains("no column named 'firm_root_id'"), e.getMessage());
        assertTrue(e.getMessage().contains("its columns are id, name"), e.getMessage());
        assertTrue(e.getMessage().contains("--id-column-out NAME"), e.getMessage());
        assertFalse(Files.exists(out.resolve(dev.firmquery.run.store.RunStore.DIR_NAME)), "refused before anything was written");
    }

    @Test
    void theInputsIdColumnNameIsLookedForFirstThenFirmRootId() throws Exception {
        Path template = write("named.sql", "SELECT 'x' AS name, v AS firm_root_id, v AS firm FROM"
                + " unnest(ARRAY[{ID_PLACEHOLDER}]::bigint[]) v WHERE v <> 2 ORDER BY v");
        RunReport byInput = run(config(), write("firm.csv", "firm\n1\n2\n"), template.toString());
        RunReport byDefault = run(config(), write("other.csv", "other\n1\n2\n"), template.toString(),
                tmp.resolve("out2"));

        assertEquals(1, byInput.counts().missingIds());
        assertEquals(List.of("firm", "2"), Files.readAllLines(file(byInput, "missing")));
        assertEquals(List.of("other", "2"), Files.readAllLines(file(byDefault, "missing")),
                "column 'other' is not in the result: firm_root_id, never the first column");
    }

    @Test
    void textIdsAreFoundInABlankPaddedCharColumnAsTheDatabaseFoundThem() throws Exception {
        // CHAR(10) values come back padded to 10 characters; the database matched them ignoring the padding.
        Path template = write("padded.sql", "SELECT t.id AS firm_root_id, t.name FROM (VALUES ('F-1'::char(10), 'one'),"
                + " ('F-2'::char(10), 'two'), ('F-9'::char(10), 'nine')) t(id, name)"
                + " WHERE t.id IN ({ID_PLACEHOLDER}) ORDER BY t.id");
        Path ids = write("ids.txt", "F-1\nF-2\nF-3\n");

        RunReport report = run(config("processing.id_type=text"), ids, template.toString());

        assertEquals(2, report.counts().rows());
        assertEquals(1, report.counts().missingIds());
        assertEquals(List.of("firm_root_id", "F-3"), Files.readAllLines(file(report, "missing")));
        assertEquals(List.of("firm_root_id,name", "\"F-1       \",one", "\"F-2       \",two"),
                Files.readAllLines(file(report, "results-csv")), "the CSV keeps the values as the server sent them");
    }

    @Test
    void theFormulaGuardQuotesDangerousCsvTextAndAResumedRunKeepsItsSetting() throws Exception {
        Path template = write("formula.sql", "SELECT v AS firm_root_id, CASE WHEN v % 2 = 0 THEN '=1+1' ELSE '@x' END"
                + " AS note, -v AS neg FROM unnest(ARRAY[{ID_PLACEHOLDER}]::bigint[]) v ORDER BY v");
        Path ids = write("ids.txt", "1\n2\n3\n4\n5\n6\n7\n8\n");
        AppConfig guarded = config("processing.chunk_size=2", "processing.thread_count=1", "output.csv_formula_guard=true");
        RunReport clean = run(guarded, ids, template.toString(), tmp.resolve("clean"));
        assertEquals(List.of("firm_root_id,note,neg", "1,'@x,-1", "2,'=1+1,-2"),
                Files.readAllLines(file(clean, "results-csv")).subList(0, 3));
        assertEquals("=1+1", RunOutputs.xlsxRows(file(clean, "results-xlsx")).get(2).get(1),
                "the XLSX keeps the value: a typed text cell is never evaluated");

        // Cancelled after its first chunk (before the second one's attempt, not on a progress event, which a
        // fast server may send only after the last chunk), then resumed with the guard off in the
        // configuration: the run keeps the setting it started with, so its CSV is the same bytes.
        RunRequest request = setup(guarded).prepare(
                RunSetup.Choices.of(ids, template.toString(), tmp.resolve("resumed")));
        java.util.concurrent.atomic.AtomicReference<RunEngine> engine = new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.atomic.AtomicInteger attempts = new java.util.concurrent.atomic.AtomicInteger();
        RunReport cancelled;
        try (ConnectionPool pool = EngineRuns.pool(guarded, db)) {
            engine.set(new RunEngine(new ConnectionSource() {
                @Override
                public java.sql.Connection getConnection() throws java.sql.SQLException {
                    return pool.getConnection();
                }

                @Override
                public void beforeChunk() {
                    if (attempts.incrementAndGet() == 2) {
                        engine.get().cancel();
                    }
                }
            }, RunListener.NONE, new SplittableRandom(1), Clock.systemUTC()));
            cancelled = engine.get().execute(request);
        }
        assertEquals(RunStatus.CANCELLED, cancelled.status());
        AppConfig unguarded = config("processing.chunk_size=2", "processing.thread_count=1");
        RunReport resumed = execute(unguarded, setup(unguarded).resume(cancelled.run().workDirectory(), false));

        assertEquals(RunStatus.COMPLETED, resumed.status());
        assertEquals(Files.readString(file(clean, "results-csv")), Files.readString(file(resumed, "results-csv")));
    }

    // ---------------------------------------------------------------------------------------------

    private static Map<String, String> summarySheet(Path xlsx) throws IOException {
        try (ReadableWorkbook wb = new ReadableWorkbook(xlsx.toFile())) {
            Map<String, String> m = new LinkedHashMap<>();
            for (Row r : wb.findSheet("Summary").orElseThrow().read()) {
                m.put(r.getCellText(0), r.getCellText(1));
            }
            return m;
        }
    }

    private AppConfig config(String... overrides) {
        return TestConfigs.forDatabase(db, tmp, overrides);
    }

    private RunReport run(AppConfig config, Path ids, String query) throws Exception {
        return run(config, ids, query, tmp.resolve("out"));
    }

    private RunReport run(AppConfig config, Path ids, String query, Path out) throws Exception {
        return execute(config, setup(config).prepare(RunSetup.Choices.of(ids, query, out)));
    }

    private static RunReport execute(AppConfig config, RunRequest request) throws Exception {
        return EngineRuns.execute(config, db, request, Sources.POOL, RunListener.NONE);
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(tmp.resolve(name), content, StandardCharsets.UTF_8);
    }
}
