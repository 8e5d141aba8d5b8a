package dev.firmquery.app;

import dev.firmquery.exit.ExitCode;
import dev.firmquery.run.RunException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A batch file read back from disk: what it asks for, and every mistake in it with its file:line. */
class BatchFileTest {
    @TempDir
    Path tmp;

    private BatchFile read(String yaml) throws Exception {
        return BatchFile.read(Files.writeString(tmp.resolve("jobs.yaml"), yaml));
    }

    private String problems(String yaml) throws Exception {
        RunException e = assertThrows(RunException.class, () -> read(yaml));
        assertEquals(ExitCode.USAGE, e.exitCode());
        return e.getMessage();
    }

    @Test
    void jobsShareTheIdSourceAndResolvePathsAgainstTheBatchFilesFolder() throws Exception {
        BatchFile b = read("""
                ids: firms.csv
                id_column: firm_root_id
                out: results
                format: csv,jsonl
                jobs:
                  - query: firm_names
                  - query: sql/recent.sql
                    name: recent_{date}
                    params:
                      since: 2020-01-01
                      countries: [DE, FR]
                    ids: other.xlsx
                    sheet: Firms
                """);
        assertEquals(tmp.resolve("results"), b.out());
        assertEquals("csv,jsonl", b.formats());
        assertEquals(2, b.jobs().size());
        BatchFile.Job first = b.jobs().get(0);
        assertEquals("firm_names", first.query());
        assertEquals(tmp.resolve("firms.csv"), first.ids());
        assertEquals("firm_root_id", first.idColumn());
        assertNull(first.name());
        assertEquals(6, first.line());
        BatchFile.Job second = b.jobs().get(1);
        assertEquals(tmp.resolve("sql/recent.sql").toString(), second.query());
        assertEquals("recent_{date}", second.name());
        assertEquals(Map.of("since", "2020-01-01", "countries", "DE,FR"), second.params());
        assertEquals(List.of("since", "countries"), List.copyOf(second.params().keySet()));
        assertEquals(tmp.resolve("other.xlsx"), second.ids());
        assertEquals("Firms", second.sheet());
        assertEquals("firm_root_id", second.idColumn(), "the shared ID column");
    }

    @Test
    void everyProblemIsReportedAtOnceWithItsFileAndLine() throws Exception {
        String message = problems("""
                ids: firms.csv
                outt: results
                jobs:
                  - query: firm_names
                    nme: x
                  - name: no_query
                  - query: firm_details
                    name: ../escape
                  - query: recent.sql
                    params: [since]
                """);
        Path file = tmp.resolve("jobs.yaml");
        assertTrue(message.startsWith("the batch file has 5 problems:"), message);
        assertTrue(message.contains(file + ":2: unknown key 'outt'; did you mean 'out'?"), message);
        assertTrue(message.contains(file + ":5: unknown key 'nme'; did you mean 'name'?"), message);
        assertTrue(message.contains(file + ":6: a job without 'query:'"), message);
        assertTrue(message.contains(file + ":8: name: ../escape: expected a file name without path separators"), message);
        assertTrue(message.contains(file + ":10: 'params:' expects a mapping of NAME: VALUE"), message);
        assertTrue(message.indexOf(":2:") < message.indexOf(":10:"), "in line order: " + message);
    }

    @Test
    void invalidYamlNamesTheLine() throws Exception {
        String message = problems("jobs:\n  - query: a\n    params: {since: 2020\n");
        assertTrue(message.startsWith(tmp.resolve("jobs.yaml") + ":"), message);
        assertTrue(message.contains("invalid YAML"), message);
    }

    @Test
    void aJobWithoutAnIdSourceIsRefused() throws Exception {
        String message = problems("jobs:\n  - query: firm_names\n");
        assertTrue(message.contains("jobs.yaml:2: no ID source for this job"), message);
    }

    @Test
    void aFileThatIsNotAMappingOfJobsIsRefused() throws Exception {
        assertTrue(problems("- query: firm_names\n").contains("jobs.yaml:1: expected a mapping with 'jobs:'"));
        assertTrue(problems("ids: a.csv\njobs: []\n").contains("jobs.yaml:2: 'jobs:' expects a list"));
        assertTrue(problems("ids: a.csv\n").contains("no 'jobs:'"));
    }

    @Test
    void aKeyWrittenTwiceIsRefused() throws Exception {
        assertTrue(problems("ids: a.csv\nids: b.csv\njobs:\n  - query: q\n").contains("jobs.yaml:2:"));
    }

    @Test
    void theSameJobTwiceIsRefused() throws Exception {
        assertTrue(problems("ids: a.csv\njobs:\n  - query: q\n  - query: q\n")
                .contains("jobs.yaml:4: the same query with the same values and IDs as an earlier job"));
    }

    @Test
    void anAliasBombIsRefusedNotExpanded() throws Exception {
        StringBuilder yaml = new StringBuilder("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for (char c = 'b'; c <= 'k'; c++) {
            yaml.append(c).append(": &").append(c).append(" [");
            for (int i = 0; i < 10; i++) {
                yaml.append(i == 0 ? "" : ", ").append('*').append((char) (c - 1));
            }
            yaml.append("]\n");
        }
        yaml.append("jobs:\n  - query: q\n");
        String message = problems(yaml.toString());
        assertTrue(message.contains("jobs.yaml:"), message);
    }

    @Test
    void aFileThatIsNotUtf8IsRefused() throws Exception {
        Path f = Files.write(tmp.resolve("latin1.yaml"), "ids: f\u00e9.csv\n".getBytes(StandardCharsets.ISO_8859_1));
        RunException e = assertThrows(RunException.class, () -> BatchFile.read(f));
        assertTrue(e.getMessage().contains("not UTF-8"), e.getMessage());
    }

    @Test
    void aFolderIsNotABatchFile() {
        RunException e = assertThrows(RunException.class, () -> BatchFile.read(tmp));
        assertTrue(e.getMessage().contains("not a regular file"), e.getMessage());
    }

    @Test
    void theTextOfACommandLinesJobsReadsBackAsTheSameJobsWhateverTheValues() throws Exception {
        Path ids = tmp.resolve("my ids: 2026 #1.xlsx");
        Map<String, String> hostile = new java.util.LinkedHashMap<>();
        hostile.put("name", "'); DROP TABLE firm; --");
        hostile.put("note", "a: b # not a comment\nsecond line \"quoted\" \\ back");
        hostile.put("since", "2026-01-01");
        hostile.put("countries", "DE,FR");
        hostile.put("flag", "yes");
        dev.firmquery.run.RunSetup.Choices shared = dev.firmquery.run.RunSetup.Choices.of(ids, "firm_names", null)
                .withIdColumn("Firm ID").withIdColumnOut("id").withSheet("Sheet 2");
        List<RunService.Job> jobs = List.of(
                new RunService.Job("job 1/2 firm_names", null, shared, null),
                new RunService.Job("job 2/2 recent", null, shared.withQuery(tmp.resolve("q/recent.sql").toString())
                        .withParams(hostile), null));
        String text = BatchFile.text("firmquery run --query firm_names --query recent.sql, recorded", tmp.resolve("out"),
                java.util.EnumSet.of(dev.firmquery.config.AppConfig.Format.XLSX, dev.firmquery.config.AppConfig.Format.CSV), jobs);

        Path elsewhere = Files.createDirectories(tmp.resolve("record"));
        BatchFile b = BatchFile.read(Files.writeString(elsewhere.resolve("batch.yaml"), text));
        assertEquals(tmp.resolve("out"), b.out());
        assertEquals("csv,xlsx", b.formats());
        assertEquals(2, b.jobs().size());
        BatchFile.Job first = b.jobs().get(0);
        assertEquals("firm_names", first.query());
        assertEquals(ids, first.ids(), "an absolute path, not one relative to the record");
        assertEquals("Firm ID", first.idColumn());
        assertEquals("id", first.idColumnOut());
        assertEquals("Sheet 2", first.sheet());
        assertEquals(Map.of(), first.params());
        BatchFile.Job second = b.jobs().get(1);
        assertEquals(tmp.resolve("q/recent.sql").toString(), second.query());
        assertEquals(hostile, second.params(), text);
        assertEquals(List.copyOf(hostile.keySet()), List.copyOf(second.params().keySet()));
    }

    @Test
    void jobsOverStandardInputHaveNoBatchFileText() {
        RunService.Job stdin = new RunService.Job("job 1/2 firm_names", null,
                dev.firmquery.run.RunSetup.Choices.of(null, "firm_names", null), null);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BatchFile.text("c", tmp, null, List.of(stdin)));
        assertTrue(e.getMessage().contains("standard input"), e.getMessage());
    }
}
