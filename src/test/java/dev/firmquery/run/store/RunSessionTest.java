package dev.firmquery.run.store;

import dev.firmquery.chunk.Chunk;
import dev.firmquery.chunk.ChunkPlan;
import dev.firmquery.config.AppConfig.Format;
import dev.firmquery.export.Column;
import dev.firmquery.export.CsvDialect;
import dev.firmquery.export.CsvResultWriter;
import dev.firmquery.export.OutputFile;
import dev.firmquery.export.ResultWriter;
import dev.firmquery.export.Rows;
import dev.firmquery.ids.IdList;
import dev.firmquery.ids.IdLoadResult;
import dev.firmquery.ids.IdStats;
import dev.firmquery.sql.IdBinding;
import dev.firmquery.sql.ParameterValues;
import dev.firmquery.sql.QueryTemplate;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A session of a run through the store's public API, as the engine uses it: chunks spooled by
 * {@link ChunkWriter}, recorded with {@link RunSession#done}, and read back by {@link SpoolReader}
 * into final files that are byte for byte those of the same rows written directly.
 */
@DisplayName("A run session spools chunks that the spool reader copies back")
class RunSessionTest {
    private static final List<Column> COLUMNS = Rows.allKinds();
    private static final Set<Format> BOTH = EnumSet.of(Format.CSV, Format.XLSX);
    private static final Consumer<IOException> NO_FAILURE = e -> {
        throw new AssertionError("the journal failed", e);
    };

    @TempDir
    Path tmp;

    // ---------------------------------------------------------------------------------------------
    // Fixtures

    /** A run of 30 integer IDs in three chunks of ten. */
    private NewRun newRun(Set<Format> formats) throws Exception {
        long[] ids = new long[30];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = 1_000 + i;
        }
        QueryTemplate template = QueryTemplate.parse("firm_details", null,
                "SELECT firm_root_id FROM firm WHERE firm_root_id IN ({ID_PLACEHOLDER})", false);
        IdLoadResult input = new IdLoadResult(IdList.ofLongs(ids), new IdStats(30, 30, 30, 0, 0, 0), List.of(),
                List.of(), "-", "0".repeat(64), null);
        ChunkPlan plan = new ChunkPlan(List.of(new Chunk(1, 0, 10), new Chunk(2, 10, 20), new Chunk(3, 20, 30)), 30,
                200);
        return new NewRun("20261122_101500-abcd", tmp.resolve("out"), "firm_query_20261122_101500", formats, false,
                OutputFile.OWNER_READ_WRITE, null, template, IdBinding.BIND, input, plan, "processing.chunk_size: 10\n",
                false, CsvDialect.RFC4180, ParameterValues.none());
    }

    private RunDirectory folder() throws RunStoreException {
        return RunDirectory.create(tmp.resolve("out"), "20261122_101500-abcd");
    }

    private static List<Object[]> rows(long seed, int count) {
        Rows.RandomValues random = new Rows.RandomValues(seed, 0.15);
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            rows.add(random.row(COLUMNS));
        }
        return rows;
    }

    private static SpooledChunk spool(RunSession session, int worker, int chunk, List<Object[]> rows)
            throws IOException {
        try (ChunkWriter w = session.openChunk(worker, chunk, 1)) {
            for (Object[] row : rows) {
                w.row(row);
            }
            BitSet missing = new BitSet();
            missing.set(chunk); // any positions: the journal carries them
            return w.finish(missing);
        }
    }

    /** The final CSV of {@code rows} written directly, as a run without a spool would. */
    private Path directCsv(String name, List<Object[]> rows) throws IOException {
        try (CsvResultWriter w = new CsvResultWriter(tmp.resolve(name), false)) {
            w.begin(COLUMNS);
            for (Object[] row : rows) {
                w.row(row);
            }
            return w.commit(List.of());
        }
    }

    /** The final CSV assembled from {@code chunks} through the spool reader, as the assembler does. */
    private Path assembledCsv(String name, RunDirectory dir, List<SpooledChunk> chunks) throws IOException {
        try (SpoolReader spool = dir.spoolReader(COLUMNS);
             CsvResultWriter w = new CsvResultWriter(tmp.resolve(name), false)) {
            w.begin(COLUMNS);
            for (SpooledChunk c : chunks) {
                w.appendEncoded(out -> spool.copyCsv(c, out), c.rows());
            }
            return w.commit(List.of());
        }
    }

    /** A result writer that keeps copies of the rows it is given. */
    private static final class Collecting implements ResultWriter {
        final List<Object[]> rows = new ArrayList<>();

        @Override
        public void begin(List<Column> columns) {
        }

        @Override
        public void row(Object[] values) {
            rows.add(values.clone());
        }

        @Override
        public Path commit(List<SummaryLine> summary) {
            return null;
        }

        @Override
        public void close() {
        }
    }

    private static List<Object[]> concat(List<List<Object[]>> parts) {
        List<Object[]> all = new ArrayList<>();
        parts.forEach(all::addAll);
        return all;
    }

    // ---------------------------------------------------------------------------------------------

    @Test
    void chunksSpooledByTwoWorkersAssembleInChunkOrderLikeTheRowsWrittenDirectly() throws Exception {
        RunDirectory dir = folder();
        List<Object[]> one = rows(1, 700);
        List<Object[]> two = rows(2, 40);
        List<Object[]> three = rows(3, 1_200);
        List<SpooledChunk> chunks;
        try (RunSession session = RunSession.start(dir, newRun(BOTH), COLUMNS, NO_FAILURE)) {
            SpooledChunk c2 = spool(session, 2, 2, two); // the workers finish out of order
            SpooledChunk c1 = spool(session, 1, 1, one);
            SpooledChunk c3 = spool(session, 1, 3, three);
            chunks = List.of(c1, c2, c3);
        }

        assertArrayEquals(Files.readAllBytes(directCsv("direct.csv", concat(List.of(one, two, three)))),
                Files.readAllBytes(assembledCsv("assembled.csv", dir, chunks)));
        Collecting typed = new Collecting();
        try (SpoolReader spool = dir.spoolReader(COLUMNS)) {
            for (SpooledChunk c : chunks) {
                spool.copyRows(c, List.of(typed));
            }
        }
        List<Object[]> expected = concat(List.of(one, two, three));
        assertEquals(expected.size(), typed.rows.size());
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i), typed.rows.get(i), "row " + i);
        }
    }

    @Test
    void theJournalRecordsEachDoneChunkAsFinishReturnedIt() throws Exception {
        RunDirectory dir = folder();
        Map<Integer, SpooledChunk> done;
        try (RunSession session = RunSession.start(dir, newRun(BOTH), COLUMNS, NO_FAILURE)) {
            SpooledChunk c1 = spool(session, 1, 1, rows(4, 30));
            SpooledChunk c2 = spool(session, 2, 2, rows(5, 0));
            session.done(c1);
            session.done(c2);
            session.failed(3, 4, "ERROR: division by zero (SQLState 22012)");
            session.flush();
            done = Map.of(1, c1, 2, c2);
        }

        JournalState state = dir.journal();
        assertEquals(done, state.done());
        assertEquals(Map.of(3, new FailedChunk(3, 4, "ERROR: division by zero (SQLState 22012)")), state.failed());
        assertEquals(0, state.done().get(2).rows());
        assertEquals("s1-w1.csv", state.done().get(1).csv().segment());
        assertEquals("s1-w2.typed", state.done().get(2).typed().segment());
    }

    @Test
    void anAttemptClosedUnfinishedLeavesNothingAndTheRetryIsAppendedWhereTheLastChunkEnded() throws Exception {
        RunDirectory dir = folder();
        List<Object[]> kept = rows(6, 100);
        List<Object[]> retried = rows(7, 50);
        SpooledChunk first;
        SpooledChunk retry;
        try (RunSession session = RunSession.start(dir, newRun(BOTH), COLUMNS, NO_FAILURE)) {
            first = spool(session, 1, 1, kept);
            try (ChunkWriter failed = session.openChunk(1, 2, 1)) {
                for (Object[] row : rows(8, 3_000)) { // several buffer flushes reach the segments
                    failed.row(row);
                }
            }
            try (ChunkWriter w = session.openChunk(1, 2, 2)) {
                for (Object[] row : retried) {
                    w.row(row);
                }
                retry = w.finish(new BitSet());
            }
        }

        assertEquals(first.csv().offset() + first.csv().length(), retry.csv().offset());
        assertEquals(first.typed().offset() + first.typed().length(), retry.typed().offset());
        assertEquals(2, retry.attempts());
        assertEquals(retry.csv().offset() + retry.csv().length(), Files.size(dir.segment("s1-w1.csv")));
        assertArrayEquals(Files.readAllBytes(directCsv("direct.csv", concat(List.of(kept, retried)))),
                Files.readAllBytes(assembledCsv("assembled.csv", dir, List.of(first, retry))));
    }

    @Test
    void aResumedSessionAppendsToNewSegmentsAndLeavesTheEarlierOnesAsTheyWere() throws Exception {
        RunDirectory dir = folder();
        SpooledChunk earlier;
        try (RunSession session = RunSession.start(dir, newRun(BOTH), COLUMNS, NO_FAILURE)) {
            earlier = spool(session, 1, 1, rows(9, 20));
        }
        byte[] before = Files.readAllBytes(dir.segment("s1-w1.csv"));

        SpooledChunk later;
        try (RunSession session = RunSession.resume(RunDirectory.open(dir.path()), BOTH, false, CsvDialect.RFC4180, COLUMNS, NO_FAILURE)) {
            later = spool(session, 1, 2, rows(10, 20));
        }

        assertEquals("s2-w1.csv", later.csv().segment());
        assertEquals("s2-w1.typed", later.typed().segment());
        assertArrayEquals(before, Files.readAllBytes(dir.segment("s1-w1.csv")));
        assertArrayEquals(Files.readAllBytes(directCsv("direct.csv", concat(List.of(rows(9, 20), rows(10, 20))))),
                Files.readAllBytes(assembledCsv("assembled.csv", dir, List.of(earlier, later))));
    }

    @Test
    void aCsvOnlyRunSpoolsNoTypedRows() throws Exception {
        RunDirectory dir = folder();
        SpooledChunk c;
        try (RunSession session = RunSession.start(dir, newRun(EnumSet.of(Format.CSV)), COLUMNS, NO_FAILURE)) {
            c = spool(session, 1, 1, rows(11, 5));
        }

        assertEquals(null, c.typed());
        assertEquals(List.of("s1-w1.csv"), Files.list(dir.path().resolve("spool"))
                .map(p -> p.getFileName().toString()).toList());
        try (SpoolReader spool = dir.spoolReader(COLUMNS)) {
            IOException e = assertThrows(IOException.class, () -> spool.copyRows(c, List.of(new Collecting())));
            assertTrue(e.getMessage().contains("no typed rows"), e.getMessage());
        }
    }

    @Test
    void aFlippedByteInTheCsvSegmentFailsTheCopyNamingTheSegmentAndTheFix() throws Exception {
        RunDirectory dir = folder();
        SpooledChunk c;
        try (RunSession session = RunSession.start(dir, newRun(BOTH), COLUMNS, NO_FAILURE)) {
            c = spool(session, 1, 1, rows(12, 200));
        }
        Path segment = dir.segment(c.csv().segment());
        byte[] bytes = Files.readAllBytes(segment);
        bytes[bytes.length / 2] ^= 0x20;
        Files.write(segment, bytes);

        IOException e = assertThrows(IOException.class, () -> assembledCsv("damaged.csv", dir, List.of(c)));
        assertTrue(e.getMessage().contains(segment.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("damaged"), e.getMessage());
        assertTrue(e.getMessage().contains("run the chunk again (firmquery run --resume)"), e.getMessage());
        assertTrue(Files.list(tmp).noneMatch(p -> p.getFileName().toString().startsWith("damaged.csv")),
                "the final file is never published");
    }

    @Test
    void aFlippedByteInTheTypedSegmentFailsTheCopyOfItsRows() throws Exception {
        RunDirectory dir = folder();
        SpooledChunk c;
        try (RunSession session = RunSession.start(dir, newRun(BOTH), COLUMNS, NO_FAILURE)) {
            c = spool(session, 1, 1, rows(13, 200));
        }
        Path segment = dir.segment(c.typed().segment());
        byte[] bytes = Files.readAllBytes(segment);
        bytes[bytes.length / 2] ^= 0x01;
        Files.write(segment, bytes);

        try (SpoolReader spool = dir.spoolReader(COLUMNS)) {
            IOException e = assertThrows(IOException.class, () -> spool.copyRows(c, List.of(new Collecting())));
            assertTrue(e.getMessage().contains(segment.toString()), e.getMessage());
        }
    }

    @Test
    void theFirstSessionRecordsWhatTheRunIsAndTheFolderReadsItBackChecked() throws Exception {
        RunDirectory dir = folder();
        NewRun run = newRun(BOTH);
        try (RunSession session = RunSession.start(dir, run, COLUMNS, NO_FAILURE)) {
            assertEquals(dir.path(), session.path());
        }

        RunDirectory again = RunDirectory.open(dir.path());
        Manifest m = again.manifest();
        assertEquals(run.runId(), m.runId());
        assertEquals(run.outputDirectory(), m.outputDirectory());
        assertEquals(run.baseName(), m.baseName());
        assertEquals(run.formats(), m.formats());
        assertEquals(run.permissions(), m.permissions());
        assertEquals(run.template().name(), m.queryName());
        assertEquals(run.binding(), m.binding());
        assertEquals(run.input().stats(), m.stats());
        assertEquals(3, m.chunks());
        assertEquals(run.template().text(), again.queryText(m));
        assertEquals(run.plan(), again.plan(m));
        IdList ids = again.ids(m);
        assertEquals(30, ids.size());
        for (int i = 0; i < ids.size(); i++) {
            assertEquals(run.input().ids().longAt(i), ids.longAt(i));
        }
        assertEquals("processing.chunk_size: 10\n", Files.readString(dir.path().resolve("config.txt")));
    }

    @Test
    void aTamperedQueryIsRefusedOnReadingBack() throws Exception {
        RunDirectory dir = folder();
        try (RunSession session = RunSession.start(dir, newRun(BOTH), COLUMNS, NO_FAILURE)) {
            assertEquals(dir.path(), session.path());
        }
        Files.writeString(dir.path().resolve("query.sql"), "SELECT 1 WHERE 1 IN ({ID_PLACEHOLDER})");

        Manifest m = dir.manifest();
        RunStoreException e = assertThrows(RunStoreException.class, () -> dir.queryText(m));
        assertTrue(e.getMessage().contains("does not match the hash recorded"), e.getMessage());
    }

    @Test
    void deletingTheRunAtTheEndRemovesItsFolder() throws Exception {
        RunDirectory dir = folder();
        try (RunSession session = RunSession.start(dir, newRun(BOTH), COLUMNS, NO_FAILURE)) {
            spool(session, 1, 1, rows(14, 3));
            session.deleteRun();
        }

        assertTrue(Files.notExists(dir.path()));
        assertTrue(Files.notExists(tmp.resolve("out").resolve(RunStore.DIR_NAME)), "and the empty .firmquery folder");
    }
}
