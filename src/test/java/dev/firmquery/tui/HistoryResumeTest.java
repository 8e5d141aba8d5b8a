package dev.firmquery.tui;

import com.googlecode.lanterna.input.KeyType;
import dev.firmquery.testing.RealRunHarness;
import dev.firmquery.testing.TestPostgres;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;

import static dev.firmquery.tui.InputWindowTest.flat;
import static dev.firmquery.tui.ScreenHarness.alt;
import static dev.firmquery.tui.ScreenHarness.key;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The run history resumes an unfinished run (a real partial run against a real PostgreSQL) with {@code u}. */
class HistoryResumeTest {
    @TempDir
    Path dir;

    @AutoClose
    private final RealRunHarness runs = new RealRunHarness();

    @Test
    @DisplayName("u on a partial run whose working folder is kept runs its failed chunk, as F6 would")
    void uResumesAPartialRun() throws IOException, SQLException {
        TestPostgres.TestDatabase db = RealRunHarness.firms("tui_history_resume", 40);
        Path query = Files.writeString(dir.resolve("fragile.sql"), RealRunHarness.FRAGILE);
        Path ids = RealRunHarness.ids(dir.resolve("ids.txt"), 1, 40);
        ScreenHarness ui = runs.session(db, dir).ids(ids).query(query.toString())
                .set("processing.chunk_size=10", "processing.retry_delay=0").open(ScreenHarness::new);
        ui.awaitText("Preview: ready to run");
        ui.press(KeyType.F5);
        ui.awaitText("Run 1: PARTIAL");
        RealRunHarness.fix(db);

        String screen = ui.press(alt('t')).awaitText("Run history");
        assertTrue(flat(screen).contains(": partial, 1 failed chunk; u resumes"), screen);
        assertTrue(screen.contains("u resume"), screen);
        ui.press(key('u'));
        screen = ui.awaitText("Run 2: COMPLETED");
        assertTrue(flat(screen).contains("Chunks 4: 4 succeeded, 0 failed, 0 not run"), screen);
        assertTrue(flat(screen).contains("Rows 40 missing IDs 0 failed IDs 0"), screen);
    }
}
