package dev.firmquery.app;

import dev.firmquery.config.AppConfig;
import dev.firmquery.run.RunSetup;
import dev.firmquery.run.store.BatchRecord;
import dev.firmquery.sql.QueryResolver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Several queries over one ID file recorded as a batch, read back as {@code firmquery batch --resume} reads it. */
class JobsRecordTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-03T10:15:00Z"), ZoneOffset.UTC);

    @TempDir
    Path tmp;

    private static RunService.Job job(int n, RunSetup.Choices choices) {
        return new RunService.Job("job " + n + "/2 " + choices.query(), null, choices, "{query}");
    }

    @Test
    void theBatchFileKeepsTheSheetTheIdColumnTheFormatsAndTheFileNamesOfTheJobs() throws Exception {
        Path ids = Files.createFile(tmp.resolve("ids.xlsx"));
        RunSetup.Choices choices = RunSetup.Choices.of(ids, "firm_details", null).withSheet("More IDs")
                .withIdColumn("firm_root_id");
        Optional<BatchRecord> record = JobsRecord.create("the UI's marked queries", tmp.resolve("out"),
                Set.of(AppConfig.Format.CSV), List.of(job(1, choices), job(2, choices.withQuery("firm_names"))),
                List.of(), CLOCK);
        assertTrue(record.isPresent());
        try (BatchRecord r = record.get()) {
            assertTrue(r.directory().getFileName().toString().startsWith("batch-20261203_101500-"), r.directory().toString());
            assertEquals("firmquery batch --resume " + r.directory(), JobsRecord.resumeCommand(r));
            BatchFile read = BatchFile.read(r.batchFile());
            assertEquals("csv", read.formats());
            assertEquals(List.of("firm_details", "firm_names"), read.jobs().stream().map(BatchFile.Job::query).toList());
            for (BatchFile.Job j : read.jobs()) {
                assertEquals("More IDs", j.sheet());
                assertEquals("firm_root_id", j.idColumn());
                assertEquals(ids, j.ids());
                assertEquals("{query}", j.name());
            }
        }
    }

    @Test
    void jobsOverStandardInputOrPastedIdsAreNotRecorded() throws Exception {
        RunSetup.Choices pasted = RunSetup.Choices.of(null, "firm_details", null);
        assertEquals(Optional.empty(), JobsRecord.create("pasted", tmp.resolve("out"), null,
                List.of(job(1, pasted), job(2, pasted.withQuery("firm_names"))), List.of(), CLOCK));
        assertTrue(Files.notExists(tmp.resolve("out")), "nothing written");
    }

    @Test
    void aQueryNameFromAQueryFolderIsRecordedAsItsFileAndABuiltInNameStaysAName() throws Exception {
        Path queries = Files.createDirectories(tmp.resolve("home/sql/queries"));
        Path mine = Files.writeString(queries.resolve("mine.sql"),
                "SELECT firm_root_id FROM firm WHERE firm_root_id IN ({ID_PLACEHOLDER})\n");
        QueryResolver resolver = QueryResolver.withBuiltIns(List.of(queries));
        assertEquals(mine.toAbsolutePath().toString(), JobsRecord.recorded("mine", resolver));
        assertEquals("firm_details", JobsRecord.recorded("firm_details", resolver));
        assertEquals("sql/x.sql", JobsRecord.recorded("sql/x.sql", resolver), "a path as given");
    }
}
