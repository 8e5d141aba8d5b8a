package dev.firmquery.tui;

import com.googlecode.lanterna.input.KeyType;
import dev.firmquery.run.RunRequest;
import dev.firmquery.tui.core.View;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The parameter form of the input window on an 80x24 virtual terminal: a template that declares
 * parameters gets one typed field per parameter, checked as typed, and F5 binds what the fields hold.
 */
class ParameterFormTest {
    private static final String RECENT = """
            -- Firms updated since a date, in some countries
            -- @param since date = 2026-01-01   Only firms updated on or after this date
            -- @param countries text[]          Two-letter country codes
            SELECT t1.firm_root_id, t1.firm_name FROM firm t1
            WHERE t1.updated_at >= {since} AND t1.country_code = ANY({countries})
              AND t1.firm_root_id IN ({ID_PLACEHOLDER})
            """;

    @TempDir
    Path dir;

    private ScreenHarness ui;
    private ScriptedRunner runner;

    @BeforeEach
    void open() throws IOException {
        Path ids = Files.writeString(dir.resolve("ids.csv"), InputWindowTest.IDS);
        Path sql = Files.writeString(dir.resolve("recent.sql"), RECENT);
        runner = new ScriptedRunner();
        ui = new ScreenHarness(Sessions.session(dir, Map.of(),
                new TuiSession.Preselection(ids, sql.toString(), null, null)), runner);
    }

    @AfterEach
    void close() {
        ui.close();
    }

    private String rowOf(String screen, String start) {
        for (String line : screen.split("\n")) {
            if (line.strip().replaceAll("^[│|]\\s*", "").startsWith(start)) {
                return line;
            }
        }
        throw new AssertionError("no row starting with " + start + " in\n" + screen);
    }

    @Test
    @DisplayName("each declared parameter gets a field: the default filled in, a required one marked, Run held back")
    void formShowsTheDeclaredParameters() {
        String screen = ui.awaitText("Preview: ready to run");
        assertTrue(rowOf(screen, "since").contains("2026-01-01"), screen);
        assertTrue(rowOf(screen, "since").contains("date"), screen);
        assertTrue(rowOf(screen, "countries").contains("error: required (text[], no default)"), screen);
        assertTrue(screen.contains("Run: fix the parameters"), screen);
    }

    @Test
    @DisplayName("F5 with a required parameter empty refuses, says which, and puts the cursor in its field")
    void runWithAMissingParameterFocusesIt() {
        ui.awaitText("Preview: ready to run");
        ui.press(KeyType.F5);
        assertEquals(View.INPUT, ui.ui.view());
        assertTrue(InputWindowTest.flat(ui.text()).contains("Cannot run: parameter countries: required"), ui.text());
        ui.type("DE,FR");
        assertTrue(rowOf(ui.text(), "countries").contains("DE,FR"), ui.text());
        assertFalse(rowOf(ui.text(), "countries").contains("error"), ui.text());
        assertTrue(ui.text().contains("<Run F5/^R>"), ui.text());
    }

    @Test
    @DisplayName("a value that does not parse as its type shows the parser's error next to the field as it is typed")
    void badValueIsReportedAsTyped() {
        ui.awaitText("Preview: ready to run");
        ui.press(KeyType.F5).type("DE").press(KeyType.ReverseTab).type("x");
        String since = rowOf(ui.text(), "since");
        assertTrue(since.contains("error:"), ui.text());
        assertTrue(ui.text().contains("Run: fix the parameters"), ui.text());
        ui.press(KeyType.Backspace);
        assertFalse(rowOf(ui.text(), "since").contains("error"), ui.text());
    }

    @Test
    @DisplayName("the run binds the form's values through RunSetup, as --param would: typed ones and defaults")
    void runBindsTheFormValues() {
        ui.awaitText("Preview: ready to run");
        ui.press(KeyType.F5).type("DE,FR").press(KeyType.F5);
        RunRequest r = runner.awaitRequest();
        assertEquals(Map.of("since", "2026-01-01", "countries", "DE,FR"), r.renderer().parameters().asText());
        assertTrue(r.renderer().parameters().get("since").orElseThrow().fromDefault(), "untouched default");
    }
}
