package dev.firmquery.run.store;

import dev.firmquery.exit.ExitCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunDirectoryTest {
    @TempDir
    Path out;

    private Path runDir(String manifest) throws IOException {
        Path dir = Files.createDirectories(out.resolve(RunStore.DIR_NAME).resolve("20261122_101500-abcd"));
        Files.writeString(dir.resolve("run.properties"), manifest);
        return dir;
    }

    @Test
    void aManifestWithAMissingKeyNamesTheKey() throws Exception {
        RunDirectory dir = RunDirectory.open(runDir("format=1\n"));
        RunStoreException e = assertThrows(RunStoreException.class, dir::manifest);
        assertTrue(e.getMessage().contains("the key run_id is missing"), e.getMessage());
        assertTrue(e.getMessage().contains("start a new run"), e.getMessage());
        assertEquals(ExitCode.USAGE, e.exitCode());
    }

    @Test
    void deletingARunDirectoryRemovesTheFirmqueryFolderWhenItIsEmpty() throws Exception {
        Path dir = runDir("format=1\n");
        Files.writeString(out.resolve("firm_query_x.csv"), "published");
        RunDirectory.delete(dir);
        assertFalse(Files.exists(out.resolve(RunStore.DIR_NAME)));
        assertTrue(Files.exists(out.resolve("firm_query_x.csv")), "published files stay");
    }

    @Test
    void deletingSomethingElseIsRefused() throws Exception {
        Path other = Files.createDirectories(out.resolve("not-a-run"));
        IOException e = assertThrows(IOException.class, () -> RunDirectory.delete(other));
        assertTrue(e.getMessage().contains("is not a run directory"), e.getMessage());
        assertTrue(Files.exists(other));
    }
    private RunDirectory newRun() throws RunStoreException {
        return RunDirectory.create(out, "20261122_101500-abcd");
    }

    private static void touch(Path file) throws IOException {
        Files.write(file, new byte[0]);
    }

    @Test
    void theFirstSessionOfARunGetsPrefixS1() throws Exception {
        assertEquals("s1-", newRun().newSessionPrefix());
    }

    @Test
    void aLaterSessionGetsOneMoreThanTheHighestSessionWithSegmentsIgnoringOtherFiles() throws Exception {
        RunDirectory dir = newRun();
        touch(dir.segment("s1-w1.csv"));
        touch(dir.segment("s3-w2.typed"));
        for (String unrelated : List.of("notes.txt", "s-w1.csv", "sx-w1.csv", "s7", "t9-w1.csv", "s8x-w1.csv")) {
            touch(dir.segment(unrelated));
        }

        assertEquals("s4-", dir.newSessionPrefix());
    }

    @Test
    void sessionNumbersCompareAsNumbersNotAsText() throws Exception {
        RunDirectory dir = newRun();
        touch(dir.segment("s9-w1.csv"));
        touch(dir.segment("s10-w1.csv"));

        assertEquals("s11-", dir.newSessionPrefix());
    }

    @Test
    void segmentsLiveInTheSpoolFolderOfTheRun() throws Exception {
        RunDirectory dir = newRun();

        assertEquals(dir.path().resolve("spool").resolve("s2-w3.csv"), dir.segment("s2-w3.csv"));
        assertTrue(Files.isDirectory(dir.segment("s2-w3.csv").getParent()));
    }
}
