package dev.firmquery.cli;

import dev.firmquery.testing.TestConfigs;
import dev.firmquery.testing.TestPostgres;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code firmquery check} says whether the server's certificate is verified (docs/reliability.md, "Shared host"). */
@DisplayName("firmquery check: the tls line")
class CheckTlsTest {

    @TempDir
    Path tmp;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    private int check(Map<String, String> env) {
        return checkCode(env).code();
    }

    private dev.firmquery.exit.ExitCode checkCode(Map<String, String> env) {
        Main main = new Main(env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new ByteArrayInputStream(new byte[0]), TestConfigs.home(), tmp, false, false);
        return main.run(new String[] {"check"});
    }

    private String line(String step) {
        for (String l : out.toString(StandardCharsets.UTF_8).split("\n")) {
            if (l.length() > 8 && l.substring(8).startsWith(step + " ")) {
                return l;
            }
        }
        throw new AssertionError("no '" + step + "' line in:\n" + out.toString(StandardCharsets.UTF_8));
    }

    @Test
    @DisplayName("an unverified certificate is a warning that does not fail the check")
    void unverifiedIsAWarning() {
        TestPostgres.TestDatabase db = TestPostgres.demoDatabase(200, 1);

        assertEquals(0, check(TestConfigs.environment(db)), out.toString(StandardCharsets.UTF_8));
        assertTrue(line("tls").startsWith("  warn  tls        ssl_mode disable: the server's certificate is not"
                + " verified; acceptable for a database on this machine (127.0.0.1)"), line("tls"));
    }

    @Test
    @DisplayName("require to another machine: the warning says a man in the middle gets the password, and the fix")
    void requireOffHost() {
        Map<String, String> env = new HashMap<>();
        env.put("FIRMQUERY_DATABASE_HOST", "db.invalid");
        env.put("FIRMQUERY_DATABASE_AUTH", "password");
        env.put("FIRMQUERY_DATABASE_SSL_MODE", "require");
        env.put("FIRMQUERY_DATABASE_CONNECTION_TIMEOUT", "2");

        check(env);

        assertTrue(line("tls").startsWith("  warn  tls        ssl_mode require: the server's certificate is not"
                + " verified, so a man in the middle can pose as db.invalid and receive the password; set"
                + " database.ssl_mode to verify-full and put the server's CA certificate in ~/.postgresql/root.crt"),
                line("tls"));
    }

    @Test
    @DisplayName("verify-full is ok and says where the CA certificates come from")
    void verifyFullIsOk() {
        Map<String, String> env = new HashMap<>();
        env.put("FIRMQUERY_DATABASE_HOST", "db.invalid");
        env.put("FIRMQUERY_DATABASE_AUTH", "password");
        env.put("FIRMQUERY_DATABASE_CONNECTION_TIMEOUT", "2");

        check(env);

        assertEquals("  ok    tls        ssl_mode verify-full: the server's certificate and host name are checked"
                + " against the CA certificates in ~/.postgresql/root.crt", line("tls"));
    }
}
