package dev.firmquery.localpg;

import dev.firmquery.testing.OtherOsUser;
import dev.firmquery.testing.TestPostgres;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Another OS user on the host cannot use the demo/test server: it listens on 127.0.0.1, which every
 * local account can reach, so it must not trust anyone (docs/reliability.md, "Shared host"). A real
 * second account runs a small pgjdbc client against the shared test server the way an attacker would:
 * as the superuser without a password, with a guessed one, as {@code postgres}; then it tries to read
 * the server's directory.
 */
@DisplayName("Another OS user cannot connect to the demo/test PostgreSQL")
class OtherOsUserTest {

    /** The other user's client: tries each login, and the directory, and says what happened. */
    private static final String PROBE = """
            import java.sql.*;
            import java.nio.file.*;
            public class Probe {
                public static void main(String[] a) throws Exception {
                    String url = "jdbc:postgresql://127.0.0.1:" + a[0] + "/" + a[1] + "?connectTimeout=5";
                    String[][] logins = {{a[2], null}, {a[2], a[2]}, {a[2], "postgres"}, {"postgres", null}};
                    for (String[] login : logins) {
                        try (Connection c = DriverManager.getConnection(url, login[0], login[1]);
                             Statement s = c.createStatement()) {
                            s.execute("CREATE TABLE intruder_was_here (x int)");
                            System.out.println("CONNECTED as " + login[0]);
                        } catch (SQLException e) {
                            System.out.println("REFUSED " + e.getSQLState() + " " + e.getMessage().replace('\\n', ' '));
                        }
                    }
                    try (var files = Files.list(Path.of(a[3]))) {
                        System.out.println("LISTED " + files.count());
                    } catch (Exception e) {
                        System.out.println("DENIED " + e);
                    }
                }
            }
            """;

    @Test
    @DisplayName("every login attempt is refused, the server's directory is closed, and nothing was created")
    void anotherUsersLoginsAreRefused() throws Exception {
        OtherOsUser.require();
        PostgresServer server = TestPostgres.server();
        Path shared = OtherOsUser.sharedDirectory();
        try {
            Path driver = Path.of(org.postgresql.Driver.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Files.copy(driver, shared.resolve("pgjdbc.jar"), StandardCopyOption.REPLACE_EXISTING);
            Files.writeString(shared.resolve("Probe.java"), PROBE);
            for (Path p : List.of(shared.resolve("pgjdbc.jar"), shared.resolve("Probe.java"))) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-r--r--"));
            }
            Path java = Path.of(System.getProperty("java.home"), "bin", "java");

            OtherOsUser.Result r = OtherOsUser.runAs(List.of(java.toString(), "-cp", shared.resolve("pgjdbc.jar").toString(),
                    shared.resolve("Probe.java").toString(), Integer.toString(server.port()), server.database(),
                    server.user(), server.dataDirectory().getParent().toString()));

            assertEquals(0, r.exitCode(), r.output());
            List<String> lines = r.output().lines().filter(l -> l.matches("(REFUSED|CONNECTED|LISTED|DENIED).*")).toList();
            assertEquals(5, lines.size(), r.output());
            for (String login : lines.subList(0, 4)) {
                // 28P01: wrong password; 08004: a password is required and none was given.
                assertTrue(login.startsWith("REFUSED 28P01") || login.startsWith("REFUSED 08004"), r.output());
            }
            assertTrue(lines.get(4).startsWith("DENIED"), r.output());
        } finally {
            OtherOsUser.deleteShared(shared);
        }
        try (Connection c = server.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_class WHERE relname = 'intruder_was_here'")) {
            rs.next();
            assertEquals(0, rs.getInt(1), "the other user created a table");
        }
        assertFalse(Files.exists(server.dataDirectory().getParent().resolve("superuser.pw")),
                "the password file is gone once initdb has read it");
    }
}
