package dev.firmquery.app;

import dev.firmquery.testing.OtherOsUser;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The output folders a user's runs used, kept for the run history in {@code ~/.local/state/firmquery}:
 * newest first and bounded, private when made, and everything read back checked as possibly planted by
 * another user of the host (the list and each folder it names), skipped with the reason, never followed.
 */
class OutputFoldersTest {
    @TempDir
    Path home;

    private OutputFolders folders;

    @BeforeEach
    void folders() {
        folders = new OutputFolders(OutputFolders.stateFolderOf(home));
    }

    private Path folder(String name) throws IOException {
        return Files.createDirectories(home.resolve(name)).toRealPath();
    }

    /**
     * Reads the list, asserting that no folder comes back and that the first one skipped says {@code reason};
     * the reasons, for what more a spec asks of them.
     */
    private List<String> noneBut(String reason) {
        OutputFolders.Remembered read = folders.read();
        assertEquals(List.of(), read.folders());
        assertTrue(read.skipped().get(0).contains(reason), read.skipped().toString());
        return read.skipped();
    }

    /** The folder {@code name} under the home, made and remembered. */
    private Path remembered(String name) throws IOException {
        Path folder = folder(name);
        folders.remember(folder);
        return folder;
    }

    @Test
    @DisplayName("the folders used come back newest first, each once")
    void newestFirst() throws IOException {
        Path a = folder("a");
        Path b = folder("b");
        for (Path used : List.of(a, b, a)) {
            folders.remember(used);
        }
        assertEquals(List.of(a, b), folders.read().folders());
        assertEquals(List.of(), folders.read().skipped());
    }

    @Test
    @DisplayName("at most 20 folders are kept, the oldest dropped")
    void bounded() throws IOException {
        for (int i = 0; i < OutputFolders.MAX_FOLDERS + 5; i++) {
            folders.remember(folder("out" + i));
        }
        List<Path> kept = folders.read().folders();
        assertEquals(OutputFolders.MAX_FOLDERS, kept.size());
        assertEquals(folder("out" + (OutputFolders.MAX_FOLDERS + 4)), kept.get(0));
    }

    @Test
    @DisplayName("the state folder is made 0700 and the list 0600")
    void privateWhenMade() throws IOException {
        remembered("a");
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(OutputFolders.stateFolderOf(home))));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(folders.file())));
    }

    @Test
    @DisplayName("a folder given through a link is remembered as the real folder")
    void realPath() throws IOException {
        Path real = folder("real");
        Path link = Files.createSymbolicLink(home.resolve("via-link"), real);
        folders.remember(link);
        assertEquals(List.of(real), folders.read().folders());
    }

    @Test
    @DisplayName("a list that is a link is not read, and the next run replaces the link with its own list")
    void plantedList() throws IOException {
        Path elsewhere = Files.writeString(home.resolve("planted"), folder("theirs") + "\n");
        Files.createDirectories(OutputFolders.stateFolderOf(home));
        Files.createSymbolicLink(folders.file(), elsewhere);
        noneBut("is a symbolic link");

        Path mine = folder("mine");
        folders.remember(mine);
        assertFalse(Files.isSymbolicLink(folders.file()));
        assertEquals(List.of(mine), folders.read().folders());
        assertEquals(folder("theirs") + "\n", Files.readString(elsewhere), "the link's target is not written");
    }

    @Test
    @DisplayName("a list that group or others may write is not read: chmod 600 it")
    void listOthersMayWrite() throws IOException {
        remembered("a");
        Files.setPosixFilePermissions(folders.file(), PosixFilePermissions.fromString("rw-rw-rw-"));
        List<String> skipped = noneBut("can be written by others (mode rw-rw-rw-)");
        assertTrue(skipped.get(0).contains("chmod 600"), skipped.toString());
    }

    @Test
    @DisplayName("a state folder others may write is neither read nor written: chmod 700 it")
    void stateFolderOthersMayWrite() throws IOException {
        remembered("a");
        Files.setPosixFilePermissions(OutputFolders.stateFolderOf(home), PosixFilePermissions.fromString("rwxrwxrwx"));
        assertTrue(folders.read().skipped().get(0).contains("chmod 700"), folders.read().skipped().toString());
        IOException e = org.junit.jupiter.api.Assertions.assertThrows(IOException.class, () -> folders.remember(folder("b")));
        assertTrue(e.getMessage().contains("can be written by others"), e.getMessage());
    }

    @Test
    @DisplayName("a remembered folder that is a link now is skipped with the reason, not followed")
    void folderReplacedByALink() throws IOException {
        Path a = remembered("a");
        Path b = remembered("b");
        Files.delete(a);
        Files.createSymbolicLink(a, folder("theirs"));
        OutputFolders.Remembered read = folders.read();
        assertEquals(List.of(b), read.folders());
        assertEquals(1, read.skipped().size(), read.skipped().toString());
        assertTrue(read.skipped().get(0).startsWith(a + " is skipped: it is a symbolic link now"), read.skipped().toString());
    }

    @Test
    @DisplayName("a remembered folder under a folder that is a link now is skipped, not followed")
    void parentReplacedByALink() throws IOException {
        Path inner = Files.createDirectories(home.resolve("p/out")).toRealPath();
        folders.remember(inner);
        Path moved = Files.move(home.resolve("p"), home.resolve("q"));
        Files.createSymbolicLink(home.resolve("p"), moved);
        noneBut("a folder above it is a symbolic link now");
    }

    @Test
    @DisplayName("a remembered folder every user may write without the sticky bit is skipped")
    void folderEveryoneMayWrite() throws IOException {
        Path a = remembered("a");
        Files.setPosixFilePermissions(a, PosixFilePermissions.fromString("rwxrwxrwx"));
        noneBut("every user can write it and it has no sticky bit");
    }

    @Test
    @DisplayName("a remembered folder that now belongs to another user is skipped with the reason")
    void folderOfAnotherUser() throws IOException {
        OtherOsUser.require();
        Path a = remembered("a");
        OtherOsUser.own(a);
        noneBut("belongs to " + OtherOsUser.NAME);
    }

    @Test
    @DisplayName("a folder that is gone is left out without a word, and one that never existed is not remembered")
    void goneFolders() throws IOException {
        Path a = remembered("a");
        folders.remember(home.resolve("never"));
        Files.delete(a);
        assertEquals(new OutputFolders.Remembered(List.of(), List.of()), folders.read());
        assertFalse(Files.readString(folders.file()).contains("never"));
        assertTrue(Files.isRegularFile(folders.file(), LinkOption.NOFOLLOW_LINKS));
    }
}
