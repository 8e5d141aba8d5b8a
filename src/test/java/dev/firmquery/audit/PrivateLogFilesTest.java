package dev.firmquery.audit;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.rolling.RollingFileAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The application log and the audit trail, as {@link LogFiles} configures them: a 0700
 * folder and 0600 files whatever the umask (the tests run with 022, so a file that follows the umask
 * would be 0644), rolled files included; a folder or file of another user, or a planted link, is
 * refused.
 */
class PrivateLogFilesTest {
    @TempDir
    Path tmp;

    private LoggerContext context;

    @AfterEach
    void stop() {
        if (context != null) {
            context.stop();
        }
    }

    @Test
    void theLogFolderIsCreated0700AndTheLogAndAuditFiles0600() throws Exception {
        Path logs = tmp.resolve("state/firmquery/logs");
        start(logs);
        log("a run started");
        audit("{\"action\":\"run\"}");

        assertEquals("rwx------", mode(logs));
        assertEquals(Map.of("audit.log", "rw-------", "firmquery.log", "rw-------"), modes(logs));
        assertTrue(Files.readString(logs.resolve("audit.log")).contains("\"action\":\"run\""));
        assertTrue(Files.readString(logs.resolve("firmquery.log")).contains("a run started"));
    }

    @Test
    void rolledFilesStay0600() throws Exception {
        Path logs = tmp.resolve("logs");
        start(logs);
        log("before the rollover");
        audit("{\"n\":1}");
        // The daily application log two days on, the monthly audit trail forty days on: both roll over (and
        // their archives are still within maxHistory, so they are kept).
        advance(appender("ROOT", "APP"), 2);
        advance(appender("firmquery.audit", "AUDIT"), 40);
        for (int i = 0; i < 3; i++) { // the size-and-time policy looks at the clock every few events
            log("after the rollover " + i);
        }
        audit("{\"n\":2}");

        Map<String, String> modes = modes(logs);
        assertTrue(modes.size() >= 4, "active and rolled files: " + modes);
        assertEquals(List.of("rw-------"), modes.values().stream().distinct().toList(), modes.toString());
    }

    @Test
    void anExistingFolderOfTheUserThatOthersCanReadIsTightened() throws Exception {
        Path logs = Files.createDirectories(tmp.resolve("logs"));
        Files.setPosixFilePermissions(logs, PosixFilePermissions.fromString("rwxrwxr-x"));
        Path old = Files.writeString(logs.resolve("firmquery.log"), "an old line\n");
        Files.setPosixFilePermissions(old, PosixFilePermissions.fromString("rw-rw-r--"));

        start(logs);
        log("a new line");

        assertEquals("rwx------", mode(logs));
        assertEquals("rw-------", mode(old));
        assertTrue(Files.readString(old).startsWith("an old line\n"), "appended to, not replaced");
    }

    @Test
    void aPlantedLinkInPlaceOfTheAuditLogIsRefusedAndItsTargetUntouched() throws Exception {
        Path logs = Files.createDirectories(tmp.resolve("logs"));
        Path victim = Files.writeString(tmp.resolve("victim.txt"), "keep me\n");
        Files.setPosixFilePermissions(victim, PosixFilePermissions.fromString("rw-r--r--"));
        Files.createSymbolicLink(logs.resolve("audit.log"), victim);

        start(logs);
        audit("{\"action\":\"run\"}");

        assertEquals("keep me\n", Files.readString(victim));
        assertEquals("rw-r--r--", mode(victim), "its mode is not changed either");
        assertThrows(IOException.class, () -> PrivateFiles.file(logs.resolve("audit.log")));
    }

    @Test
    void aFolderOfAnotherUserIsRefusedWithTheFix() throws Exception {
        UserPrincipal other = otherUser();
        Path logs = Files.createDirectories(tmp.resolve("logs"));
        Files.setPosixFilePermissions(logs, PosixFilePermissions.fromString("rwxrwxrwx"));
        Files.setOwner(logs, other);

        IOException e = assertThrows(IOException.class, () -> PrivateFiles.directory(logs));
        assertTrue(e.getMessage().contains("belongs to " + other.getName()) && e.getMessage().contains("logging.directory"),
                e.getMessage());
        start(logs);
        log("must not land there");
        try (Stream<Path> s = Files.list(logs)) {
            assertEquals(List.of(), s.toList(), "nothing is written into another user's folder");
        }
        assertEquals("rwxrwxrwx", mode(logs), "nor is its mode changed");
    }

    @Test
    void aLogFileOfAnotherUserIsRefused() throws Exception {
        UserPrincipal other = otherUser();
        Path logs = Files.createDirectories(tmp.resolve("logs"));
        Path planted = Files.writeString(logs.resolve("firmquery.log"), "");
        Files.setOwner(planted, other);

        IOException e = assertThrows(IOException.class, () -> PrivateFiles.file(planted));
        assertTrue(e.getMessage().contains("belongs to " + other.getName()), e.getMessage());
    }

    // ---------------------------------------------------------------------------------------------

    /** Another OS user to own files: only root can give a file away, as on a shared host it is someone else. */
    private static UserPrincipal otherUser() throws IOException {
        return dev.firmquery.testing.OtherOsUser.principal();
    }

    private void start(Path logs) throws Exception {
        context = new LoggerContext();
        context.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter()); // the global context has one
        LogFiles.apply(context, logs, false);
        context.start();
    }

    private void log(String line) {
        context.getLogger("dev.firmquery.test").info(line);
    }

    private void audit(String line) {
        context.getLogger("firmquery.audit").info(line);
    }

    private RollingFileAppender<?> appender(String logger, String name) {
        return (RollingFileAppender<?>) context.getLogger(logger).getAppender(name);
    }

    private static void advance(RollingFileAppender<?> appender, int days) {
        ((ch.qos.logback.core.rolling.TimeBasedRollingPolicy<?>) appender.getRollingPolicy())
                .getTimeBasedFileNamingAndTriggeringPolicy()
                .setCurrentTime(System.currentTimeMillis() + java.util.concurrent.TimeUnit.DAYS.toMillis(days));
    }

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
    }

    private static Map<String, String> modes(Path dir) throws IOException {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.toList()) {
                m.put(p.getFileName().toString(), mode(p));
            }
        }
        return m;
    }
}
