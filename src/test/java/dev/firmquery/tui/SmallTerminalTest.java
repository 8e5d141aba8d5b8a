package dev.firmquery.tui;

import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.TextCharacter;
import com.googlecode.lanterna.TextColor;
import com.googlecode.lanterna.input.KeyType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static dev.firmquery.tui.ScreenHarness.alt;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Small and plain terminals (docs/tui.md, "Terminals"): 60x20 readable, VT100 and dumb in ASCII, no colour. */
class SmallTerminalTest {
    @TempDir
    Path dir;

    private ScreenHarness ui;

    @AfterEach
    void close() {
        if (ui != null) {
            ui.close();
        }
    }

    private ScreenHarness open(Map<String, String> env, TerminalSize size) throws IOException {
        Path ids = dir.resolve("ids.txt");
        Files.writeString(ids, "101\n102\n103\nabc\n");
        ui = new ScreenHarness(Sessions.session(dir, env, TuiSession.Preselection.none()), new ScriptedRunner(), size);
        ui.type(ids.toString()).press(KeyType.Enter);
        ui.awaitText("Preview: ready to run");
        return ui;
    }

    /** Every window and dialog in turn, each screen handed to {@code check} with its name. */
    private void everyScreen(Consumer<String> check) {
        List<Runnable> steps = new ArrayList<>();
        steps.add(() -> { });
        steps.add(() -> ui.press(KeyType.F3));
        steps.add(() -> ui.press(KeyType.Escape, KeyType.F8));
        steps.add(() -> ui.press(KeyType.F9));
        steps.add(() -> ui.press(KeyType.F7));
        steps.add(() -> ui.press(KeyType.F1));
        steps.add(() -> ui.press(KeyType.Escape).press(alt('v')));
        String[] names = {"input", "file browser", "progress", "results", "config", "help", "paste"};
        for (int i = 0; i < steps.size(); i++) {
            steps.get(i).run();
            check.accept(names[i]);
        }
    }

    /** Whether the dialog's border is whole on the screen: both top corners on one row. */
    private boolean dialogWhole(char left, char right) {
        for (int row = 0; row < ui.terminal.getTerminalSize().getRows(); row++) {
            String r = ui.row(row);
            int l = r.indexOf(left);
            if (l >= 0 && r.indexOf(right, l) > l) {
                return true;
            }
        }
        return false;
    }

    @Test
    @DisplayName("at 60x20 every window keeps its tabs, key hints and status bar")
    void framesAt60x20() throws IOException {
        open(Map.of(), new TerminalSize(60, 20));
        everyScreen(name -> {
            if (!name.equals("file browser") && !name.equals("help")) {
                assertTrue(ui.row(0).contains("F2 Input"), name + ":\n" + ui.text());
            }
            assertTrue(ui.row(19).contains("│ ready │"), name + ":\n" + ui.text());
        });
    }

    @Test
    @DisplayName("at 60x20 the help and the paste window fit the screen, borders and buttons whole")
    void dialogsAt60x20() throws IOException {
        open(Map.of(), new TerminalSize(60, 20));
        ui.press(KeyType.F1);
        assertTrue(dialogWhole('┌', '┐'), ui.text());
        assertTrue(ui.text().contains("│F-keys can get lost through SSH, tmux or screen, and a"), ui.text());
        assertTrue(ui.text().contains("Esc, Enter or q closes"), ui.text());
        ui.press(KeyType.Escape).press(alt('v'));
        assertTrue(dialogWhole('┌', '┐'), ui.text());
        assertTrue(ui.text().contains("<Cancel Esc>│"), ui.text());
        assertTrue(ui.text().contains("│Paste or type IDs: one per line, or separated by blanks,"), ui.text());
    }

    @Test
    @DisplayName("at 80x24 the paste window keeps its one-line heading")
    void pasteAt80x24() throws IOException {
        open(Map.of(), new TerminalSize(80, 24));
        ui.press(alt('v'));
        assertTrue(ui.text().contains("│Paste or type IDs: one per line, or separated by blanks, commas or semicolons.│"),
                ui.text());
    }

    @Test
    @DisplayName("TERM=vt100 and TERM=dumb draw every window in ASCII")
    void asciiOnPlainTerminals() throws IOException {
        for (String term : List.of("vt100", "dumb")) {
            open(Map.of("TERM", term), new TerminalSize(80, 24));
            everyScreen(name -> {
                String screen = ui.text();
                assertTrue(screen.chars().allMatch(c -> c < 128), term + ", " + name + ":\n" + screen);
            });
            ui.close();
            ui = null;
        }
    }

    @Test
    @DisplayName("no window sets a colour: the terminal's own foreground and background everywhere")
    void noColour() throws IOException {
        open(Map.of("TERM", "vt100"), new TerminalSize(80, 24));
        everyScreen(name -> {
            for (int row = 0; row < 24; row++) {
                for (int col = 0; col < 80; col++) {
                    TextCharacter c = ui.terminal.getCharacter(col, row);
                    if (c != null) {
                        assertEquals(TextColor.ANSI.DEFAULT, c.getForegroundColor(), name + " at " + col + "," + row);
                        assertEquals(TextColor.ANSI.DEFAULT, c.getBackgroundColor(), name + " at " + col + "," + row);
                    }
                }
            }
        });
    }
}
