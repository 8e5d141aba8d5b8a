package dev.firmquery.tui;

import dev.firmquery.config.AppConfig;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What the UI session is started with. */
class TuiSessionTest {
    @TempDir
    Path dir;

    @Test
    @DisplayName("the demo's database replaces the configured one, in the config and in the settings shown")
    void withDatabase() {
        TuiSession s = Sessions.session(dir);
        AppConfig.Database d = s.config().database();
        AppConfig.Database demo = new AppConfig.Database("127.0.0.1", 5433, "firmquery", "firmquery",
                AppConfig.AuthMode.PASSWORD, "disable", d.connectionTimeout(), d.queryTimeout(), d.maxConnections(),
                d.maxConnectionAge());
        TuiSession t = s.withDatabase(demo, "demo (throwaway PostgreSQL)", "demo 127.0.0.1:5433/firmquery");
        assertEquals(demo, t.config().database());
        assertEquals("5433", t.settings().get("database.port").value());
        assertEquals("demo (throwaway PostgreSQL)", t.settings().get("database.port").source());
        assertEquals("password", t.settings().get("database.auth").value());
        assertEquals("demo 127.0.0.1:5433/firmquery", t.databaseLabel());
        assertEquals(s.config().processing(), t.config().processing());
    }
}
