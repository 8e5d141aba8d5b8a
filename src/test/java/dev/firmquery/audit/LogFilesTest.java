package dev.firmquery.audit;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What {@link LogFiles} writes where; the files' modes are {@link PrivateLogFilesTest}'s. */
class LogFilesTest {
    @TempDir
    Path tmp;

    private final LoggerContext context = new LoggerContext();

    {
        context.setMDCAdapter(new LogbackMDCAdapter()); // the global context has one
    }

    @AfterEach
    void stop() {
        context.stop();
    }

    @Test
    void anApplicationLogLineHasTheTimeWithItsOffsetTheLevelThreadLoggerAndMessage() throws IOException {
        Path logs = tmp.resolve("logs");
        LogFiles.apply(context, logs, false);

        context.getLogger("dev.firmquery.run.RunEngine").info("run 1 completed");

        List<String> lines = Files.readAllLines(logs.resolve("firmquery.log"));
        assertEquals(1, lines.size(), lines.toString());
        assertTrue(lines.get(0).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}(Z|[+-]\\d\\d:\\d\\d) INFO  "
                + "\\[" + Thread.currentThread().getName() + "] dev\\.firmquery\\.run\\.RunEngine - run 1 completed"), lines.get(0));
    }

    @Test
    void theAuditTrailHoldsTheAuditMessagesAloneAndTheApplicationLogNoneOfThem() throws IOException {
        Path logs = tmp.resolve("logs");
        LogFiles.apply(context, logs, false);

        context.getLogger(AuditLog.LOGGER).info("{\"action\":\"run\"}");
        context.getLogger("dev.firmquery.cli.Main").warn("something to look at");

        assertEquals(List.of("{\"action\":\"run\"}"), Files.readAllLines(logs.resolve("audit.log")));
        String app = Files.readString(logs.resolve("firmquery.log"));
        assertTrue(app.contains("something to look at"), app);
        assertFalse(app.contains("action"), app);
    }

    @Test
    void theDriverAndThePoolLogTheirWarningsButNotTheirInfo() throws IOException {
        Path logs = tmp.resolve("logs");
        LogFiles.apply(context, logs, false);

        context.getLogger("org.postgresql.core.v3.ConnectionFactoryImpl").info("chatty");
        context.getLogger("com.mchange.v2.c3p0.C3P0Registry").info("chatty");
        context.getLogger("org.postgresql.Driver").warn("a warning");
        context.getLogger("dev.firmquery.db.ConnectionPool").info("ours");

        String app = Files.readString(logs.resolve("firmquery.log"));
        assertFalse(app.contains("chatty"), app);
        assertTrue(app.contains("a warning") && app.contains("ours"), app);
    }

    @Test
    void inJsonEveryApplicationLogLineIsOneObjectWithTheMessage() throws IOException {
        Path logs = tmp.resolve("logs");
        LogFiles.apply(context, logs, true);

        context.getLogger("dev.firmquery.run.RunEngine").info("run {} completed", 7);

        List<String> lines = Files.readAllLines(logs.resolve("firmquery.log"));
        assertEquals(1, lines.size(), lines.toString());
        JsonNode line = new ObjectMapper().readTree(lines.get(0));
        assertEquals("run 7 completed", line.get("formattedMessage").asText());
        assertEquals("INFO", line.get("level").asText());
    }

    @Test
    void applyingAgainMovesBothFilesToTheNewFolder() throws IOException {
        Path first = tmp.resolve("first");
        Path second = tmp.resolve("second");
        LogFiles.apply(context, first, false);
        context.getLogger("dev.firmquery.x").info("before");

        LogFiles.apply(context, second, false);
        context.getLogger("dev.firmquery.x").info("after");
        context.getLogger(AuditLog.LOGGER).info("{}");

        assertFalse(Files.readString(first.resolve("firmquery.log")).contains("after"));
        assertTrue(Files.readString(second.resolve("firmquery.log")).contains("after"));
        assertEquals(List.of("{}"), Files.readAllLines(second.resolve("audit.log")));
        assertEquals(second.toString(), context.getProperty(LogFiles.DIRECTORY_PROPERTY));
    }

    @Test
    void withTheTestSuitesLogbackTestXmlOnTheClassPathLogbackConfiguresItself() {
        LogFiles configurator = new LogFiles();
        configurator.setContext(context);

        assertEquals(Configurator.ExecutionStatus.INVOKE_NEXT_IF_ANY, configurator.configure(context));
        assertNull(context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getAppender("APP"));
    }
}
