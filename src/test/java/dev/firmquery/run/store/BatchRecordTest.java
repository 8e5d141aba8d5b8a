package dev.firmquery.run.store;

import dev.firmquery.testing.OtherOsUser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The record of a batch read back from disk, where anyone may have changed it: what was written comes
 * back, and a folder or file that is not the user's own and private, or a line firmquery does not
 * write, is refused with where and why.
 */
class BatchRecordTest {
    private static final Set<String> STATUSES = Set.of("COMPLETED", "PARTIAL", "FAILED", "CANCELLED", "INTERNAL_ERROR");

    @TempDir
    Path tmp;

    private BatchRecord create() throws Exception {
        return BatchRecord.create(tmp.resolve("out"), "20261203_080000-abcd", tmp.resolve("jobs.yaml"), "ab12");
    }

    @Test
    void theJobsStartedAndEndedComeBackAfterAReopen() throws Exception {
        Path dir;
        try (BatchRecord r = create()) {
            dir = r.directory();
            r.started(0, "run-a", tmp.resolve("out/a_report.json"));
            r.ended(0, "COMPLETED");
            r.started(1, "run-b", tmp.resolve("out/b_report.json"));
        }
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("jobs.log"))));
        try (BatchRecord r = BatchRecord.open(dir, STATUSES)) {
            assertEquals(tmp.resolve("jobs.yaml"), r.batchFile());
            assertEquals("ab12", r.sha256());
            assertEquals(new BatchRecord.JobState("run-a", tmp.resolve("out/a_report.json"), "COMPLETED"), r.job(0));
            assertEquals(new BatchRecord.JobState("run-b", tmp.resolve("out/b_report.json"), null), r.job(1));
            assertNull(r.job(2).runId());
            assertFalse(r.allEnded(2));
        }
    }

    @Test
    void aLastLineCutShortByACrashIsAnEventThatDidNotHappen() throws Exception {
        Path dir;
        try (BatchRecord r = create()) {
            dir = r.directory();
            r.started(0, "run-a", tmp.resolve("out/a_report.json"));
        }
        Files.writeString(dir.resolve("jobs.log"), "ended 0 COMPL", java.nio.file.StandardOpenOption.APPEND);
        try (BatchRecord r = BatchRecord.open(dir, STATUSES)) {
            assertNull(r.job(0).ended());
        }
    }

    @Test
    void aLineFirmqueryDoesNotWriteIsRefusedWithItsLine() throws Exception {
        Path dir;
        try (BatchRecord r = create()) {
            dir = r.directory();
            r.started(0, "run-a", tmp.resolve("out/a_report.json"));
        }
        Files.writeString(dir.resolve("jobs.log"), "ended 0 DONE_BY_SOMEONE\nended 0 COMPLETED\n",
                java.nio.file.StandardOpenOption.APPEND);
        RunStoreException e = assertThrows(RunStoreException.class, () -> BatchRecord.open(dir, STATUSES));
        assertTrue(e.getMessage().contains("jobs.log:2: not a line firmquery writes"), e.getMessage());
    }

    @Test
    void aRecordFolderOthersCanWriteIsRefused() throws Exception {
        Path dir;
        try (BatchRecord r = create()) {
            dir = r.directory();
        }
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwx---"));
        RunStoreException e = assertThrows(RunStoreException.class, () -> BatchRecord.open(dir, STATUSES));
        assertTrue(e.getMessage().contains("can be written by its group"), e.getMessage());
    }

    @Test
    void aJournalThatIsALinkIsRefusedNotFollowed() throws Exception {
        Path dir;
        try (BatchRecord r = create()) {
            dir = r.directory();
        }
        Path elsewhere = Files.writeString(tmp.resolve("elsewhere.log"), "started 0 run-x /etc/passwd\n");
        Files.createSymbolicLink(dir.resolve("jobs.log"), elsewhere);
        RunStoreException e = assertThrows(RunStoreException.class, () -> BatchRecord.open(dir, STATUSES));
        assertTrue(e.getMessage().contains("is not a regular file of your own"), e.getMessage());
    }

    @Test
    void aRecordAnotherUserOwnsIsRefused() throws Exception {
        Path dir;
        try (BatchRecord r = create()) {
            dir = r.directory();
        }
        OtherOsUser.own(dir);
        RunStoreException e = assertThrows(RunStoreException.class, () -> BatchRecord.open(dir, STATUSES));
        assertTrue(e.getMessage().contains("belongs to " + OtherOsUser.NAME + ", not to you"), e.getMessage());
    }

    @Test
    void aFolderThatIsNotABatchRecordIsRefused() throws Exception {
        RunStoreException e = assertThrows(RunStoreException.class, () -> BatchRecord.open(tmp, STATUSES));
        assertTrue(e.getMessage().contains("is not a batch folder"), e.getMessage());
    }

    @Test
    void aBatchWhoseJobsAllEndedIsDeletedWithItsEmptyStoreFolder() throws Exception {
        BatchRecord r = create();
        r.started(0, "run-a", tmp.resolve("out/a_report.json"));
        r.ended(0, "PARTIAL");
        assertTrue(r.allEnded(1));
        r.delete();
        assertFalse(Files.exists(tmp.resolve("out/.firmquery")));
    }

    private BatchRecord createForCommand() throws Exception {
        return BatchRecord.createForCommand(tmp.resolve("out"), "20261203_080000-beef", "jobs:\n  - query: firm_names\n");
    }

    @Test
    void aCommandLinesJobsAreRecordedAsAPrivateBatchFileInTheRecordsOwnFolder() throws Exception {
        Path dir;
        try (BatchRecord r = createForCommand()) {
            dir = r.directory();
            assertTrue(r.recordsCommand());
        }
        Path file = dir.resolve(BatchRecord.COMMAND_FILE);
        assertEquals("jobs:\n  - query: firm_names\n", Files.readString(file));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        try (BatchRecord r = BatchRecord.open(dir, STATUSES)) {
            assertEquals(file, r.batchFile());
            assertTrue(r.recordsCommand());
            assertEquals(java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(Files.readAllBytes(file))), r.sha256());
        }
        try (BatchRecord r = create()) {
            assertFalse(r.recordsCommand(), "a batch file's record");
        }
    }

    @Test
    void aCommandsBatchFilePlantedByAnotherUserIsRefused() throws Exception {
        Path dir;
        try (BatchRecord r = createForCommand()) {
            dir = r.directory();
        }
        OtherOsUser.own(dir.resolve(BatchRecord.COMMAND_FILE));
        RunStoreException e = assertThrows(RunStoreException.class, () -> BatchRecord.open(dir, STATUSES));
        assertTrue(e.getMessage().contains(BatchRecord.COMMAND_FILE + " is not a regular file of your own"), e.getMessage());
    }

    @Test
    void aCommandsBatchFileThatIsALinkIsRefusedNotFollowed() throws Exception {
        Path dir;
        try (BatchRecord r = createForCommand()) {
            dir = r.directory();
        }
        Path elsewhere = Files.writeString(tmp.resolve("elsewhere.yaml"), "jobs:\n  - query: firm_details\n");
        Files.delete(dir.resolve(BatchRecord.COMMAND_FILE));
        Files.createSymbolicLink(dir.resolve(BatchRecord.COMMAND_FILE), elsewhere);
        RunStoreException e = assertThrows(RunStoreException.class, () -> BatchRecord.open(dir, STATUSES));
        assertTrue(e.getMessage().contains("is not a regular file of your own"), e.getMessage());
    }

    @Test
    void aRecordInAFirmqueryFolderAnotherUserOwnsIsRefused() throws Exception {
        Path dir;
        try (BatchRecord r = createForCommand()) {
            dir = r.directory();
        }
        Files.getFileAttributeView(dir.getParent(), java.nio.file.attribute.PosixFileAttributeView.class,
                java.nio.file.LinkOption.NOFOLLOW_LINKS).setOwner(OtherOsUser.principal());
        RunStoreException e = assertThrows(RunStoreException.class, () -> BatchRecord.open(dir, STATUSES));
        assertTrue(e.getMessage().contains("belongs to " + OtherOsUser.NAME + ", not to you"), e.getMessage());
    }
}
