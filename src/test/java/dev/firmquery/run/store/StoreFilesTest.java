package dev.firmquery.run.store;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** What another local user may plant in a run folder is never written through. */
class StoreFilesTest {
    @TempDir
    Path dir;

    @Test
    @DisplayName("a durable write goes to a new 0600 file, never through a link planted at its temporary name")
    void durableWriteIgnoresAPlantedTemporaryLink() throws IOException {
        Path victim = Files.writeString(dir.resolve("victim.txt"), "untouched");
        Files.createSymbolicLink(dir.resolve("run.properties.tmp"), victim);

        StoreFiles.writeDurably(dir.resolve("run.properties"), out -> out.write("a=1\n".getBytes(StandardCharsets.UTF_8)));

        assertEquals("untouched", Files.readString(victim));
        assertEquals("a=1\n", Files.readString(dir.resolve("run.properties")));
        assertFalse(Files.isSymbolicLink(dir.resolve("run.properties")));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("run.properties"))));
        assertFalse(Files.exists(dir.resolve("run.properties.tmp"), LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    @DisplayName("the journal, the lock and a standalone spool refuse a symbolic link in their place")
    void linksInPlaceOfWrittenFilesAreRefused() throws IOException {
        Path victim = Files.writeString(dir.resolve("victim.txt"), "untouched");
        for (String name : new String[] {"journal.log", "lock", "rows.spool"}) {
            Files.createSymbolicLink(dir.resolve(name), victim);
        }
        assertThrows(IOException.class, () -> StoreFiles.openForAppending(dir.resolve("journal.log")).close());
        assertThrows(IOException.class, () -> StoreFiles.openLock(dir.resolve("lock")).close());
        assertThrows(IOException.class, () -> StoreFiles.openExistingLock(dir.resolve("lock")).close());
        assertThrows(IOException.class, () -> StoreFiles.createOrTruncate(dir.resolve("rows.spool")).close());
        assertArrayEquals("untouched".getBytes(StandardCharsets.UTF_8), Files.readAllBytes(victim));
    }

    @Test
    @DisplayName("a new journal and lock are created 0600")
    void newFilesAreOwnerOnly() throws IOException {
        StoreFiles.openForAppending(dir.resolve("journal.log")).close();
        StoreFiles.openLock(dir.resolve("lock")).close();
        for (String name : new String[] {"journal.log", "lock"}) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(name))), name);
        }
    }
}
