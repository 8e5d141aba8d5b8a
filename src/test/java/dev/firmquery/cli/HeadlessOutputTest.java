package dev.firmquery.cli;

import dev.firmquery.chunk.Chunk;
import dev.firmquery.export.CellCuts;
import dev.firmquery.ids.IdStats;
import dev.firmquery.run.ChunkOutcome;
import dev.firmquery.run.DatabaseServer;
import dev.firmquery.run.PlanCacheMode;
import dev.firmquery.run.RunReport;
import dev.firmquery.testing.ReportBuilder;
import dev.firmquery.run.RunStatus;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Headless output shows server error texts as the UI does: a control character in them (an escape
 * sequence, a line break forging a line of firmquery's own) never reaches the terminal or the log a
 * script keeps.
 */
class HeadlessOutputTest {
    /** What a hostile or broken server could put in an error message. */
    private static final String SERVER_TEXT = "ERROR: bad\u001b[2J\u001b]0;title\u0007\nfirmquery: completed in 0:01";

    @Test
    void retryAndFailureLinesCarryServerTextPrintable() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        HeadlessProgress progress = new HeadlessProgress(new PrintStream(bytes, true, StandardCharsets.UTF_8), false);
        Chunk chunk = new Chunk(2, 10, 20);

        progress.chunkRetrying(1, chunk, 1, SERVER_TEXT, Duration.ofMillis(500));
        progress.chunkFinished(1, new ChunkOutcome(chunk, ChunkOutcome.State.FAILED, 0, 3, SERVER_TEXT, null));

        assertClean(bytes.toString(StandardCharsets.UTF_8), 2);
    }

    @Test
    void theSummaryCarriesServerTextPrintable() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Summary.print(report(SERVER_TEXT), new PrintStream(bytes, true, StandardCharsets.UTF_8));

        String out = bytes.toString(StandardCharsets.UTF_8);
        assertFalse(out.contains("\u001b"), out);
        assertTrue(out.contains("  error    ERROR: bad?[2J?]0;title??firmquery: completed in 0:01"), out);
        assertTrue(out.contains("  warning  cannot remove ?[1m"), out);
        assertTrue(out.contains("  cut      2 XLSX cells at Excel's 32,767 characters, the first at 'Results'!C5 (notes)"),
                out);
    }

    @Test
    void theSummaryNamesTheServerItsPlanCacheModeAndPrintsAnUnknownServersTextPrintable() {
        Instant start = Instant.parse("2026-01-01T10:00:00Z");
        RunReport pg = ReportBuilder.report().run("r1", RunStatus.COMPLETED, start, start.plusSeconds(1))
                .server(DatabaseServer.parse("PostgreSQL 16.4 (Debian 16.4-1) on x86_64-pc-linux-gnu"),
                        PlanCacheMode.FORCE_GENERIC_PLAN).build();
        RunReport other = ReportBuilder.report().run("r2", RunStatus.COMPLETED, start, start.plusSeconds(1))
                .server(DatabaseServer.parse("Evil\u001b[2J 1.0"), PlanCacheMode.SERVER_DEFAULT).build();

        assertTrue(summary(pg).contains("  server   PostgreSQL 16.4, plan_cache_mode force_generic_plan\n"), summary(pg));
        assertTrue(summary(other).contains("  server   unrecognised server (Evil?[2J 1.0), plan_cache_mode server default\n"),
                summary(other));
    }

    private static String summary(RunReport r) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Summary.print(r, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static void assertClean(String out, int lines) {
        assertFalse(out.contains("\u001b") || out.contains("\u0007"), out);
        assertEquals(lines, out.split("\n", -1).length - 1, "one line per event, none forged: " + out);
        assertTrue(out.contains("ERROR: bad?[2J?]0;title??firmquery: completed in 0:01"), out);
    }

    private static RunReport report(String error) {
        Instant start = Instant.parse("2026-01-01T10:00:00Z");
        return ReportBuilder.report().run("r1", RunStatus.PARTIAL, start, start.plusSeconds(5))
                .source("ids.txt", "00", new IdStats(2, 2, 2, 0, 0, 0), List.of())
                .query("q", null, "00", "00", List.of())
                .chunks(2, 1, 1, 0, 0).counts(1, 0, 1, 0)
                .failures(List.of(new RunReport.ChunkFailure(2, 1, 3, error)))
                .workDirectory(Path.of("/tmp/run"))
                .xlsxCuts(new CellCuts(2, "Results", 5, 3, "notes"))
                .warnings(List.of("cannot remove \u001b[1m")).build();
    }
}
