package dev.firmquery.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.firmquery.demo.DemoData;
import dev.firmquery.exit.ExitCode;
import dev.firmquery.testing.CliHarness;
import dev.firmquery.testing.TestConfigs;
import dev.firmquery.testing.TestPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code logging.format: json}: the application log of a real run as JSON lines with the run id. */
@DisplayName("The JSON application log")
class JsonLogTest {
    private static TestPostgres.TestDatabase db;

    @TempDir
    Path tmp;

    @BeforeAll
    static void database() {
        db = TestPostgres.demoDatabase(200, 7);
    }

    @AfterEach
    void testLoggingAgain() throws Exception {
        // Back to the tests' own configuration (target/test.log) for the classes that run after this one.
        System.clearProperty(Logging.LOG_DIR_PROPERTY);
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.reset();
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(JsonLogTest.class.getResource("/logback-test.xml"));
    }

    @Test
    @DisplayName("every line is a JSON object; the chunk completions at DEBUG carry the run id, IDs, rows, ms and attempt")
    void jsonLinesWithTheRunId() throws IOException {
        Path logs = tmp.resolve("logs");
        Path ids = Files.writeString(tmp.resolve("ids.txt"), Stream.iterate(0, i -> i + 1).limit(30)
                .map(i -> Long.toString(DemoData.firmId(i))).collect(Collectors.joining("\n")));
        // What Main does at start when it owns logging (the harness's Main does not): logging.format json.
        assertEquals(null, Logging.configure(logs, true, true));
        CliHarness cli = new CliHarness(tmp);

        ExitCode code = cli.run(TestConfigs.environment(db), "run", "--ids", ids.toString(), "--query", "firm_details",
                "--out", tmp.resolve("out").toString(), "--set", "processing.chunk_size=10");

        assertEquals(ExitCode.COMPLETED, code, cli.both());
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(logs.resolve("firmquery.log"))) {
            lines.add(json.readTree(line)); // throws on a line that is not JSON
        }
        List<JsonNode> done = lines.stream().filter(l -> l.get("formattedMessage").asText().matches(
                "chunk [123]/3 done: 10 ids, \\d+ rows, \\d+ ms, attempt 1(, one of \\d sent in one round trip)?")).toList();
        assertEquals(3, done.size(), "one DEBUG line per chunk: " + lines);
        String runId = done.get(0).get("mdc").get("run_id").asText();
        assertTrue(runId.length() > 5, runId);
        assertTrue(done.stream().allMatch(l -> l.get("level").asText().equals("DEBUG")
                && l.get("mdc").get("run_id").asText().equals(runId)), done.toString());
    }
}
