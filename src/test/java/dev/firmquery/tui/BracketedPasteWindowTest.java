package dev.firmquery.tui;

import com.googlecode.lanterna.input.KeyType;
import dev.firmquery.tui.core.PastedText;
import dev.firmquery.tui.core.View;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static dev.firmquery.tui.InputWindowTest.flat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A bracketed paste on the screen: the paste window opens holding it, Enter loads it (docs/tui.md, "Pasting IDs"). */
class BracketedPasteWindowTest {
    @TempDir
    Path dir;

    private ScreenHarness ui;

    @AfterEach
    void close() {
        if (ui != null) {
            ui.close();
        }
    }

    private ScreenHarness open() {
        ui = new ScreenHarness(Sessions.session(dir), new ScriptedRunner());
        return ui;
    }

    private static String ids(int n) {
        return IntStream.rangeClosed(1, n).mapToObj(i -> Integer.toString(20_000_000 + i)).collect(Collectors.joining("\n"));
    }

    @Test
    @DisplayName("100,000 pasted IDs open the paste window with their exact count; Enter loads them all")
    void aHundredThousandIds() {
        open();
        ui.terminal.addInput(PastedText.of(ids(100_000)));
        ui.settle();
        String screen = ui.text();
        assertTrue(screen.contains("Pasted: 100,000 values; Enter loads them (the preview checks each)"), screen);
        assertTrue(screen.contains("20100000"), "the window holds the IDs, the last in view:\n" + screen);
        ui.press(KeyType.Enter);
        screen = ui.awaitText("Preview: ready to run");
        assertTrue(flat(screen).contains("IDs 100,000 valid, 0 duplicates, 0 invalid, 0 blank"), screen);
    }

    @Test
    @DisplayName("a paste on another window opens the paste window on the input window")
    void fromAnotherWindow() {
        open();
        ui.press(KeyType.F7);
        ui.terminal.addInput(PastedText.of("5 6 7"));
        ui.settle();
        assertEquals(View.INPUT, ui.ui.view());
        assertTrue(ui.text().contains("Pasted: 3 values"), ui.text());
    }

    @Test
    @DisplayName("one pasted path in a text field is typed there, not taken as IDs")
    void aPathIntoTheField() {
        open();
        ui.terminal.addInput(PastedText.of("/data/in/firms.csv"));
        ui.settle();
        assertTrue(ui.row(1).contains("/data/in/firms.csv"), ui.row(1));
        assertFalse(ui.text().contains("Pasted:"), ui.text());
    }

    @Test
    @DisplayName("a second paste while the paste window is open is added to what it holds")
    void secondPasteAdds() {
        open();
        ui.terminal.addInput(PastedText.of("1\n2"));
        ui.settle();
        ui.terminal.addInput(PastedText.of("3\n4\n5"));
        ui.settle();
        assertTrue(ui.text().contains("Pasted: 5 values"), ui.text());
        ui.press(KeyType.Enter);
        assertTrue(flat(ui.awaitText("Preview: ready to run")).contains("IDs 5 valid"), ui.text());
    }

    @Test
    @DisplayName("Esc on a pasted window asks before dropping the paste")
    void escAsks() {
        open();
        ui.terminal.addInput(PastedText.of("1\n2"));
        ui.settle();
        ui.press(KeyType.Escape);
        assertTrue(ui.text().contains("Drop the IDs?"), ui.text());
    }
}
