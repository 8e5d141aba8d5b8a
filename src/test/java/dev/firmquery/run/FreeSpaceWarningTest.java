package dev.firmquery.run;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The low-disk warning the UI shows before a run (docs/operations.md, "Disk full"). */
class FreeSpaceWarningTest {
    @TempDir
    Path dir;

    @Test
    @DisplayName("under about 2 KB per ID the warning names the folder, the free and the needed MB, and the fix")
    void warnsUnderTwoKilobytesPerId() {
        Optional<String> w = RunSetup.lowSpace(Path.of("/data/out"), 100L << 20, 100_000);
        assertTrue(w.isPresent());
        assertEquals("only 100 MB free in /data/out; a run over 100,000 IDs may need about 195 MB (more if the query"
                + " returns many rows per ID); if the disk fills up, the run stops and can be resumed: free some space"
                + " or choose another output folder", w.get());
    }

    @Test
    @DisplayName("with room for 2 KB per ID there is no warning")
    void quietWithRoom() {
        assertEquals(Optional.empty(), RunSetup.lowSpace(Path.of("/data/out"), 2048L * 100_000, 100_000));
    }

    @Test
    @DisplayName("a folder that does not exist yet is judged by the nearest existing parent's file system")
    void missingFolderUsesItsParent() {
        // A small run on the test's own file system: room enough, and no exception for the missing folder.
        assertEquals(Optional.empty(), RunSetup.freeSpaceWarning(dir.resolve("not/yet/there"), 10));
        assertTrue(RunSetup.freeSpaceWarning(dir.resolve("not/yet/there"), Integer.MAX_VALUE).orElseThrow()
                .contains(" free in " + dir.toAbsolutePath()), "names the existing parent");
    }
}
