package dev.firmquery.run;

import dev.firmquery.config.AppConfig;
import dev.firmquery.config.ConfigLoader;
import dev.firmquery.config.ConfigRequest;
import dev.firmquery.exit.ExitCode;
import dev.firmquery.testing.TestConfigs;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The placeholders of {@code output.filename_pattern}: each becomes its value, and a value that would
 * take the name out of the output folder, hide it or spoof it is refused naming the placeholder, the
 * value and the fix.
 */
@DisplayName("Output file names from output.filename_pattern")
class OutputNameTest {
    private static final LocalDateTime NOW = LocalDateTime.of(2026, 11, 22, 10, 15, 0);

    @TempDir
    Path tmp;

    private static OutputName.Values values(String query, String user, String input) {
        return new OutputName.Values(NOW, query, user, input);
    }

    @Test
    void everyPlaceholderBecomesItsValue() throws RunException {
        assertEquals("ana_firm_details_firms_2026-11-22_20261122_101500", OutputName.expand(
                "{user}_{query}_{input}_{date}_{timestamp}", values("firm_details", "ana", "firms")));
    }

    @Test
    void aPatternWithoutPlaceholdersIsTheName() throws RunException {
        assertEquals("results", OutputName.expand("results", values("q", "u", "i")));
    }

    @Test
    void valuesMayHoldBlanksAndNonAsciiLetters() throws RunException {
        assertEquals("x_Firmen März 2026", OutputName.expand("x_{input}", values("q", "u", "Firmen März 2026")));
    }

    @ParameterizedTest(name = "[{0}]")
    @CsvSource(delimiter = '|', value = {
            "../../etc/cron.d/x| contains '..'",
            "a/b| contains the path separator '/'",
            "a\\b| contains the path separator '\\'",
            "..| contains '..'",
    })
    void anInputNameThatWouldLeaveTheFolderIsRefused(String input, String problem) {
        RunException e = assertThrows(RunException.class, () -> OutputName.expand("firm_{input}",
                values("q", "u", input)));
        assertEquals(ExitCode.USAGE, e.exitCode());
        assertTrue(e.getMessage().startsWith("output.filename_pattern 'firm_{input}': {input} is '" + input
                + "' (the ID file's name without its extension), which " + problem), e.getMessage());
        assertTrue(e.getMessage().contains("rename the ID file, or take {input} out of output.filename_pattern"),
                e.getMessage());
    }

    @ParameterizedTest(name = "U+{0}")
    @ValueSource(ints = {0x00, 0x0A, 0x1B, 0x7F, 0x202E, 0x200B})
    void controlAndInvisibleCharactersAreRefusedAndShownEscaped(int c) {
        String value = "ids" + (char) c + "txt";
        RunException e = assertThrows(RunException.class, () -> OutputName.expand("{query}_x",
                values(value, "u", "i")));
        String hex = String.format("%04X", c);
        assertTrue(e.getMessage().contains("{query} is 'ids\\u" + hex + "txt' (the query's name)")
                && e.getMessage().contains("U+" + hex), e.getMessage());
        assertTrue(e.getMessage().indexOf((char) c) < 0, "the message itself never carries the character");
    }

    @Test
    void aNameThatWouldStartWithADotOrDashIsRefused() {
        RunException hidden = assertThrows(RunException.class, () -> OutputName.expand("{input}",
                values("q", "u", ".bashrc")));
        assertTrue(hidden.getMessage().contains("starts with '.'"), hidden.getMessage());
        RunException option = assertThrows(RunException.class, () -> OutputName.expand("{user}_x",
                values("q", "-rf", "i")));
        assertTrue(option.getMessage().contains("starts with '-'"), option.getMessage());
    }

    @Test
    void anEmptyValueIsRefused() {
        RunException e = assertThrows(RunException.class, () -> OutputName.expand("x_{user}", values("q", "", "i")));
        assertTrue(e.getMessage().contains("{user} (the operating system user) is empty"), e.getMessage());
    }

    @Test
    void aNameTooLongForTheFileSystemIsRefused() {
        RunException e = assertThrows(RunException.class, () -> OutputName.expand("x_{input}",
                values("q", "u", "ä".repeat(150))));
        assertTrue(e.getMessage().contains("a name of 302 bytes; at most 200"), e.getMessage());
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"firms.xlsx, firms", "firm.ids.csv, firm.ids", "ids, ids", ".hidden, .hidden"})
    void theInputNameIsTheFileNameWithoutItsLastExtension(String file, String expected) {
        assertEquals(expected, OutputName.inputName(Path.of("/data", file)));
    }

    @Test
    void aRunIsNamedAfterItsIdFileAndQuery() throws Exception {
        RunSetup setup = setup("output.filename_pattern={input}_{query}_{date}");
        Path ids = Files.writeString(tmp.resolve("q3 firms.csv"), "firm_root_id\n1\n2\n");
        RunRequest request = setup.prepare(RunSetup.Choices.of(ids, "firm_details", tmp.resolve("out")));
        assertEquals("q3 firms_firm_details_" + java.time.LocalDate.now(ZoneOffset.UTC), request.output().baseName());
        assertEquals(tmp.resolve("out").toAbsolutePath().normalize(), request.output().resultCsv().getParent());
    }

    @Test
    void aRunWhoseIdFileNameWouldLeaveTheFolderIsRefusedBeforeAnythingIsWritten() throws Exception {
        RunSetup setup = setup("output.filename_pattern=out_{input}");
        Path dir = Files.createDirectories(tmp.resolve("in"));
        Path ids = Files.writeString(dir.resolve("..hidden.csv"), "firm_root_id\n1\n");
        RunException e = assertThrows(RunException.class, () -> setup.prepare(
                RunSetup.Choices.of(ids, "firm_details", tmp.resolve("out"))));
        assertEquals(ExitCode.USAGE, e.exitCode());
        assertTrue(e.getMessage().contains("{input} is '..hidden'"), e.getMessage());
        assertTrue(Files.notExists(tmp.resolve("out")), "nothing is created");
    }

    private RunSetup setup(String... overrides) throws Exception {
        AppConfig config = new ConfigLoader(TestConfigs.home(), Map.of(), tmp)
                .load(new ConfigRequest(null, null, List.of(overrides))).config();
        return new RunSetup(config, RunSetup.queryRoots(TestConfigs.home()),
                Clock.fixed(Instant.now(), ZoneOffset.UTC));
    }
}
