package dev.firmquery.db;

import dev.firmquery.config.AppConfig;
import dev.firmquery.testing.TestPostgres;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.postgresql.Driver;
import org.postgresql.ds.PGSimpleDataSource;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What reaches the driver from the {@code database} section: only the configured values, each as the
 * one property it is meant to be, never text that the driver would read as more URL
 * (docs/reliability.md, "Shared host").
 */
@DisplayName("Database: driver properties come from setters, never from URL text")
class DatabaseTargetTest {

    private static AppConfig.Database target(String host, String database, String user, String sslMode) {
        return new AppConfig.Database(host, 26257, database, user, AppConfig.AuthMode.PASSWORD, sslMode,
                Duration.ofSeconds(5), Duration.ofMillis(2500), 2, Duration.ofMinutes(30));
    }

    /** The properties pgjdbc will connect with, parsed back from the URL its data source builds. */
    private static Properties driverProperties(AppConfig.Database db) {
        PGSimpleDataSource ds = (PGSimpleDataSource) Database.dataSource(db, Map.of());
        Properties p = Driver.parseURL(ds.getUrl(), null);
        assertTrue(p != null, "pgjdbc cannot parse " + ds.getUrl());
        return p;
    }

    @ParameterizedTest(name = "host \"{0}\" never reaches the driver")
    @ValueSource(strings = {"db:26257/x?readOnlyMode=ignore&x=", "db?sslfactory=org.postgresql.ssl.NonValidatingFactory",
            "db,evil.example.com", "db/x", "fd00::1"})
    void aHostPayloadBuiltInCodeIsRefusedToo(String host) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Database.dataSource(target(host, "firms", "alice", "verify-full"), Map.of()));
        assertTrue(e.getMessage().startsWith("database.host \"" + host + "\": expected "), e.getMessage());
    }

    @ParameterizedTest(name = "database \"{0}\" is one database name, not driver properties")
    @ValueSource(strings = {"x?readOnlyMode=ignore&x=", "x?sslfactory=org.postgresql.ssl.NonValidatingFactory",
            "x/y?sslmode=disable", "x&readOnly=false#"})
    void aDatabasePayloadStaysTheDatabaseName(String database) {
        Properties p = driverProperties(target("db.example.com", database, "alice", "verify-full"));

        assertEquals(database, p.getProperty("PGDBNAME"));
        assertEquals("db.example.com", p.getProperty("PGHOST"));
        assertEquals("verify-full", p.getProperty("sslmode"));
        assertFalse(p.containsKey("readOnlyMode") || p.containsKey("sslfactory") || p.containsKey("readOnly"),
                p.toString());
    }

    @ParameterizedTest(name = "user \"{0}\" goes beside the URL as the user name, never into it")
    @ValueSource(strings = {"alice&readOnlyMode=ignore", "alice&sslfactory=org.postgresql.ssl.NonValidatingFactory",
            "alice?sslmode=disable"})
    void aUserPayloadStaysTheUserName(String user) {
        AppConfig.Database db = target("db.example.com", "firms", user, "verify-full");
        PGSimpleDataSource ds = (PGSimpleDataSource) Database.dataSource(db, Map.of());
        Properties p = driverProperties(db);

        assertEquals(user, ds.getUser());
        assertFalse(ds.getUrl().contains("alice"), ds.getUrl());
        assertEquals("verify-full", p.getProperty("sslmode"));
        assertFalse(p.containsKey("readOnlyMode") || p.containsKey("sslfactory"), p.toString());
    }

    @Test
    @DisplayName("the session's statement_timeout is query_timeout, in the startup packet")
    void statementTimeoutIsAStartupOption() {
        assertEquals("-c statement_timeout=2500",
                driverProperties(target("db.example.com", "firms", "alice", "verify-full")).getProperty("options"));
    }

    @Test
    @DisplayName("a password without TLS to another machine never reaches the driver, even built in code")
    void plainTextPasswordOffHostIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Database.dataSource(target("db.example.com", "firms", "alice", "prefer"), Map.of()));
        assertTrue(e.getMessage().contains("set database.ssl_mode to verify-full"), e.getMessage());
    }

    @Test
    @DisplayName("a real server sees the whole payload as the database name")
    void aRealServerSeesOneDatabaseName() {
        TestPostgres.TestDatabase db = TestPostgres.freshDatabase("target_payload");
        String payload = db.name() + "?readOnlyMode=ignore&x=";
        AppConfig.Database config = new AppConfig.Database(db.host(), db.port(), payload, db.user(),
                AppConfig.AuthMode.PASSWORD, "disable", Duration.ofSeconds(5), Duration.ofSeconds(5), 2,
                Duration.ofMinutes(30));

        SQLException e = assertThrows(SQLException.class, () -> {
            try (Connection c = Database.dataSource(config, Map.of("FIRMQUERY_DATABASE_PASSWORD",
                    db.password() == null ? "" : db.password())).getConnection()) {
                c.isValid(1);
            }
        });
        assertEquals("3D000", e.getSQLState(), e.getMessage());
        assertTrue(e.getMessage().contains(payload), e.getMessage());
    }
}
