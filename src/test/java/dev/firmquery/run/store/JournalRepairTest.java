package dev.firmquery.run.store;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Set;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A journal whose last record was torn by a crash (no newline; or a multi-byte character cut in
 * half) is repaired when the next session opens it: cut back to its last complete record, with a log
 * line saying what was dropped, so this session's lines are read back whole.
 */
@DisplayName("Run journal: a torn tail")
class JournalRepairTest {
    @TempDir
    Path tmp;

    private ListAppender<ILoggingEvent> journalLog;

    @BeforeEach
    void captureLog() {
        journalLog = new ListAppender<>();
        journalLog.start();
        ((Logger) LoggerFactory.getLogger(Journal.class)).addAppender(journalLog);
    }

    @AfterEach
    void releaseLog() {
        ((Logger) LoggerFactory.getLogger(Journal.class)).detachAppender(journalLog);
    }

    private static byte[] line(String event) {
        CRC32 crc = new CRC32();
        byte[] e = event.getBytes(StandardCharsets.UTF_8);
        crc.update(e);
        return String.format("%08x %s\n", crc.getValue(), event).getBytes(StandardCharsets.UTF_8);
    }

    private static SpooledChunk done(int chunk) {
        return new SpooledChunk(chunk, chunk * 10L, 1,
                new SpooledChunk.Range("s1-w1.csv", chunk * 1000L, 1000, chunk * 7919), null, new BitSet());
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private Path journal(byte[] content) throws IOException {
        Path f = tmp.resolve("journal.log");
        Files.write(f, content);
        return f;
    }

    /** Opens the journal as a resumed session does, records {@code chunk} as done and closes it. */
    private static void appendDone(Path file, int chunk) throws IOException {
        try (Journal j = Journal.open(file, e -> { })) {
            j.done(done(chunk), List.of());
        }
    }

    private String warnings() {
        return String.join("\n", journalLog.list.stream().map(ILoggingEvent::getFormattedMessage).toList());
    }

    @Test
    void aRecordTornBeforeItsNewlineIsCutOnOpenAndTheNextSessionsLineIsReadBack() throws IOException {
        byte[] whole = concat(line(done(1).line()), line(done(2).line()));
        byte[] torn = line(done(3).line());
        Path f = journal(concat(whole, Arrays.copyOf(torn, torn.length - 9)));

        appendDone(f, 4);

        byte[] after = Files.readAllBytes(f);
        assertArrayEquals(whole, Arrays.copyOf(after, whole.length), "the complete records are kept byte for byte");
        assertArrayEquals(line(done(4).line()), Arrays.copyOfRange(after, whole.length, after.length));
        assertEquals(Set.of(1, 2, 4), Journal.read(f).done().keySet());
        assertTrue(warnings().contains("dropped a torn last record of " + (torn.length - 9) + " bytes"), warnings());
        assertTrue(warnings().contains("done 3 30"), "the log line shows what was dropped: " + warnings());
    }

    @Test
    void aMultiByteCharacterCutInHalfIsDroppedWithItsRecordAndTheJournalStaysReadable() throws IOException {
        byte[] whole = line("failed 1 3 relation \"firmen_zürich\" does not exist");
        byte[] torn = line("failed 2 3 relation \"firmen_müller\" does not exist");
        int cut = indexOf(torn, (byte) 0xC3) + 1; // after the first of the two bytes of ü
        Path f = journal(concat(whole, Arrays.copyOf(torn, cut)));

        try (Journal j = Journal.open(f, e -> { })) {
            j.failed(3, 1, "canceling statement due to statement timeout — ü");
        }

        JournalState state = Journal.read(f);
        assertEquals(Set.of(1, 3), state.failed().keySet());
        assertEquals("relation \"firmen_zürich\" does not exist", state.failed().get(1).error());
        assertEquals("canceling statement due to statement timeout — ü", state.failed().get(3).error());
        assertTrue(warnings().contains("dropped a torn last record of " + cut + " bytes"), warnings());
    }

    @Test
    void aJournalEndingInACompleteRecordIsLeftAsItIs() throws IOException {
        byte[] whole = concat(line(done(1).line()), line(done(2).line()));
        Path f = journal(whole);

        appendDone(f, 3);

        assertArrayEquals(concat(whole, line(done(3).line())), Files.readAllBytes(f));
        assertEquals("", warnings());
    }

    @Test
    void aCutCharacterFollowedByLaterRecordsCostsOnlyItsOwnLine() throws IOException {
        // What an earlier version left: it appended after a torn record instead of repairing it.
        byte[] torn = line("failed 2 3 relation \"firmen_müller\" does not exist");
        byte[] cut = Arrays.copyOf(torn, indexOf(torn, (byte) 0xC3) + 1);
        Path f = journal(concat(line(done(1).line()), cut, line(done(3).line()), line(done(4).line())));

        JournalState state = Journal.read(f);

        assertEquals(Set.of(1, 4), state.done().keySet(), "the glued line is lost, the journal is still read");
    }

    private static int indexOf(byte[] bytes, byte b) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        throw new AssertionError("no byte " + b);
    }
}
