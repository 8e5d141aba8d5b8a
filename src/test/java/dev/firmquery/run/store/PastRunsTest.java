package dev.firmquery.run.store;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Past runs read back from a folder's reports, each treated as written by someone else: only this
 * user's regular files, not links, not writable by others, bounded, strictly parsed, and naming no
 * file outside the folder.
 */
class PastRunsTest {
    @TempDir
    Path dir;

    private String report(String runId, String started, Path csv) {
        return """
                {"run_id": "%s", "status": "partial", "started": "%s", "duration_ms": 12000,
                 "ids": {"source": "/data/ids.csv", "valid": 40},
                 "query": {"name": "from_id", "path": "/q/from_id.sql", "parameters": {"min_id": "31"}},
                 "chunks": {"total": 4, "failed": 1, "not_run": 0},
                 "rows": 30, "missing_ids": 0, "failed_ids": 10,
                 "work_directory": "%s",
                 "files": [{"kind": "results-csv", "path": "%s", "bytes": 10}]}
                """.formatted(runId, started, dir.resolve(".firmquery").resolve(runId), csv);
    }

    private Path write(String name, String text) throws IOException {
        Path p = Files.writeString(dir.resolve(name), text);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-------"));
        return p;
    }

    @Test
    @DisplayName("reports are listed newest first with what they say")
    void newestFirst() throws IOException {
        Path csv = write("a.csv", "firm_root_id\n1\n");
        write("a_report.json", report("r1", "2026-12-01T08:00:00Z", csv));
        write("b_report.json", report("r2", "2026-12-02T08:00:00Z", csv));
        PastRuns.Listing l = PastRuns.list(List.of(dir));
        assertEquals(List.of("r2", "r1"), l.runs().stream().map(PastRuns.PastRun::runId).toList());
        PastRuns.PastRun r = l.runs().get(0);
        assertEquals(Map.of("min_id", "31"), r.parameters());
        assertEquals(30, r.rows());
        assertTrue(r.unfinished());
        assertEquals(csv.toAbsolutePath(), r.file("results-csv").orElseThrow());
        assertTrue(r.resumable().isEmpty(), "its working folder does not exist");
        Files.createDirectories(dir.resolve(".firmquery").resolve("r2"));
        assertEquals(dir.resolve(".firmquery").resolve("r2"), r.resumable().orElseThrow());
    }

    @Test
    @DisplayName("the workbook sheet a report names is read back; a report without one (CSV input, an earlier version) has none")
    void sheetFromTheReport() throws IOException {
        Path csv = write("a.csv", "firm_root_id\n1\n");
        write("a_report.json", report("r1", "2026-12-01T08:00:00Z", csv));
        write("b_report.json", report("r2", "2026-12-02T08:00:00Z", csv)
                .replace("\"source\": \"/data/ids.csv\"", "\"source\": \"/data/ids.xlsx\", \"sheet\": \"Second\""));
        PastRuns.Listing l = PastRuns.list(List.of(dir));
        assertEquals("Second", l.runs().get(0).sheet());
        assertEquals("/data/ids.xlsx", l.runs().get(0).input());
        assertNull(l.runs().get(1).sheet());
    }

    @Test
    @DisplayName("a report that is a link is skipped, saying so, and never read")
    void linkIsSkipped() throws IOException {
        Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
        Path target = Files.writeString(elsewhere.resolve("x_report.json"), report("r9", "2026-12-01T08:00:00Z", dir.resolve("a.csv")));
        Path out = Files.createDirectories(dir.resolve("out"));
        Files.createSymbolicLink(out.resolve("x_report.json"), target);
        PastRuns.Listing l = PastRuns.list(List.of(out));
        assertTrue(l.runs().isEmpty());
        assertTrue(l.skipped().get(0).contains("it is a link"), l.skipped().toString());
    }

    @Test
    @DisplayName("a report others may write is skipped with the chmod that fixes it")
    void groupWritableIsSkipped() throws IOException {
        Path p = write("a_report.json", report("r1", "2026-12-01T08:00:00Z", dir.resolve("a.csv")));
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-rw----"));
        PastRuns.Listing l = PastRuns.list(List.of(dir));
        assertTrue(l.runs().isEmpty());
        assertTrue(l.skipped().get(0).contains("chmod go-w"), l.skipped().toString());
    }

    @Test
    @DisplayName("a report larger than the bound is skipped without being read")
    void oversizedIsSkipped() throws IOException {
        write("a_report.json", " ".repeat(PastRuns.MAX_REPORT_BYTES + 1));
        PastRuns.Listing l = PastRuns.list(List.of(dir));
        assertTrue(l.skipped().get(0).contains("more than a report holds"), l.skipped().toString());
    }

    @Test
    @DisplayName("malformed or deeply nested JSON is skipped as not a report")
    void malformedIsSkipped() throws IOException {
        write("a_report.json", "{\"run_id\": \"r1\", ");
        write("b_report.json", "[".repeat(10_000) + "]".repeat(10_000));
        PastRuns.Listing l = PastRuns.list(List.of(dir));
        assertEquals(2, l.skipped().size(), l.skipped().toString());
        assertTrue(l.skipped().stream().allMatch(s -> s.contains("not a firmquery report")), l.skipped().toString());
    }

    @Test
    @DisplayName("a file the report names outside its folder, or through a link, is not offered")
    void filesOutsideTheFolderAreRefused() throws IOException {
        Path outside = Files.createDirectories(dir.resolve("other")).resolve("secret.csv");
        Files.writeString(outside, "x\n");
        write("a_report.json", report("r1", "2026-12-01T08:00:00Z", outside));
        Files.createSymbolicLink(dir.resolve("link.csv"), outside);
        write("b_report.json", report("r2", "2026-12-02T08:00:00Z", dir.resolve("link.csv")));
        PastRuns.Listing l = PastRuns.list(List.of(dir));
        assertEquals(2, l.runs().size());
        assertTrue(l.runs().stream().allMatch(r -> r.file("results-csv").isEmpty()));
    }
}
