package dev.firmquery.cli;

import dev.firmquery.demo.DemoData;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.firmquery.exit.ExitCode;
import dev.firmquery.testing.AuditLines;
import dev.firmquery.testing.CliHarness;
import dev.firmquery.testing.TestPostgres;
import org.dhatim.fastexcel.Workbook;
import org.dhatim.fastexcel.Worksheet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Reader;
import java.sql.Connection;
import java.sql.Statement;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code firmquery run --ids FILE.xlsx [--sheet NAME]} against a real PostgreSQL: a workbook written by
 * another program (FastExcel's writer: numbers as numeric cells) gives the files the same IDs give from
 * CSV, and a run's missing-ID list is the next run's input.
 */
class WorkbookIdsTest {
    private static final int FIRMS = 500;
    private static final long SEED = 11;
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

    private static final long ABSENT = 3;

    private static List<Long> ids() {
        return List.of(DemoData.firmId(1), DemoData.firmId(2), ABSENT, DemoData.firmId(3), DemoData.firmId(1));
    }

    private Path workbook() throws IOException {
        Path file = tmp.resolve("firms.xlsx");
        try (OutputStream out = Files.newOutputStream(file); Workbook wb = new Workbook(out, "test", "1.0")) {
            Worksheet notes = wb.newWorksheet("Notes");
            notes.value(0, 0, "not the IDs");
            notes.value(1, 0, 999_999);
            Worksheet sheet = wb.newWorksheet("IDs");
            sheet.value(0, 0, "name");
            sheet.value(0, 1, "firm_root_id");
            List<Long> ids = ids();
            for (int i = 0; i < ids.size(); i++) {
                sheet.value(i + 1, 0, "firm " + i);
                sheet.value(i + 1, 1, ids.get(i));
            }
        }
        return file;
    }

    private Path csv() throws IOException {
        StringBuilder sb = new StringBuilder("name,firm_root_id\n");
        List<Long> ids = ids();
        for (int i = 0; i < ids.size(); i++) {
            sb.append("firm ").append(i).append(',').append(ids.get(i)).append('\n');
        }
        return Files.writeString(tmp.resolve("firms.csv"), sb.toString());
    }

    private static Path only(Path dir, String suffix) throws IOException {
        List<Path> found = CliHarness.resultFiles(dir).stream().filter(p -> p.getFileName().toString().endsWith(suffix)).toList();
        assertEquals(1, found.size(), found.toString());
        return found.get(0);
    }

    private static Path result(Path dir) throws IOException {
        List<Path> found = CliHarness.resultFiles(dir).stream().filter(p -> !p.getFileName().toString().contains("_missing"))
                .toList();
        assertEquals(1, found.size(), found.toString());
        return found.get(0);
    }

    @Test
    void aSheetOfAWorkbookGivesTheFilesTheSameIdsGiveFromCsv() throws IOException {
        Path fromXlsx = tmp.resolve("xlsx");
        Path fromCsv = tmp.resolve("csv");

        assertEquals(ExitCode.COMPLETED, cli.firmquery("run", "--ids", workbook().toString(), "--sheet", "ids",
                "--query", "firm_details", "--out", fromXlsx.toString(), "--format", "csv"), cli.both());
        assertTrue(cli.stderr().contains("5 values on 6 lines -> 4 valid, 1 duplicates"), cli.stderr());
        assertEquals(ExitCode.COMPLETED, cli.firmquery("run", "--ids", csv().toString(), "--query", "firm_details",
                "--out", fromCsv.toString(), "--format", "csv"), cli.both());

        assertArrayEquals(Files.readAllBytes(only(fromCsv, "_missing.csv")),
                Files.readAllBytes(only(fromXlsx, "_missing.csv")));
        assertArrayEquals(Files.readAllBytes(result(fromCsv)), Files.readAllBytes(result(fromXlsx)));
    }

    @Test
    void theMissingListOfARunIsTheInputOfTheNext() throws IOException {
        Path first = tmp.resolve("first");
        assertEquals(ExitCode.COMPLETED, cli.firmquery("run", "--ids", csv().toString(), "--query", "firm_details",
                "--out", first.toString(), "--format", "csv"), cli.both());
        Path missing = only(first, "_missing.csv");

        Path second = tmp.resolve("second");
        assertEquals(ExitCode.COMPLETED, cli.firmquery("run", "--ids", missing.toString(), "--query", "firm_details",
                "--out", second.toString(), "--format", "csv"), cli.both());
        assertTrue(cli.stderr().contains("1 valid"), cli.stderr());
        assertTrue(cli.stdout().contains("missing  1 ids returned no rows"), cli.stdout());
    }

    @Test
    void formatJsonlWritesJsonLinesAndTheSummaryListsThem() throws IOException {
        Path out = tmp.resolve("jsonl");
        assertEquals(ExitCode.COMPLETED, cli.firmquery("run", "--ids", workbook().toString(), "--sheet", "IDs",
                "--query", "firm_details", "--out", out.toString(), "--format", "jsonl"), cli.both());
        Path jsonl = only(out, ".jsonl");
        assertTrue(cli.stdout().contains(jsonl.toString()), cli.stdout());
        List<String> lines = Files.readAllLines(jsonl);
        assertTrue(!lines.isEmpty() && lines.stream().allMatch(l -> l.startsWith("{\"firm_root_id\":")), lines.toString());
        assertEquals(List.of(), CliHarness.resultFiles(out).stream().filter(p -> p.toString().endsWith(".csv")
                && !p.toString().endsWith("_missing.csv")).toList(), "no result CSV with --format jsonl");
    }

    @Test
    void sheetIsRefusedWithResumeBeforeAnythingRuns() {
        assertEquals(ExitCode.USAGE, cli.firmquery("run", "--resume", tmp.toString(), "--sheet", "IDs"), cli.both());
        assertTrue(cli.stderr().contains("drop --ids, --sheet"), cli.stderr());
    }

    private static JsonNode report(Path out) throws IOException {
        List<Path> reports = CliHarness.entries(out).stream()
                .filter(p -> p.getFileName().toString().endsWith("_report.json")).toList();
        assertEquals(1, reports.size(), reports.toString());
        return new ObjectMapper().readTree(reports.get(0).toFile());
    }

    private static Path manifestFile(Path out) throws IOException {
        try (Stream<Path> s = Files.walk(out.resolve(".firmquery"))) {
            return s.filter(p -> p.getFileName().toString().equals("run.properties")).findFirst().orElseThrow();
        }
    }

    private static Properties manifest(Path out) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(manifestFile(out))) {
            p.load(r);
        }
        return p;
    }

    private static List<String> summarySheet(Path out) throws IOException {
        List<String> lines = new ArrayList<>();
        try (org.dhatim.fastexcel.reader.ReadableWorkbook wb = new org.dhatim.fastexcel.reader.ReadableWorkbook(
                only(out, ".xlsx").toFile())) {
            for (org.dhatim.fastexcel.reader.Row row : wb.findSheet("Summary").orElseThrow().read()) {
                lines.add(row.getCellText(0) + "=" + row.getCellText(1));
            }
        }
        return lines;
    }

    @Test
    void theSheetChosenIsNamedAsTheWorkbookSpellsItInTheReportTheManifestTheSummariesAndTheAuditLine()
            throws IOException {
        Path out = tmp.resolve("second");
        try (AuditLines audit = AuditLines.capture()) {
            assertEquals(ExitCode.COMPLETED, cli.firmquery("run", "--ids", workbook().toString(), "--sheet", "ids",
                    "--query", "firm_details", "--out", out.toString(), "--format", "csv,xlsx", "--keep-work"),
                    cli.both());
            JsonNode line = audit.lines().stream().filter(l -> l.path("outcome").asText().equals("completed"))
                    .findFirst().orElseThrow(() -> new AssertionError(audit.lines().toString()));
            assertEquals("IDs", line.path("input_sheet").asText(), line.toString());
        }
        assertEquals("IDs", report(out).path("ids").path("sheet").asText(), report(out).toString());
        assertEquals("IDs", manifest(out).getProperty("input.sheet"));
        assertTrue(summarySheet(out).contains("ID sheet=IDs"), summarySheet(out).toString());
        assertTrue(cli.stdout().contains("  ID sheet IDs\n"), cli.stdout());
        assertTrue(cli.stderr().contains("firms.xlsx, sheet 'IDs': 5 values"), cli.stderr());
    }

    @Test
    void aWorkbookReadWithoutSheetRecordsItsFirstSheet() throws IOException {
        Path out = tmp.resolve("first");
        assertEquals(ExitCode.COMPLETED, cli.firmquery("run", "--ids", workbook().toString(), "--query", "firm_details",
                "--out", out.toString(), "--format", "csv,xlsx", "--keep-work"), cli.both());
        assertEquals("Notes", report(out).path("ids").path("sheet").asText(), report(out).toString());
        assertEquals("Notes", manifest(out).getProperty("input.sheet"));
        assertTrue(summarySheet(out).contains("ID sheet=Notes"), summarySheet(out).toString());
        assertTrue(cli.stdout().contains("  ID sheet Notes\n"), cli.stdout());
    }

    @Test
    void aCsvInputRecordsNoSheet() throws IOException {
        Path out = tmp.resolve("csv");
        assertEquals(ExitCode.COMPLETED, cli.firmquery("run", "--ids", csv().toString(), "--query", "firm_details",
                "--out", out.toString(), "--format", "csv,xlsx", "--keep-work"), cli.both());
        assertFalse(report(out).path("ids").has("sheet"), report(out).toString());
        assertNull(manifest(out).getProperty("input.sheet"));
        assertTrue(summarySheet(out).stream().noneMatch(l -> l.startsWith("ID sheet=")), summarySheet(out).toString());
        assertFalse(cli.stdout().contains("ID sheet"), cli.stdout());
    }

    /**
     * A run over the workbook's sheet {@code IDs} on a fresh database where the chunk of firm 2 fails
     * (division by zero while {@code poison} names it): PARTIAL, its working folder kept.
     */
    private Path partialRunOnTheSecondSheet(TestPostgres.TestDatabase poisoned) throws Exception {
        try (Connection c = poisoned.connect(); Statement s = c.createStatement()) {
            DemoData.create(c, 10, SEED);
            s.execute("CREATE TABLE poison (id bigint PRIMARY KEY)");
            s.execute("INSERT INTO poison VALUES (" + DemoData.firmId(2) + ")");
        }
        Path template = Files.writeString(tmp.resolve("poison.sql"), """
                SELECT t1.firm_root_id, t1.firm_name,
                       1 / (CASE WHEN EXISTS (SELECT 1 FROM poison p WHERE p.id = t1.firm_root_id) THEN 0 ELSE 1 END) AS ok
                FROM firm t1 WHERE t1.firm_root_id IN ({ID_PLACEHOLDER}) ORDER BY t1.firm_root_id
                """);
        Path out = tmp.resolve("partial");
        CliHarness poisonedCli = CliHarness.on(poisoned, tmp);
        assertEquals(ExitCode.PARTIAL, poisonedCli.firmquery("run", "--ids", workbook().toString(), "--sheet", "IDs",
                "--query", template.toString(), "--out", out.toString(), "--format", "csv",
                "--set", "processing.chunk_size=1", "--set", "processing.max_retries=0"), poisonedCli.both());
        try (Connection c = poisoned.connect(); Statement s = c.createStatement()) {
            s.execute("DELETE FROM poison");
        }
        return out;
    }

    @Test
    void aRetriedRunNamesTheSheetItsManifestRecordsWithoutReadingTheWorkbookAgain() throws Exception {
        TestPostgres.TestDatabase poisoned = TestPostgres.freshDatabase("sheet_retry");
        Path out = partialRunOnTheSecondSheet(poisoned);
        Path runDir = manifestFile(out).getParent();
        Files.delete(tmp.resolve("firms.xlsx")); // a retry reads the IDs kept in the run folder

        CliHarness retry = CliHarness.on(poisoned, tmp);
        assertEquals(ExitCode.COMPLETED, retry.firmquery("run", "--retry-failed", runDir.toString()), retry.both());
        assertEquals("IDs", report(out).path("ids").path("sheet").asText(), report(out).toString());
        assertTrue(retry.stdout().contains("  ID sheet IDs\n"), retry.stdout());
    }

    @Test
    void aManifestWithoutInputSheetFromAnEarlierVersionStillResumes() throws Exception {
        TestPostgres.TestDatabase poisoned = TestPostgres.freshDatabase("sheet_old_manifest");
        Path out = partialRunOnTheSecondSheet(poisoned);
        Path manifest = manifestFile(out);
        List<String> lines = Files.readAllLines(manifest);
        assertTrue(lines.contains("input.sheet=IDs"), lines.toString());
        Files.write(manifest, lines.stream().filter(l -> !l.startsWith("input.sheet=")).toList());

        CliHarness retry = CliHarness.on(poisoned, tmp);
        assertEquals(ExitCode.COMPLETED, retry.firmquery("run", "--retry-failed", manifest.getParent().toString()),
                retry.both());
        JsonNode retried = report(out);
        assertFalse(retried.path("ids").has("sheet"), "the record does not say what it never recorded: " + retried);
        assertFalse(retry.stdout().contains("ID sheet"), retry.stdout());
    }
}
