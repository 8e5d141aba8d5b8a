package dev.firmquery.cli;

import dev.firmquery.demo.DemoData;
import dev.firmquery.exit.ExitCode;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
}
