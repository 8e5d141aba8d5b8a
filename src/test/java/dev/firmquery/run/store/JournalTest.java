package dev.firmquery.run.store;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The run journal: its line format, group commit on the journal thread, durability and failure. */
@DisplayName("Run journal")
class JournalTest {
    /** Generous: only a hang reaches it. */
    private static final Duration HANG = Duration.ofSeconds(20);

    @TempDir
    Path tmp;

    // ---------------------------------------------------------------------------------------------
    // Fixtures

    private static BitSet bits(int... positions) {
        BitSet b = new BitSet();
        for (int p : positions) {
            b.set(p);
        }
        return b;
    }

    private static SpooledChunk.Range csv(long offset, long length, int crc) {
        return new SpooledChunk.Range("s1-w1.csv", offset, length, crc);
    }

    private static SpooledChunk.Range typed(long offset, long length) {
        return new SpooledChunk.Range("s1-w1.typed", offset, length, 0);
    }

    /** A done chunk with both ranges and no missing IDs. */
    private static SpooledChunk done(int chunk) {
        return new SpooledChunk(chunk, chunk * 10L, 1, csv(chunk * 1000L, 1000, chunk * 7919), typed(chunk * 500L, 500),
                new BitSet());
    }

    private static SpooledChunk roundTrip(SpooledChunk d) {
        return SpooledChunk.parse(d.line().split(" "));
    }

    /** A journal line as the journal writes it: CRC-32 of the event, a space, the event, a newline. */
    private static String line(String event) {
        CRC32 crc = new CRC32();
        crc.update(event.getBytes(StandardCharsets.UTF_8));
        return String.format("%08x %s\n", crc.getValue(), event);
    }

    private Path journalFile() {
        return tmp.resolve("journal.log");
    }

    private Journal open(List<IOException> failures) throws IOException {
        return Journal.open(journalFile(), failures::add);
    }

    private JournalState read() throws IOException {
        return Journal.read(journalFile());
    }

    private void appendRaw(String text) throws IOException {
        Files.writeString(journalFile(), text, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }

    // ---------------------------------------------------------------------------------------------
    // The done line

    @Nested
    @DisplayName("done line")
    class DoneLine {

        @Test
        void aDoneLineRoundTripsItsRangesChecksumsAndMissingPositionsWrittenAsRuns() {
            SpooledChunk d = new SpooledChunk(12, 4_321, 3, csv(1_048_576, 65_537, 0xdeadbeef), typed(0, 99),
                    bits(0, 1, 2, 5, 7, 8, 9));

            String line = d.line();

            assertEquals("done 12 4321 3 csv=s1-w1.csv@1048576+65537#deadbeef typed=s1-w1.typed@0+99#0 missing=0-2,5,7-9",
                    line);
            assertEquals(d, roundTrip(d));
        }

        @Test
        void aTimedChunkRoundTripsItsTimesWorkerAndRetriedSqlStates() {
            SpooledChunk d = new SpooledChunk(4, 10, 3, csv(0, 10, 1), null, bits(2))
                    .withTiming(new ChunkTiming(812_345, 700_000, 1_234, 2, List.of("40001", "none")));

            assertTrue(d.line().endsWith(" missing=2 t=812345,700000,1234,2 retried=40001,none"), d.line());
            assertEquals(d, roundTrip(d));
            assertEquals(111_111, roundTrip(d).timing().spoolMicros());
        }

        @Test
        void aLineWithoutATimeReadsAsNotTimed() {
            SpooledChunk d = new SpooledChunk(4, 10, 1, csv(0, 10, 1), null, bits(2));

            assertEquals(null, roundTrip(d).timing());
        }

        @Test
        void aSqlStateThatIsNotFiveDigitsOrCapitalsIsJournalledAsNone() {
            assertEquals("none", ChunkTiming.stateToken("4000 1"));
            assertEquals("none", ChunkTiming.stateToken(null));
            assertEquals("57014", ChunkTiming.stateToken("57014"));
        }

        @Test
        void noMissingPositionsIsWrittenAsADash() {
            SpooledChunk d = new SpooledChunk(1, 5, 1, csv(0, 10, 1), typed(0, 20), new BitSet());

            assertTrue(d.line().endsWith(" missing=-"), d.line());
            assertEquals(d, roundTrip(d));
            assertTrue(roundTrip(d).missing().isEmpty());
        }

        @Test
        void aCsvOnlyRunRoundTripsWithoutATypedRange() {
            SpooledChunk d = new SpooledChunk(2, 7, 1, csv(10, 20, -1), null, bits(3));

            assertFalse(d.line().contains("typed="), d.line());
            SpooledChunk back = roundTrip(d);
            assertEquals(d, back);
            assertNull(back.typed());
            assertTrue(back.hasSpools());
        }

        @Test
        void aTypedOnlyRunRoundTripsWithoutACsvRange() {
            SpooledChunk d = new SpooledChunk(3, 0, 2, null, typed(4_096, 31), bits(0, 1, 2, 3));

            assertFalse(d.line().contains("csv="), d.line());
            SpooledChunk back = roundTrip(d);
            assertEquals(d, back);
            assertNull(back.csv());
            assertTrue(back.hasSpools());
        }

        @Test
        void seededRandomDoneLinesRoundTrip() {
            Random random = new Random(20_261_122L);
            for (int i = 0; i < 2_000; i++) {
                int size = 1 + random.nextInt(300);
                BitSet missing = new BitSet();
                for (int p = 0; p < size; p++) {
                    if (random.nextInt(4) == 0) {
                        missing.set(p);
                    }
                }
                SpooledChunk.Range c = random.nextInt(5) == 0 ? null
                        : new SpooledChunk.Range("s" + (1 + random.nextInt(20)) + "-w" + (1 + random.nextInt(16)) + ".csv",
                                random.nextLong() >>> 2, random.nextLong() >>> 33, random.nextInt());
                SpooledChunk.Range t = random.nextInt(5) == 0 ? null
                        : new SpooledChunk.Range("s1-w2.typed", random.nextLong() >>> 2, random.nextLong() >>> 33, 0);
                SpooledChunk d = new SpooledChunk(1 + random.nextInt(4_000), random.nextLong() >>> 1,
                        1 + random.nextInt(21), c, t, missing);

                assertEquals(d, roundTrip(d), d.line());
            }
        }

        @Test
        void aLineOfFirmquery010WithoutRangesReadsAsADoneChunkWithoutSpools() {
            SpooledChunk d = SpooledChunk.parse("done 3 120 1".split(" "));

            assertEquals(new SpooledChunk(3, 120, 1, null, null, new BitSet()), d);
            assertFalse(d.hasSpools());
        }

        @Test
        void theMissingPositionsAreCopiedInAndOut() {
            BitSet missing = bits(1);
            SpooledChunk d = new SpooledChunk(1, 0, 1, null, typed(0, 1), missing);

            missing.set(2);
            d.missing().set(3);

            assertEquals(bits(1), d.missing());
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Reading

    @Nested
    @DisplayName("reading")
    class Reading {

        @Test
        void aMissingJournalIsEmpty() throws IOException {
            JournalState state = read();

            assertEquals(Map.of(), state.done());
            assertEquals(Map.of(), state.failed());
            assertEquals(Map.of(), state.published());
            assertNull(state.finished());
        }

        @Test
        void anOldFormatDoneLineIsReadAsDoneWithoutSpools() throws IOException {
            appendRaw(line("done 3 120 1"));

            SpooledChunk d = read().done().get(3);

            assertEquals(120, d.rows());
            assertFalse(d.hasSpools());
        }

        @Test
        void aTornLastLineIsIgnored() throws IOException {
            appendRaw(line(done(1).line()) + line(done(2).line()));
            String torn = line(done(3).line());
            appendRaw(torn.substring(0, torn.length() - 1)); // the process died before the newline

            assertEquals(Set.of(1, 2), read().done().keySet());
        }

        @Test
        void aLineWhoseChecksumDoesNotMatchIsIgnoredAndLaterLinesStillCount() throws IOException {
            appendRaw(line(done(1).line()));
            appendRaw(line(done(2).line()).replace("done 2 20", "done 2 21"));
            appendRaw(line(done(3).line()));

            JournalState state = read();

            assertEquals(Set.of(1, 3), state.done().keySet());
        }

        @Test
        void aDoneLineNamingASegmentOutsideTheSpoolFolderIsIgnored() throws IOException {
            appendRaw(line("done 1 5 1 csv=../../home/user/.ssh/id_rsa@0+10#0 missing=-"));
            appendRaw(line("done 2 5 1 csv=.hidden@0+10#0 missing=-"));
            appendRaw(line(done(3).line()));

            assertEquals(Set.of(3), read().done().keySet());
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Writing

    @Nested
    @DisplayName("writing")
    class Writing {

        @Test
        void doneChunksHandedOverAndFlushedAreReadBackWithTheirRanges() throws IOException {
            List<IOException> failures = new ArrayList<>();
            SpooledChunk one = new SpooledChunk(1, 42, 2, csv(0, 4_200, 0x1234abcd), typed(0, 999), bits(0, 2, 3));
            SpooledChunk two = new SpooledChunk(2, 0, 1, csv(4_200, 0, 0), typed(999, 31), bits(0, 1, 2, 3, 4));
            try (Journal journal = open(failures)) {
                journal.done(one, List.of());
                journal.done(two, List.of());
                journal.flush();

                JournalState state = read();
                assertEquals(Map.of(1, one, 2, two), state.done());
            }
            assertEquals(List.of(), failures);
        }

        @Test
        void aChunkThatFailedAndThenSucceededIsDone() throws IOException {
            try (Journal journal = open(new ArrayList<>())) {
                journal.failed(4, 3, "connection lost");
                journal.done(done(4), List.of());
                journal.flush();
            }

            JournalState state = read();
            assertEquals(done(4), state.done().get(4));
            assertFalse(state.failed().containsKey(4));
        }

        @Test
        void aChunkThatSucceededAndThenFailedIsFailedWithItsErrorOnOneLine() throws IOException {
            try (Journal journal = open(new ArrayList<>())) {
                journal.done(done(5), List.of());
                journal.failed(5, 2, "ERROR: division by zero\nSQLState 22012\r\nfix the query");
                journal.flush();
            }

            JournalState state = read();
            assertFalse(state.done().containsKey(5));
            assertEquals(new FailedChunk(5, 2, "ERROR: division by zero SQLState 22012  fix the query"),
                    state.failed().get(5));
        }

        @Test
        void closingWritesEverythingHandedOver() throws IOException {
            try (Journal journal = open(new ArrayList<>())) {
                for (int chunk = 1; chunk <= 50; chunk++) {
                    journal.done(done(chunk), List.of());
                }
            }

            assertEquals(50, read().done().size());
        }

        @Test
        void aFlushWaitsForTheGroupTheJournalThreadIsForcing() throws IOException {
            SegmentProbe slow = new SegmentProbe(() -> sleep(200));
            try (Journal journal = open(new ArrayList<>())) {
                journal.done(done(1), List.of(slow));
                journal.flush();

                assertEquals(done(1), read().done().get(1));
            }
        }

        @Test
        void publishedIsOnDiskWhenTheCallReturns() throws IOException {
            SegmentProbe slow = new SegmentProbe(() -> sleep(200));
            Path csv = tmp.resolve("firm_query_20261122_101500.csv");
            try (Journal journal = open(new ArrayList<>())) {
                journal.done(done(1), List.of(slow)); // keeps the journal thread busy for a while
                journal.published("results-csv", csv);

                JournalState state = read();
                assertEquals(Map.of("results-csv", csv), state.published());
                assertTrue(state.done().containsKey(1), "lines are written in the order they were handed over");
            }
        }

        @Test
        void finishedIsOnDiskWhenTheCallReturns() throws IOException {
            SegmentProbe slow = new SegmentProbe(() -> sleep(200));
            try (Journal journal = open(new ArrayList<>())) {
                journal.done(done(1), List.of(slow));
                journal.finished(RunEnd.PARTIAL);

                assertEquals(RunEnd.PARTIAL, read().finished());
            }
        }

        @Test
        void aDoneLineIsWrittenOnlyAfterTheSegmentsItNamesAreForced() throws IOException {
            List<Boolean> lineWasThere = new CopyOnWriteArrayList<>();
            SegmentProbe csvSegment = new SegmentProbe(() -> lineWasThere.add(readQuietly().done().containsKey(7)));
            SegmentProbe typedSegment = new SegmentProbe(() -> lineWasThere.add(readQuietly().done().containsKey(7)));
            try (Journal journal = open(new ArrayList<>())) {
                journal.done(done(7), List.of(csvSegment, typedSegment));
                journal.flush();

                assertTrue(read().done().containsKey(7));
            }
            assertEquals(List.of(false, false), lineWasThere, "each segment forced once, before the line");
        }

        @Test
        void doneLinesHandedOverByManyWorkersAtOnceAreAllRecorded() throws Exception {
            int workers = 4;
            int perWorker = 200;
            List<SegmentProbe> segments = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                segments.add(new SegmentProbe(() -> { }));
            }
            try (Journal journal = open(new ArrayList<>())) {
                List<Thread> threads = new ArrayList<>();
                List<Throwable> errors = new CopyOnWriteArrayList<>();
                for (int w = 0; w < workers; w++) {
                    int worker = w;
                    threads.add(new Thread(() -> {
                        try {
                            for (int i = 0; i < perWorker; i++) {
                                journal.done(done(1 + worker + i * workers), List.of(segments.get(worker)));
                            }
                        } catch (Throwable e) {
                            errors.add(e);
                        }
                    }, "worker-" + w));
                }
                threads.forEach(Thread::start);
                for (Thread t : threads) {
                    t.join();
                }
                journal.flush();

                assertEquals(List.of(), errors);
                assertEquals(workers * perWorker, read().done().size());
            }
            for (SegmentProbe s : segments) {
                assertTrue(s.forces() >= 1 && s.forces() <= perWorker,
                        "a segment is forced at least once and at most once per group: " + s.forces());
            }
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Failure

    @Nested
    @DisplayName("when the journal cannot write")
    class Failure {

        /** A segment whose force() fails like a full disk would: a channel closed before it is handed over. */
        private FileChannel brokenSegment() throws IOException {
            FileChannel ch = FileChannel.open(tmp.resolve("s1-w1.csv"), StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE);
            ch.close();
            return ch;
        }

        @Test
        void flushFailsNamingTheJournalInsteadOfHanging() throws IOException {
            FileChannel broken = brokenSegment();
            try (Journal journal = open(new CopyOnWriteArrayList<>())) {
                journal.done(done(1), List.of(broken));

                IOException e = assertTimeoutPreemptively(HANG, () -> assertThrows(IOException.class, journal::flush));
                assertTrue(e.getMessage().contains(journalFile().toString()), e.getMessage());
                assertTrue(e.getMessage().contains("could not be written"), e.getMessage());
                assertInstanceOf(ClosedChannelException.class, e.getCause());
            }
        }

        @Test
        void onFailureIsToldOnceWithTheCause() throws Exception {
            CompletableFuture<IOException> told = new CompletableFuture<>();
            List<IOException> all = new CopyOnWriteArrayList<>();
            FileChannel broken = brokenSegment();
            Journal journal = Journal.open(journalFile(), e -> {
                all.add(e);
                told.complete(e);
            });
            try {
                journal.done(done(1), List.of(broken));

                assertInstanceOf(ClosedChannelException.class, told.get(HANG.toSeconds(), TimeUnit.SECONDS));
                assertThrows(IOException.class, () -> journal.done(done(2), List.of(broken)));
            } finally {
                assertTimeoutPreemptively(HANG, journal::close);
            }
            assertEquals(1, all.size(), "told once: " + all);
        }

        @Test
        void afterAFailureEveryLaterEventThrowsAndNothingMoreIsRecorded() throws Exception {
            CompletableFuture<IOException> told = new CompletableFuture<>();
            FileChannel broken = brokenSegment();
            Journal journal = Journal.open(journalFile(), told::complete);
            try {
                journal.done(done(1), List.of(broken));
                told.get(HANG.toSeconds(), TimeUnit.SECONDS);

                IOException e = assertThrows(IOException.class, () -> journal.done(done(2), List.of()));
                assertTrue(e.getMessage().contains(journalFile().toString()), e.getMessage());
                assertThrows(IOException.class, () -> journal.failed(3, 1, "x"));
                assertTimeoutPreemptively(HANG, () -> {
                    assertThrows(IOException.class, () -> journal.published("results-csv", tmp.resolve("x.csv")));
                    assertThrows(IOException.class, () -> journal.finished(RunEnd.PARTIAL));
                    assertThrows(IOException.class, journal::flush);
                });
            } finally {
                assertTimeoutPreemptively(HANG, journal::close);
            }

            JournalState state = read();
            assertEquals(Map.of(), state.done(), "the chunk whose segment could not be forced is not done");
            assertEquals(Map.of(), state.published());
            assertNull(state.finished());
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Helpers

    private JournalState readQuietly() {
        try {
            return read();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * A stand-in for a spool segment that only counts {@link #force} calls and runs a probe in them
     * (on the journal thread), so a test can see what the journal had written at that moment.
     */
    private static final class SegmentProbe extends FileChannel {
        private final Runnable onForce;
        private final List<Boolean> forced = Collections.synchronizedList(new ArrayList<>());

        SegmentProbe(Runnable onForce) {
            this.onForce = onForce;
        }

        int forces() {
            return forced.size();
        }

        @Override
        public void force(boolean metaData) {
            onForce.run();
            forced.add(metaData);
        }

        @Override
        protected void implCloseChannel() {
        }

        @Override
        public int read(ByteBuffer dst) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long read(ByteBuffer[] dsts, int offset, int length) {
            throw new UnsupportedOperationException();
        }

        @Override
        public int write(ByteBuffer src) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long position() {
            return 0;
        }

        @Override
        public FileChannel position(long newPosition) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long size() {
            return 0;
        }

        @Override
        public FileChannel truncate(long size) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long transferTo(long position, long count, WritableByteChannel target) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long transferFrom(ReadableByteChannel src, long position, long count) {
            throw new UnsupportedOperationException();
        }

        @Override
        public int read(ByteBuffer dst, long position) {
            throw new UnsupportedOperationException();
        }

        @Override
        public int write(ByteBuffer src, long position) {
            throw new UnsupportedOperationException();
        }

        @Override
        public MappedByteBuffer map(MapMode mode, long position, long size) {
            throw new UnsupportedOperationException();
        }

        @Override
        public FileLock lock(long position, long size, boolean shared) {
            throw new UnsupportedOperationException();
        }

        @Override
        public FileLock tryLock(long position, long size, boolean shared) {
            throw new UnsupportedOperationException();
        }
    }
}
