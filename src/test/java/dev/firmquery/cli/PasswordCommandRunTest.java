package dev.firmquery.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import dev.firmquery.demo.DemoData;
import dev.firmquery.exit.ExitCode;
import dev.firmquery.testing.AuditLines;
import dev.firmquery.testing.CliHarness;
import dev.firmquery.testing.TestConfigs;
import dev.firmquery.testing.TestPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code database.password_command} in real runs against the test PostgreSQL, which takes
 * scram-sha-256 passwords only: the password comes from the command alone, and appears in no log line
 * (DEBUG included), audit line, report, output file or message.
 */
@DisplayName("A run whose password comes from database.password_command")
class PasswordCommandRunTest {
    private static TestPostgres.TestDatabase db;

    @TempDir
    Path tmp;
    private CliHarness cli;
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final Logger ours = (Logger) LoggerFactory.getLogger("dev.firmquery");
    private Level oursBefore;

    @BeforeAll
    static void database() {
        db = TestPostgres.demoDatabase(200, 7);
        assertNotNull(db.password(), "the test server must ask for a password");
    }

    @BeforeEach
    void capture() {
        cli = new CliHarness(tmp);
        logged.start();
        root.addAppender(logged);
        oursBefore = ours.getLevel();
        ours.setLevel(Level.DEBUG);
    }

    @AfterEach
    void release() {
        root.detachAppender(logged);
        ours.setLevel(oursBefore);
    }

    /** The user's environment without a password variable, the command reading {@code secret} from a 0600 file. */
    private Map<String, String> environment(String command) {
        Map<String, String> env = new HashMap<>(TestConfigs.environment(db));
        env.remove("FIRMQUERY_DATABASE_PASSWORD");
        env.put("FIRMQUERY_DATABASE_PASSWORD_COMMAND", command);
        return env;
    }

    private Path secretFile() throws IOException {
        Path file = tmp.resolve("keyring/db.secret");
        Files.createDirectories(file.getParent());
        Files.writeString(file, db.password() + "\nnot the password\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }

    private Path ids() throws IOException {
        return Files.writeString(tmp.resolve("ids.txt"), DemoData.firmId(1) + "\n" + DemoData.firmId(2) + "\n");
    }

    @Test
    @DisplayName("connects with the command's first line and completes; the password is nowhere in what the run left")
    void completes() throws IOException {
        Path secret = secretFile();
        Path out = tmp.resolve("out");
        try (AuditLines audit = AuditLines.capture()) {
            ExitCode code = cli.run(environment("cat " + secret), "run", "--ids", ids().toString(), "--query",
                    "firm_details", "--out", out.toString(), "--keep-work");

            assertEquals(ExitCode.COMPLETED, code, cli.both());
            assertEquals("completed", audit.only().get("outcome").asText());
            assertNowhere(db.password(), audit, secret);
        }
        assertTrue(logged.list.stream().anyMatch(e -> e.getFormattedMessage().contains("database password read from "
                + "database.password_command")), "the DEBUG line saying where the password came from");
    }

    @Test
    @DisplayName("a failing command ends the run with exit 3 naming the command and its status; nothing leaks")
    void failingCommand() throws IOException {
        Path secret = secretFile();
        Path script = Files.writeString(tmp.resolve("vault.sh"), "cat " + secret + "\nexit 5\n");
        try (AuditLines audit = AuditLines.capture()) {
            ExitCode code = cli.run(environment("sh " + script), "run", "--ids", ids().toString(), "--query",
                    "firm_details", "--out", tmp.resolve("out").toString());

            assertEquals(ExitCode.CONNECT, code, cli.both());
            assertTrue(cli.stderr().contains("database.password_command \"sh " + script + "\" exited with status 5"),
                    cli.both());
            assertTrue(audit.only().get("error").asText().contains("exited with status 5"));
            assertNowhere(db.password(), audit, secret);
        }
    }

    @Test
    @DisplayName("firmquery check says the password came from the command and logs in")
    void check() throws IOException {
        Path secret = secretFile();

        ExitCode code = cli.run(environment("cat " + secret), "check");

        assertEquals(ExitCode.COMPLETED, code, cli.both());
        assertTrue(cli.stdout().contains("password   from database.password_command (first line of its output)"),
                cli.both());
        assertFalse(cli.both().contains(db.password()), "check printed the password");
    }

    /** The password is in no stream, log event, audit line or file under the test's folder but the secret. */
    private void assertNowhere(String password, AuditLines audit, Path secret) throws IOException {
        assertFalse(cli.both().contains(password), "stdout/stderr hold the password");
        for (ILoggingEvent e : List.copyOf(logged.list)) {
            String text = e.getFormattedMessage() + (e.getThrowableProxy() == null ? ""
                    : ThrowableProxyUtil.asString(e.getThrowableProxy()));
            assertFalse(text.contains(password), "a log line holds the password: " + e.getLoggerName());
        }
        assertFalse(audit.lines().toString().contains(password), "an audit line holds the password");
        List<Path> files = new ArrayList<>();
        try (Stream<Path> all = Files.walk(tmp)) {
            all.filter(Files::isRegularFile).filter(f -> !f.equals(secret)).forEach(files::add);
        }
        assertFalse(files.isEmpty());
        byte[] needle = password.getBytes(StandardCharsets.UTF_8);
        for (Path f : files) {
            assertFalse(contains(Files.readAllBytes(f), needle), f + " holds the password");
        }
    }

    private static boolean contains(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
