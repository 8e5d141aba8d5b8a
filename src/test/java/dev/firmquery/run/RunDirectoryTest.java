package dev.firmquery.run;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunDirectoryTest {
    @TempDir
    Path out;

    private Path runDir(String manifest) throws IOException {
        Path dir = Files.createDirectories(out.resolve(RunDirectory.DIR_NAME).resolve("20261122_101500-abcd"));
        Files.writeString(dir.resolve("run.properties"), manifest);
        return dir;
    }

    @Test
    void aManifestWithAMissingKeyNamesTheKey() throws Exception {
        RunDirectory dir = RunDirectory.open(runDir("format=1\n"));
        RunException e = assertThrows(RunException.class, dir::manifest);
        assertTrue(e.getMessage().contains("the key run_id is missing"), e.getMessage());
        assertTrue(e.getMessage().contains("start a new run"), e.getMessage());
        assertEquals(2, e.exitCode());
    }

    @Test
    void deletingARunDirectoryRemovesTheFirmqueryFolderWhenItIsEmpty() throws Exception {
        Path dir = runDir("format=1\n");
        Files.writeString(out.resolve("firm_query_x.csv"), "published");
        RunDirectory.delete(dir);
        assertFalse(Files.exists(out.resolve(RunDirectory.DIR_NAME)));
        assertTrue(Files.exists(out.resolve("firm_query_x.csv")), "published files stay");
    }

    @Test
    void deletingSomethingElseIsRefused() throws Exception {
        Path other = Files.createDirectories(out.resolve("not-a-run"));
        IOException e = assertThrows(IOException.class, () -> RunDirectory.delete(other));
        assertTrue(e.getMessage().contains("is not a run directory"), e.getMessage());
        assertTrue(Files.exists(other));
    }
}
