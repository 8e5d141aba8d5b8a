package dev.firmquery.tui;

import com.googlecode.lanterna.input.KeyType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import static dev.firmquery.tui.InputWindowTest.flat;
import static dev.firmquery.tui.ScreenHarness.alt;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The UI under an administrator's policy: locked settings read-only, unapproved queries not offered. */
class PolicyWindowTest {
    @TempDir
    Path dir;

    private ScreenHarness ui;

    @AfterEach
    void close() {
        if (ui != null) {
            ui.close();
        }
    }

    /** A session whose system file (0644 in a 0755 folder) holds {@code yaml}. */
    private ScreenHarness open(String yaml) throws IOException {
        Path etc = Files.createDirectories(dir.resolve("etc"));
        Path file = Files.writeString(etc.resolve("config.yaml"), yaml);
        Files.setPosixFilePermissions(etc, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        ui = new ScreenHarness(Sessions.session(dir, Map.of("FIRMQUERY_SYSTEM_CONFIG", file.toString()),
                TuiSession.Preselection.none()), new ScriptedRunner());
        return ui;
    }

    @Test
    @DisplayName("a locked chunk size is shown read-only: typing does not change it and Apply keeps the policy's value")
    void lockedFieldIsReadOnly() throws IOException {
        open("processing:\n  chunk_size: 300\npolicy:\n  locked: [processing.chunk_size]\n");
        ui.press(KeyType.F7);
        String screen = flat(ui.text());
        assertTrue(screen.contains("locked by policy, read-only (processing.chunk_size)"), screen);
        assertTrue(screen.contains("retries of a failing chunk, 0 to 20 (processing.max_retries)"), screen);

        ui.press(KeyType.End).press(KeyType.Backspace).press(KeyType.Backspace).type("9").press(alt('a'));

        screen = flat(ui.text());
        assertTrue(screen.contains("Chunk size 300"), screen);
        assertFalse(screen.contains("edited in this session"), screen);
    }

    @Test
    @DisplayName("the settings list marks the locked keys")
    void settingsListMarksLockedKeys() throws IOException {
        open("policy:\n  locked: [processing.chunk_size]\n");
        ui.press(KeyType.F7);
        for (int i = 0; i < 9; i++) {
            ui.press(KeyType.Tab);
        }
        ui.press(KeyType.Home);
        StringBuilder all = new StringBuilder(ui.text());
        for (int i = 0; i < 7; i++) {
            ui.press(KeyType.PageDown);
            all.append(ui.text());
        }
        String text = flat(all.toString());
        assertTrue(text.contains("processing.chunk_size = 250 (default) locked by policy"), text);
        assertFalse(text.contains("processing.max_retries = 2 (default) locked"), text);
    }

    @Test
    @DisplayName("only approved queries are offered")
    void unapprovedQueriesAreNotOffered() throws IOException {
        open("policy:\n  approved_queries: [firm_names]\n");
        String screen = ui.text();
        assertTrue(screen.contains("▸ firm_names  Firm names only"), screen);
        assertFalse(screen.contains("firm_details"), screen);
    }
}
