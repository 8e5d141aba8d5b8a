package dev.firmquery.tui;

import com.googlecode.lanterna.input.KeyType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static dev.firmquery.tui.InputWindowTest.flat;
import static dev.firmquery.tui.ScreenHarness.alt;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The configuration window: effective values with their sources, and the session's edits. */
class ConfigWindowTest {
    @TempDir
    Path dir;

    private ScreenHarness ui;

    @AfterEach
    void close() {
        ui.close();
    }

    /** Every line the settings list shows, scrolling it page by page from the configuration window. */
    private String allSettings() {
        ui.press(KeyType.F7);
        for (int i = 0; i < 9; i++) {
            ui.press(KeyType.Tab);
        }
        ui.press(KeyType.Home);
        StringBuilder all = new StringBuilder(ui.text());
        for (int i = 0; i < 6; i++) {
            ui.press(KeyType.PageDown);
            all.append(ui.text());
        }
        return flat(all.toString());
    }

    private void clear(int chars) {
        ui.press(KeyType.End);
        for (int i = 0; i < chars; i++) {
            ui.press(KeyType.Backspace);
        }
    }

    @Test
    @DisplayName("every setting is listed with its value and where it came from")
    void settingsWithSources() {
        ui = new ScreenHarness(Sessions.session(dir, "processing.max_retries=4"), new ScriptedRunner());
        String all = allSettings();
        assertTrue(all.contains("Effective configuration"), all);
        assertTrue(all.contains("processing.max_retries = 4 (--set)"), all);
        assertTrue(all.contains("processing.chunk_size = 250 (default)"), all);
        assertTrue(all.contains("database.host = localhost (default)"), all);
    }

    @Test
    @DisplayName("the editable values show what they mean and their range, from the table of settings")
    void fieldsShowTheTablesRanges() {
        ui = new ScreenHarness(Sessions.session(dir), new ScriptedRunner());
        ui.press(KeyType.F7);
        String screen = ui.text();
        assertTrue(screen.contains("IDs per statement, 1 to 10,000 (processing.chunk_size)"), screen);
        assertTrue(screen.contains("retries of a failing chunk, 0 to 20 (processing.max_retries)"), screen);
    }

    @Test
    @DisplayName("an applied chunk size re-plans the loaded input and is marked as edited in this session")
    void chunkSizeEdit() throws IOException {
        Path ids = dir.resolve("ids.csv");
        Files.writeString(ids, InputWindowTest.IDS);
        ui = new ScreenHarness(Sessions.session(dir, Map.of(), new TuiSession.Preselection(ids, "firm_names", null,
                null)), new ScriptedRunner());
        ui.awaitText("Plan   1 chunk of ≤ 4 IDs");
        ui.press(KeyType.F7);
        clear(3);
        ui.type("2").press(alt('a'));
        String screen = ui.text();
        assertTrue(screen.contains("Applied to the next runs of this session."), screen);
        assertTrue(allSettings().contains("processing.chunk_size = 2 (edited in this session)"));
        ui.press(KeyType.F2);
        assertTrue(ui.awaitText("Plan   2 chunks of ≤ 2 IDs").contains("Ready"), ui.text());
    }

    @Test
    @DisplayName("an invalid value is refused with the range and the key, and nothing changes")
    void invalidValue() {
        ui = new ScreenHarness(Sessions.session(dir), new ScriptedRunner());
        ui.press(KeyType.F7);
        clear(3);
        ui.type("0").press(alt('a'));
        String screen = ui.text();
        assertTrue(flat(screen).contains("Chunk size 0 is out of range; enter 1 to 10,000"), screen);
        assertFalse(allSettings().contains("edited in this session"));
        ui.press(alt('z'));
        assertTrue(ui.text().contains("Back to the configured values."), ui.text());
    }

    @Test
    @DisplayName("an output directory applied here is what the input window shows and the next run uses")
    void outputDirectoryEdit() {
        ui = new ScreenHarness(Sessions.session(dir), new ScriptedRunner());
        ui.press(KeyType.F7, KeyType.Tab, KeyType.Tab);
        clear("./output".length());
        ui.type(dir.resolve("elsewhere").toString()).press(alt('a'));
        ui.press(KeyType.F2);
        assertTrue(ui.text().contains("Output     " + dir.resolve("elsewhere")), ui.text());
        assertTrue(ui.ui.currentConfig().output().defaultDirectory().equals(dir.resolve("elsewhere")));
    }
}
