package dev.firmquery.run;

import dev.firmquery.config.AppConfig;
import dev.firmquery.config.ConfigException;
import dev.firmquery.config.ConfigLoader;
import dev.firmquery.config.ConfigRequest;
import dev.firmquery.run.store.RunStore;
import dev.firmquery.run.store.RunStoreException;
import dev.firmquery.testing.TestConfigs;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A resume refuses a folder the run store cannot use: exit 2, with the store's message and fix. */
@DisplayName("Resuming a folder the run store refuses")
class RunSetupResumeTest {
    @TempDir
    Path tmp;

    private RunSetup setup() throws ConfigException {
        AppConfig config = new ConfigLoader(TestConfigs.home(), Map.of(), tmp)
                .load(new ConfigRequest(null, null, List.of())).config();
        return new RunSetup(config, RunSetup.queryRoots(TestConfigs.home()), Clock.systemUTC());
    }

    private Path runFolder(String manifest) throws IOException {
        Path dir = Files.createDirectories(RunStore.pathOf(tmp.resolve("out"), "20261122_101500-abcd"));
        Files.writeString(dir.resolve("run.properties"), manifest);
        return dir;
    }

    @Test
    void aManifestWithAMissingKeyIsRefusedWithExit2NamingTheKey() throws Exception {
        Path dir = runFolder("format=1\n");

        RunException e = assertThrows(RunException.class, () -> setup().resume(dir, false));

        assertEquals(dev.firmquery.exit.ExitCode.USAGE, e.exitCode());
        assertTrue(e.getMessage().contains("the key run_id is missing"), e.getMessage());
        assertTrue(e.getMessage().contains("start a new run"), e.getMessage());
        assertInstanceOf(RunStoreException.class, e.getCause());
    }

    @Test
    void aFolderWithoutAManifestIsRefusedWithExit2TellingWhichFolderToPass() throws Exception {
        Path notARun = Files.createDirectories(tmp.resolve("out"));

        RunException e = assertThrows(RunException.class, () -> setup().resume(notARun, false));

        assertEquals(dev.firmquery.exit.ExitCode.USAGE, e.exitCode());
        assertTrue(e.getMessage().contains("is not a firmquery run directory (no run.properties)"), e.getMessage());
        assertTrue(e.getMessage().contains("<out>/.firmquery/<run-id>"), e.getMessage());
    }
}
