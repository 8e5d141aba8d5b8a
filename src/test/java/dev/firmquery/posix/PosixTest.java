package dev.firmquery.posix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PosixTest {
    @TempDir
    Path dir;

    @Test
    void aFileThisProcessCreatesIsOwnedByItsUser() throws Exception {
        Path f = Files.createFile(dir.resolve("mine"));
        assertEquals(Posix.currentUid(), Posix.uid(f, false));
        assertTrue(Posix.ownedByMe(f));
    }

    @Test
    void aLinkIsReadItselfUnlessFollowed() throws Exception {
        Path target = Files.createDirectory(dir.resolve("target"));
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwx------"));
        Path link = Files.createSymbolicLink(dir.resolve("link"), target);
        assertEquals(0700, Posix.mode(link, true));
        assertEquals(0777, Posix.mode(link, false), "a link's own mode on Linux");
    }

    @Test
    void theStickyBitIsInTheMode() throws Exception {
        Path shared = Files.createDirectory(dir.resolve("shared"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertEquals(0, Posix.mode(shared, false) & Posix.STICKY);
        assertTrue((Posix.mode(Path.of("/tmp"), true) & Posix.STICKY) != 0, "/tmp is sticky on Debian");
    }

    @Test
    void modesPrintAsChmodWritesThem() {
        assertEquals("0755", Posix.octal(0755));
        assertEquals("1777", Posix.octal(01777));
        assertEquals("0600", Posix.octal(0100600), "the file-type bits are not a mode");
    }

    @Test
    void aRootOwnedFileIsNotMineUnlessIAmRoot() throws Exception {
        Path passwd = Path.of("/etc/passwd");
        assertEquals(0, Posix.uid(passwd, true));
        assertEquals(Posix.currentUid() == 0, Posix.ownedByMe(passwd));
        assertFalse(Posix.isUnix(null));
    }
}
