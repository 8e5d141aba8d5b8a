package dev.firmquery.kerberos;

import dev.firmquery.testing.TestConfigs;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code kerberos.mode: native} hands Kerberos to the system's GSS library (MIT krb5). That switch is
 * process-wide and cannot be undone, so this test runs {@code firmquery check} in a JVM of its own,
 * with the environment a user would have: KRB5_CONFIG and KRB5CCNAME, read by the library itself.
 */
class NativeModeTest {
    private static KerberosLab lab;

    @TempDir
    Path tmp;

    @BeforeAll
    static void lab() {
        lab = KerberosLab.get();
        lab.postgres();
    }

    @Test
    @DisplayName("native mode: the system library reads the cache and the connection succeeds (separate JVM)")
    void nativeCheckPasses() throws Exception {
        assumeTrue(Files.exists(Path.of("/lib/x86_64-linux-gnu/libgssapi_krb5.so.2"))
                        || Files.exists(Path.of("/usr/lib/x86_64-linux-gnu/libgssapi_krb5.so.2"))
                        || Files.exists(Path.of("/usr/lib64/libgssapi_krb5.so.2")),
                "the system's GSS library (libgssapi_krb5.so.2) is not installed");
        lab.databaseUser("native_user");
        Path cache = lab.ticketCache("native_user", KerberosLab.Ticket.normal());

        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Dfirmquery.home=" + TestConfigs.home(),
                "-Duser.home=" + tmp, "dev.firmquery.cli.Main", "check"));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("FIRMQUERY_") || k.startsWith("KRB5"));
        env.putAll(lab.environment(KerberosLab.DATABASE));
        env.remove("FIRMQUERY_KERBEROS_KRB5_CONF");
        env.put("FIRMQUERY_KERBEROS_MODE", "native");
        env.put("FIRMQUERY_LOGGING_DIRECTORY", tmp.resolve("logs").toString());
        env.put("KRB5_CONFIG", lab.krb5Conf().toString());
        env.put("KRB5CCNAME", "FILE:" + cache);
        Process p = pb.start();
        byte[] output = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "firmquery check did not finish");
        String text = new String(output, StandardCharsets.UTF_8);

        assertEquals(0, p.exitValue(), text);
        assertTrue(text.contains("  ok    ticket     " + KerberosLab.principal("native_user")), text);
        assertTrue(text.contains("the system's GSS library"), text);
        assertTrue(text.contains(" as native_user: PostgreSQL"), text);
    }
}
