package dev.firmquery.exit;

import dev.firmquery.chunk.ChunkPlanException;
import dev.firmquery.config.ConfigException;
import dev.firmquery.localpg.PostgresServerException;
import dev.firmquery.ids.IdInputException;
import dev.firmquery.kerberos.Diagnosis;
import dev.firmquery.kerberos.KerberosException;
import dev.firmquery.run.RunException;
import dev.firmquery.run.RunStatus;
import dev.firmquery.sql.TemplateException;
import dev.firmquery.testing.TestConfigs;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.EnumSet;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The exit codes are a contract with the user's scripts: the numbers, what each exception that ends a
 * command ends with, and how a run's status maps onto them.
 */
class ExitCodeTest {

    @Test
    @DisplayName("the numbers are the documented ones: 0, 1, 2, 3, 70 (EX_SOFTWARE) and 130 (128 + SIGINT)")
    void numbers() {
        Map<ExitCode, Integer> expected = new LinkedHashMap<>();
        expected.put(ExitCode.COMPLETED, 0);
        expected.put(ExitCode.PARTIAL, 1);
        expected.put(ExitCode.USAGE, 2);
        expected.put(ExitCode.CONNECT, 3);
        expected.put(ExitCode.INTERNAL, 70);
        expected.put(ExitCode.INTERRUPTED, 130);
        Map<ExitCode, Integer> actual = Arrays.stream(ExitCode.values())
                .collect(Collectors.toMap(c -> c, ExitCode::code, (a, b) -> a, LinkedHashMap::new));
        assertEquals(expected, actual);
    }

    @Test
    @DisplayName("the worst of several jobs: internal error, interrupted, connect, usage, partial, completed")
    void worst() {
        List<ExitCode> order = List.of(ExitCode.COMPLETED, ExitCode.PARTIAL, ExitCode.USAGE, ExitCode.CONNECT,
                ExitCode.INTERRUPTED, ExitCode.INTERNAL);
        for (int i = 0; i < order.size(); i++) {
            for (int j = 0; j < order.size(); j++) {
                ExitCode expected = order.get(Math.max(i, j));
                assertEquals(expected, order.get(i).worst(order.get(j)), order.get(i) + " and " + order.get(j));
            }
        }
        assertEquals(EnumSet.allOf(ExitCode.class), EnumSet.copyOf(order), "every code has its rank");
    }

    @Test
    @DisplayName("README's exit-code table lists exactly the codes of the enum")
    void readmeTableMatchesTheEnum() throws IOException {
        String readme = Files.readString(TestConfigs.home().resolve("README.md"));
        int start = readme.indexOf("### Exit codes");
        String section = readme.substring(start, readme.indexOf("\n## ", start));
        Matcher m = Pattern.compile("(?m)^\\| (\\d+) \\|").matcher(section);
        List<Integer> documented = new ArrayList<>();
        while (m.find()) {
            documented.add(Integer.parseInt(m.group(1)));
        }
        assertEquals(Arrays.stream(ExitCode.values()).map(ExitCode::code).toList(), documented, section);
    }

    static Stream<Arguments> exceptionsThatEndACommand() {
        return Stream.of(
                Arguments.of(new ConfigException(List.of("processing.chunk_size: 0 is below 1")), ExitCode.USAGE),
                Arguments.of(new IdInputException("ids.csv: no column firm_root_id"), ExitCode.USAGE),
                Arguments.of(new TemplateException("q.sql:1:1: no {ID_PLACEHOLDER}"), ExitCode.USAGE),
                Arguments.of(new ChunkPlanException("one ID does not fit in max_query_length"), ExitCode.USAGE),
                Arguments.of(new PostgresServerException("no initdb on PATH"), ExitCode.USAGE),
                Arguments.of(new KerberosException(new Diagnosis("no Kerberos ticket", "run kinit"), null),
                        ExitCode.CONNECT),
                Arguments.of(new RunException("the query was rejected", ExitCode.USAGE), ExitCode.USAGE),
                Arguments.of(new RunException("cannot connect", ExitCode.CONNECT), ExitCode.CONNECT),
                Arguments.of(new CommandFailure("interrupted", ExitCode.INTERRUPTED), ExitCode.INTERRUPTED));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("exceptionsThatEndACommand")
    @DisplayName("each exception that ends a command carries its exit code")
    void eachExceptionCarriesItsCode(FirmqueryException e, ExitCode expected) {
        assertEquals(expected, e.exitCode());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(RunStatus.class)
    @DisplayName("a run's status decides the exit code: partial and failed runs are 1, a cancelled one 130")
    void runStatus(RunStatus status) {
        ExitCode expected = switch (status) {
            case COMPLETED -> ExitCode.COMPLETED;
            case PARTIAL, FAILED -> ExitCode.PARTIAL;
            case CANCELLED -> ExitCode.INTERRUPTED;
            case INTERNAL_ERROR -> ExitCode.INTERNAL;
        };
        assertEquals(expected, status.exitCode());
    }

    @Test
    @DisplayName("the process ends in one place: System.exit only in cli.Main, an immediate halt only here")
    void oneExit() throws IOException {
        Path sources = TestConfigs.home().resolve("src/main/java");
        Map<String, List<String>> calls = new TreeMap<>();
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String text = Files.readString(f);
                for (String call : List.of("System.exit(", "Runtime.getRuntime().halt(", "Runtime.getRuntime().exit(")) {
                    if (text.contains(call)) {
                        calls.computeIfAbsent(call, k -> new ArrayList<>()).add(sources.relativize(f).toString());
                    }
                }
            }
        }
        assertEquals(Map.of("System.exit(", List.of("dev/firmquery/cli/Main.java"),
                "Runtime.getRuntime().halt(", List.of("dev/firmquery/exit/ExitCode.java")), calls);
    }

    @Test
    @DisplayName("a failure always names its exit code: none can be made without one")
    void aFailureNeedsACode() {
        assertThrows(NullPointerException.class, () -> new RunException("x", null));
        assertThrows(NullPointerException.class, () -> new CommandFailure("x", null));
    }

    @Test
    @DisplayName("the cause is kept for the log")
    void causeIsKept() {
        IOException cause = new IOException("disk full");
        assertSame(cause, new CommandFailure("cannot write", ExitCode.USAGE, cause).getCause());
    }
}
