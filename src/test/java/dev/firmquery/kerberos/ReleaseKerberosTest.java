package dev.firmquery.kerberos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.firmquery.demo.DemoData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The released install (the unpacked tarball, {@code -Dfirmquery.dist=DIR}) against the real KDC and
 * GSS-enabled PostgreSQL of {@link KerberosLab}: its trimmed Java runtime must carry everything GSS-API,
 * JAAS and the Kerberos login modules need. Its launcher runs as a separate process with a bare
 * environment, as a user would start it. Run by {@code .ci/release-e2e.sh} after the dist build;
 * skipped in a plain {@code mvn verify}, where there is no install to test.
 */
@EnabledIfSystemProperty(named = "firmquery.dist", matches = ".+")
@ExtendWith(KerberosGlobals.class)
@ResourceLock(KerberosGlobals.LOCK)
class ReleaseKerberosTest {
    private static final Path INSTALL = Paths.get(System.getProperty("firmquery.dist", "")).toAbsolutePath();
    private static KerberosLab lab;

    @TempDir
    Path tmp;

    @BeforeAll
    static void lab() {
        lab = KerberosLab.get();
        lab.postgres();
    }

    /** The result of one launcher run. */
    private record Result(int code, String stdout, String stderr) {
        String both() {
            return "exit " + code + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
        }
    }

    private Result firmquery(Map<String, String> settings, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(INSTALL.resolve("bin/firmquery").toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(tmp.toFile())
                .redirectOutput(tmp.resolve("stdout").toFile()).redirectError(tmp.resolve("stderr").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Map<String, String> env = pb.environment();
        env.clear();
        env.put("PATH", "/usr/bin:/bin");
        env.put("HOME", tmp.toString());
        env.put("FIRMQUERY_LOGGING_DIRECTORY", tmp.resolve("logs").toString());
        env.putAll(settings);
        Process p = pb.start();
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("firmquery " + String.join(" ", args) + " did not end within 180 s");
        }
        return new Result(p.exitValue(), Files.readString(tmp.resolve("stdout"), StandardCharsets.UTF_8),
                Files.readString(tmp.resolve("stderr"), StandardCharsets.UTF_8));
    }

    private Map<String, String> ticketCache(String name) {
        lab.databaseUser(name);
        Map<String, String> env = new HashMap<>(lab.environment(KerberosLab.DATABASE));
        env.put("KRB5CCNAME", "FILE:" + lab.ticketCache(name, KerberosLab.Ticket.normal()));
        return env;
    }

    private Path ids(int n) throws IOException {
        StringBuilder sb = new StringBuilder("firm_root_id\n");
        for (int i = 0; i < n; i++) {
            sb.append(DemoData.firmId(i)).append('\n');
        }
        return Files.writeString(tmp.resolve("ids.csv"), sb.toString());
    }

    private static JsonNode report(Path out) throws IOException {
        try (Stream<Path> files = Files.list(out)) {
            Path report = files.filter(p -> p.getFileName().toString().endsWith("_report.json")).findFirst()
                    .orElseThrow(() -> new AssertionError("no report in " + out));
            return new ObjectMapper().readTree(report.toFile());
        }
    }

    @Test
    @DisplayName("the launcher runs on the install's own Java runtime")
    void usesTheBundledRuntime() throws Exception {
        Result r = firmquery(Map.of(), "--version");
        assertEquals(0, r.code(), r.both());
        assertTrue(r.stdout().contains("runtime: " + INSTALL.resolve("runtime")), r.both());
    }

    @Test
    @DisplayName("check: every Kerberos and database step passes with a ticket cache")
    void checkWithATicketCache() throws Exception {
        Result r = firmquery(ticketCache("release_check"), "check");
        assertEquals(0, r.code(), r.both());
    }

    @Test
    @DisplayName("run through Kerberos with a ticket cache: files written, report completed")
    void runWithATicketCache() throws Exception {
        Path out = tmp.resolve("out");
        Result r = firmquery(ticketCache("release_run"), "run", "--ids", ids(30).toString(), "--query",
                "firm_details", "--out", out.toString(), "--set", "processing.chunk_size=10");
        assertEquals(0, r.code(), r.both());
        assertTrue(r.stderr().contains("krb:   " + KerberosLab.principal("release_run")), r.both());
        JsonNode report = report(out);
        assertEquals("completed", report.get("status").asText());
        assertEquals(3, report.get("chunks").get("succeeded").asInt());
        assertTrue(report.get("rows").asLong() >= 30, report.toString());
    }

    @Test
    @DisplayName("run through Kerberos with a keytab (batch jobs): report completed")
    void runWithAKeytab() throws Exception {
        lab.databaseUser("release_kt");
        Map<String, String> env = new HashMap<>(lab.environment(KerberosLab.DATABASE));
        env.put("FIRMQUERY_KERBEROS_MODE", "keytab");
        env.put("FIRMQUERY_KERBEROS_KEYTAB", lab.keytab("release_kt").toString());
        env.put("FIRMQUERY_KERBEROS_PRINCIPAL", KerberosLab.principal("release_kt"));
        Path out = tmp.resolve("out");
        Result r = firmquery(env, "run", "--ids", ids(5).toString(), "--query", "firm_names", "--out", out.toString(),
                "--format", "csv");
        assertEquals(0, r.code(), r.both());
        assertEquals("completed", report(out).get("status").asText());
    }
}
