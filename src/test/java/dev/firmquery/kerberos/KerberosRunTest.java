package dev.firmquery.kerberos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.firmquery.demo.DemoData;
import dev.firmquery.exit.ExitCode;
import dev.firmquery.testing.CliHarness;
import org.apache.kerby.kerberos.kerb.server.KdcConfigKey;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code firmquery run} through Kerberos end to end - command line, login, pool, GSSAPI handshakes with
 * the real KDC and PostgreSQL, files - including a ticket that must be renewed during the run and one
 * that expires for good during the run.
 */
@ExtendWith(KerberosGlobals.class)
@ResourceLock(KerberosGlobals.LOCK)
class KerberosRunTest {
    private static KerberosLab lab;

    @TempDir
    Path tmp;
    private CliHarness cli;

    @BeforeAll
    static void lab() {
        lab = KerberosLab.get();
        lab.postgres();
    }

    @BeforeEach
    void cli() {
        cli = new CliHarness(tmp);
    }

    private Map<String, String> env(String name, KerberosLab.Ticket ticket) {
        lab.databaseUser(name);
        Map<String, String> env = new HashMap<>(lab.environment(KerberosLab.DATABASE));
        env.put("KRB5CCNAME", "FILE:" + lab.ticketCache(name, ticket));
        return env;
    }

    /** An ID file with the first {@code n} demo firms. */
    private Path ids(int n) throws IOException {
        StringBuilder sb = new StringBuilder("firm_root_id\n");
        for (int i = 0; i < n; i++) {
            sb.append(DemoData.firmId(i)).append('\n');
        }
        return Files.writeString(tmp.resolve("ids.csv"), sb.toString());
    }

    /** A template that takes {@code seconds} per chunk, so a run outlives a short ticket. */
    private Path slowQuery(double seconds) throws IOException {
        return Files.writeString(tmp.resolve("slow.sql"), "SELECT f.firm_root_id, f.firm_name FROM firm f, pg_sleep("
                + seconds + ") WHERE f.firm_root_id IN ({ID_PLACEHOLDER})\n");
    }

    private JsonNode report(Path out) throws IOException {
        try (Stream<Path> files = Files.list(out)) {
            Path report = files.filter(p -> p.getFileName().toString().endsWith("_report.json")).findFirst()
                    .orElseThrow(() -> new AssertionError("no report in " + out + "\n" + cli.both()));
            return new ObjectMapper().readTree(report.toFile());
        }
    }

    private static boolean emptyOrAbsent(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return true;
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.noneMatch(p -> !p.getFileName().toString().startsWith("."));
        }
    }

    @Test
    @DisplayName("a full run through Kerberos: header shows principal and expiry, files written, exit 0")
    void fullRun() throws IOException {
        Path out = tmp.resolve("out");
        ExitCode code = cli.run(env("run_user", KerberosLab.Ticket.normal()), "run", "--ids", ids(40).toString(),
                "--query", "firm_details", "--out", out.toString(), "--set", "processing.chunk_size=10");

        assertEquals(ExitCode.COMPLETED, code, cli.both());
        assertTrue(cli.stderr().contains("as run_user (kerberos auth)"), cli.both());
        assertTrue(cli.stderr().contains("krb:   " + KerberosLab.principal("run_user") + ", ticket expires "), cli.both());
        assertTrue(cli.stdout().contains("firmquery: completed"), cli.both());
        JsonNode report = report(out);
        assertEquals("completed", report.get("status").asText());
        assertEquals(4, report.get("chunks").get("succeeded").asInt());
        assertTrue(report.get("rows").asLong() >= 40, report.toString());
    }

    @Test
    @DisplayName("no ticket: exit 3 with the kinit hint, before any file is written")
    void noTicket() throws IOException {
        Map<String, String> env = new HashMap<>(lab.environment(KerberosLab.DATABASE));
        env.put("KRB5CCNAME", "FILE:" + tmp.resolve("krb5cc_missing"));
        Path out = tmp.resolve("out");

        ExitCode code = cli.run(env, "run", "--ids", ids(3).toString(), "--query", "firm_details", "--out",
                out.toString());

        assertEquals(ExitCode.CONNECT, code, cli.both());
        assertTrue(cli.stderr().contains("firmquery: Kerberos login failed: no Kerberos ticket: the ticket cache FILE:"
                + tmp.resolve("krb5cc_missing") + " (from KRB5CCNAME) does not exist; run kinit"), cli.both());
        assertTrue(emptyOrAbsent(out), "nothing written");
    }

    @Test
    @DisplayName("a KEYRING: cache: exit 3 with the commands that work")
    void keyringCache() throws IOException {
        Map<String, String> env = new HashMap<>(lab.environment(KerberosLab.DATABASE));
        env.put("KRB5CCNAME", "KEYRING:persistent:0");

        ExitCode code = cli.run(env, "run", "--ids", ids(3).toString(), "--query", "firm_details", "--out",
                tmp.resolve("out").toString());

        assertEquals(ExitCode.CONNECT, code, cli.both());
        assertTrue(cli.stderr().contains("export KRB5CCNAME=FILE:/tmp/krb5cc_$(id -u); kinit"), cli.both());
    }

    @Test
    @DisplayName("a service name the KDC does not know: exit 3 with the SPN hint")
    void wrongSpn() throws IOException {
        Map<String, String> env = env("run_spn", KerberosLab.Ticket.normal());
        env.put("FIRMQUERY_KERBEROS_SPN", "cockroachdb");

        ExitCode code = cli.run(env, "run", "--ids", ids(3).toString(), "--query", "firm_details", "--out",
                tmp.resolve("out").toString());

        assertEquals(ExitCode.CONNECT, code, cli.both());
        assertTrue(cli.stderr().contains("the KDC does not know the service principal cockroachdb/localhost@"
                + KerberosLab.REALM), cli.both());
        assertTrue(cli.stderr().contains("set kerberos.spn to the service name"), cli.both());
    }

    @Test
    @DisplayName("a short-lived renewable ticket is renewed during the run; new connections keep working, no chunk fails")
    void renewedDuringTheRun() throws Exception {
        // The KDC issues tickets of at most 4 s here, service tickets included (as an MIT KDC caps them at
        // the ticket-granting ticket's end). The chunks take ~6 s and the pool retires connections after
        // 1 s, so GSSAPI handshakes happen after the first ticket's end: they work only because the
        // ticket was renewed at half-life (KerberosConnectionTest shows the same connection failing
        // without renewal).
        Map<String, String> env = env("run_renew", KerberosLab.Ticket.lasting(Duration.ofSeconds(4), true));
        Path out = tmp.resolve("out");
        Path ids = ids(30);
        Path query = slowQuery(0.4);

        ExitCode code = lab.withKdcSetting(KdcConfigKey.MAXIMUM_TICKET_LIFETIME, 4L, () -> cli.run(env, "run",
                "--ids", ids.toString(), "--query", query.toString(), "--out", out.toString(), "--format", "csv",
                "--set", "processing.chunk_size=1", "--set", "database.max_connection_age=1",
                "--set", "processing.max_retries=0", "--set", "kerberos.expired_wait=0"));

        assertEquals(ExitCode.COMPLETED, code, cli.both());
        assertTrue(cli.stderr().contains("firmquery: Kerberos ticket renewed: " + KerberosLab.principal("run_renew")),
                cli.both());
        JsonNode report = report(out);
        assertEquals(30, report.get("chunks").get("succeeded").asInt(), report.toString());
        assertEquals(0, report.get("chunks").get("failed").asInt());
        assertEquals(0, report.get("chunks").get("retries").asInt());
    }

    @Test
    @DisplayName("a ticket that expires for good during the run: the run waits kerberos.expired_wait, then ends "
            + "partial and resumable, keeping every finished chunk")
    void expiresDuringTheRun() throws IOException {
        Map<String, String> env = env("run_expire", KerberosLab.Ticket.lasting(Duration.ofSeconds(6), false));
        Path out = tmp.resolve("out");

        ExitCode code = cli.run(env, "run", "--ids", ids(40).toString(), "--query", slowQuery(0.3).toString(),
                "--out", out.toString(), "--format", "csv", "--set", "processing.chunk_size=1",
                "--set", "processing.thread_count=1", "--set", "kerberos.expired_wait=0.5");

        assertEquals(ExitCode.PARTIAL, code, cli.both());
        assertTrue(cli.stderr().contains("the Kerberos ticket of " + KerberosLab.principal("run_expire")
                + " has expired"), cli.both());
        assertTrue(cli.stderr().contains("cannot be renewed; run KRB5CCNAME=" + env.get("KRB5CCNAME") + " kinit "
                + KerberosLab.principal("run_expire") + " in another terminal - waiting up to 0.5 s "
                + "(kerberos.expired_wait)"), cli.both());
        assertTrue(cli.stdout().contains("firmquery: partial"), cli.both());
        JsonNode report = report(out);
        JsonNode chunks = report.get("chunks");
        assertEquals("partial", report.get("status").asText());
        assertEquals(0, chunks.get("failed").asInt(), report.toString());
        assertTrue(chunks.get("succeeded").asInt() > 0, report.toString());
        assertTrue(chunks.get("not_run").asInt() > 0, report.toString());
        assertEquals(40, chunks.get("succeeded").asInt() + chunks.get("not_run").asInt());
        String reason = report.get("stop_reason").asText();
        assertTrue(reason.contains("the Kerberos ticket of " + KerberosLab.principal("run_expire") + " expired at"), reason);
        assertTrue(reason.contains(" kinit " + KerberosLab.principal("run_expire") + ", then finish the run with "
                + "firmquery run --resume"), reason);
        assertFalse(List.of(cli.stdout().split("\n")).stream().anyMatch(l -> l.startsWith("  error")), cli.both());
    }
}
