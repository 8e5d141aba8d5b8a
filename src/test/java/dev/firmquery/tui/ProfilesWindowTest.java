package dev.firmquery.tui;

import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.input.KeyType;
import dev.firmquery.run.RunStatus;
import dev.firmquery.testing.TestPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import static dev.firmquery.tui.InputWindowTest.flat;
import static dev.firmquery.tui.ScreenHarness.alt;
import static dev.firmquery.tui.ScreenHarness.key;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The connection profiles window (Alt-E) over an application home with its own environment overlays:
 * listing, what an environment changes, a broken and a policy-breaking overlay, switching, and the
 * connection test against the real PostgreSQL and a closed port.
 */
class ProfilesWindowTest {
    private static TestPostgres.TestDatabase db;

    @TempDir
    Path dir;

    private ScreenHarness ui;

    @BeforeAll
    static void database() {
        db = TestPostgres.freshDatabase("tui_profiles");
    }

    @AfterEach
    void close() {
        if (ui != null) {
            ui.close();
        }
    }

    private Path appHome() throws IOException {
        return Files.createDirectories(dir.resolve("app"));
    }

    private void overlay(String name, String yaml) throws IOException {
        Path envs = Files.createDirectories(appHome().resolve("config/environments"));
        Files.writeString(envs.resolve(name + ".yaml"), yaml);
    }

    /** An overlay that reaches {@code port} of the test server's host as the test user. */
    private static String database(int port) {
        return "database:\n  host: " + db.host() + "\n  port: " + port + "\n  database: " + db.name() + "\n  user: "
                + db.user() + "\n  auth: password\n  ssl_mode: disable\n  connection_timeout: 5\n";
    }

    private ScreenHarness open(Map<String, String> extra, String environment, TerminalSize size) throws IOException {
        Map<String, String> env = Sessions.terminal();
        env.put("FIRMQUERY_LOGGING_DIRECTORY", dir.resolve("logs").toString());
        if (db.password() != null) {
            env.put("FIRMQUERY_DATABASE_PASSWORD", db.password());
        }
        env.putAll(extra);
        ui = new ScreenHarness(Sessions.session(dir, appHome(), env, environment, TuiSession.Preselection.none()),
                new ScriptedRunner(), size);
        return ui;
    }

    private ScreenHarness open() throws IOException {
        return open(Map.of(), null, new TerminalSize(80, 24));
    }

    /**
     * Moves the list's choice to {@code name}: the entries are (none), then the overlays by name (the
     * shipped dev and prod.example among them); letters are the window's keys, so arrows move.
     */
    private void choose(String name) throws IOException {
        java.util.TreeSet<String> names = new java.util.TreeSet<>(java.util.List.of("dev", "prod.example"));
        try (var files = Files.list(appHome().resolve("config/environments"))) {
            files.forEach(f -> names.add(f.getFileName().toString().replace(".yaml", "")));
        }
        int downs = names.headSet(name).size() + 1;
        for (int i = 0; i < downs; i++) {
            ui.press(KeyType.ArrowDown);
        }
    }

    @Test
    @DisplayName("Alt-E lists the environments --env accepts, the one in use marked, and what the chosen one changes")
    void listsAndDiffs() throws IOException {
        overlay("stage", "processing:\n  chunk_size: 500\n");
        open();
        ui.press(alt('e'));
        String screen = ui.awaitText("Connection profiles");
        assertTrue(screen.contains("* (none)"), screen);
        assertTrue(screen.contains("  stage"), screen);
        assertTrue(screen.contains("  dev"), screen);

        choose("stage");
        screen = flat(ui.awaitText("What stage changes: 1 setting"));
        assertTrue(screen.contains("processing.chunk_size 250 -> 500"), screen);
        assertTrue(screen.contains("from environment overlay stage"), screen);
        // The layer's line holds the overlay's @TempDir path, whose length varies, so "now" or
        // "default" may wrap to the next row, where the desktop's border shows at the edge.
        assertTrue(screen.matches("(?s).*\\),[ ─]*now[ ─]*default.*"), screen);
    }

    @Test
    @DisplayName("a broken overlay shows its error with file:line and fix, and cannot be switched to")
    void brokenOverlay() throws IOException {
        overlay("broken", "processing:\n  chunk_size: [1\n");
        open();
        ui.press(alt('e'));
        ui.awaitText("Connection profiles");
        choose("broken");
        String screen = flat(ui.awaitText("broken: cannot be used"));
        assertTrue(screen.contains("Cannot switch: 1 configuration error"), screen);
        assertTrue(screen.contains("broken.yaml"), screen);
        ui.press(key('s'));
        assertTrue(flat(ui.text()).contains("fix its configuration errors first"), ui.text());
        assertEquals(0, ui.switched.size());
    }

    @Test
    @DisplayName("an overlay that sets a key the policy locks shows it locked, the system value kept, and is refused")
    void lockedKey() throws IOException {
        Path etc = Files.createDirectories(dir.resolve("etc"));
        Path file = Files.writeString(etc.resolve("config.yaml"),
                "processing:\n  chunk_size: 300\npolicy:\n  locked: [processing.chunk_size]\n");
        Files.setPosixFilePermissions(etc, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        overlay("stage", "processing:\n  chunk_size: 500\n");
        open(Map.of("FIRMQUERY_SYSTEM_CONFIG", file.toString()), null, new TerminalSize(80, 24));
        ui.press(alt('e'));
        ui.awaitText("Connection profiles");
        choose("stage");
        String screen = flat(ui.awaitText("stage: cannot be used"));
        assertTrue(screen.contains("processing.chunk_size 300 kept, LOCKED by policy"), screen);
        assertTrue(screen.contains("stage.yaml:2) is refused"), screen);
        assertTrue(screen.contains("error: processing.chunk_size is locked by the administrator's policy"), screen);
    }

    @Test
    @DisplayName("s switches the session: the database session is replaced and the status bar names the environment")
    void switches() throws IOException {
        overlay("stage", database(6543));
        open();
        ui.press(alt('e'));
        ui.awaitText("Connection profiles");
        choose("stage");
        ui.awaitText("What stage changes");
        ui.press(key('s'));
        ui.awaitText("Switched to stage");
        assertEquals(1, ui.switched.size());
        assertEquals(6543, ui.switched.get(0).database().port());
        assertTrue(ui.text().contains("* stage"), ui.text());
        ui.press(KeyType.Escape);
        assertFalse(ui.text().contains("Connection profiles"), ui.text());
        assertTrue(ui.row(23).contains("stage: " + db.host() + ":6543/"), ui.row(23));
    }

    @Test
    @DisplayName("the session started with --env has it marked in use and named in the status bar")
    void startupEnvironment() throws IOException {
        overlay("stage", "processing:\n  chunk_size: 500\n");
        open(Map.of(), "stage", new TerminalSize(80, 24));
        assertTrue(ui.row(23).contains("stage: "), ui.row(23));
        ui.press(alt('e'));
        String screen = ui.awaitText("stage (in use)");
        assertTrue(screen.contains("* stage"), screen);
    }

    @Test
    @DisplayName("t tests the chosen environment: every step passes against the real PostgreSQL")
    void testPasses() throws IOException {
        overlay("good", database(db.port()));
        open();
        ui.press(alt('e'));
        ui.awaitText("Connection profiles");
        choose("good");
        ui.awaitText("What good changes");
        ui.press(key('t'));
        String screen = flat(ui.awaitText("all checks passed"));
        assertTrue(screen.contains("ok connect"), screen);
        assertEquals(0, ui.switched.size(), "a test does not switch");
    }

    @Test
    @DisplayName("t on an environment pointing at a closed port shows the connect step failing with its fix")
    void testFails() throws IOException {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        overlay("closed", database(closed));
        open();
        ui.press(alt('e'));
        ui.awaitText("Connection profiles");
        choose("closed");
        ui.awaitText("What closed changes");
        ui.press(key('t'));
        String screen = flat(ui.awaitText("checks failed"));
        assertTrue(screen.contains("FAIL connect"), screen);
        assertTrue(screen.contains("check database.host, port"), screen);
    }

    @Test
    @DisplayName("s during a run is refused, saying to switch after it ends; once it has ended the same s switches")
    void switchRefusedDuringARun() throws IOException {
        overlay("stage", database(6543));
        Path ids = Files.writeString(dir.resolve("ids.txt"), "101\n102\n103\n");
        ScriptedRunner engine = new ScriptedRunner();
        ui = new ScreenHarness(Sessions.session(dir, appHome(), Sessions.terminal(), null,
                new TuiSession.Preselection(ids, "firm_names", dir.resolve("out"), null)), engine);
        ui.awaitText("Preview: ready to run");
        ui.press(KeyType.F5);
        engine.awaitRequest();
        ui.press(alt('e'));
        ui.awaitText("Connection profiles");
        choose("stage");
        ui.awaitText("What stage changes");

        ui.press(key('s'));

        assertTrue(flat(ui.text()).contains("A run is in progress: switch after it ends"), ui.text());
        assertEquals(0, ui.switched.size());
        assertFalse(ui.row(23).contains("stage: "), ui.row(23));

        engine.finish(r -> Reports.of(r, RunStatus.COMPLETED, 1, 0, 3, 0, List.of(), List.of()));
        ui.await(t -> ui.row(23).contains("run 1 completed"), "the run to end");
        ui.press(key('s'));
        ui.awaitText("Switched to stage");
        assertEquals(1, ui.switched.size());
    }

    @Test
    @DisplayName("at 60x20 the window is whole: the list, the changes and the keys")
    void smallTerminal() throws IOException {
        overlay("stage", "processing:\n  chunk_size: 500\n");
        open(Map.of(), null, new TerminalSize(60, 20));
        ui.press(alt('e'));
        ui.awaitText("Connection profiles");
        choose("stage");
        String screen = ui.awaitText("What stage changes");
        assertTrue(screen.contains("Esc"), screen);
        assertTrue(flat(screen).contains("processing.chunk_size 250 -> 500"), screen);
    }
}
