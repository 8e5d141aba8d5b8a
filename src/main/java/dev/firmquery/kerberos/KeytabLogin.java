package dev.firmquery.kerberos;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.firmquery.kerberos.LoginRule.refuse;

/**
 * {@code kerberos.mode: keytab}: a keytab and a principal, for cron and batch jobs, through a
 * generated JAAS entry; firmquery gets and renews its own tickets. The keytab is read first (its
 * principals and encryption types, never the keys) to tell "no key for that principal" and "only
 * RC4/DES keys" apart.
 */
final class KeytabLogin implements ModeLogin {
    // The session's logger: the login's lines read as one component in firmquery.log.
    private static final Logger log = LoggerFactory.getLogger(KerberosSession.class);

    /** What the keytab holds, and the principal asked for (null: the keytab's first). */
    private record Held(Path keytab, KeytabFile kt, String principal) {
        String effectivePrincipal() {
            return principal != null ? principal : kt.principals().get(0);
        }
    }

    private static final List<LoginRule<Path>> FILE_RULES = List.of(
            refuse(k -> k == null, k -> new Diagnosis("kerberos.mode is keytab but kerberos.keytab is empty",
                    "set kerberos.keytab to the keytab file")),
            refuse(k -> !Files.isRegularFile(k), k -> new Diagnosis("the keytab " + k
                    + " (kerberos.keytab) does not exist",
                    "fix kerberos.keytab, or get the keytab from the Kerberos administrators")),
            refuse(k -> !Files.isReadable(k), k -> new Diagnosis("the keytab " + k + " (kerberos.keytab) cannot be read by "
                    + System.getProperty("user.name"), "give this user read access (and only this user: chmod 600)")));

    private static final List<LoginRule<Held>> CONTENT_RULES = List.of(
            refuse(h -> h.kt().principals().isEmpty(), h -> new Diagnosis("the keytab " + h.keytab()
                    + " holds no keys", "get a new keytab")),
            refuse(h -> h.principal() != null && h.kt().enctypesOf(h.principal()).isEmpty(),
                    h -> new Diagnosis("the keytab " + h.keytab() + " has no key for " + h.principal()
                            + "; it holds keys for " + String.join(", ", h.kt().principals()),
                            "set kerberos.principal to one of those, or get a keytab for " + h.principal())),
            refuse(h -> !Enctypes.anyJavaDefault(h.kt().enctypesOf(h.effectivePrincipal())),
                    h -> new Diagnosis("the keytab " + h.keytab() + " holds only "
                            + String.join(", ", Enctypes.names(h.kt().enctypesOf(h.effectivePrincipal())))
                            + " keys for " + h.effectivePrincipal()
                            + ", encryption types Java 17 does not use (it disables DES, 3DES and RC4)",
                            "get a keytab with AES keys (aes256-cts-hmac-sha1-96) from the Kerberos administrators")));

    private final KerberosSettings settings;

    KeytabLogin(KerberosSettings settings) {
        this.settings = settings;
    }

    @Override
    public KerberosLogin login() throws KerberosException {
        Path keytab = settings.keytab();
        LoginRule.checkAll(FILE_RULES, keytab);
        String principal = settings.qualifiedPrincipal();
        KeytabFile kt;
        try {
            kt = KeytabFile.read(keytab);
        } catch (IOException e) {
            log.debug("could not read keytab {} for diagnosis: {}", keytab, e.toString());
            if (principal == null) {
                throw new KerberosException(new Diagnosis("cannot read the keytab " + keytab + ": " + e.getMessage(),
                        "check the file, or set kerberos.principal"), e);
            }
            kt = null;
        }
        if (kt != null) {
            Held held = new Held(keytab, kt, principal);
            LoginRule.checkAll(CONTENT_RULES, held);
            principal = held.effectivePrincipal();
        }
        Map<String, String> options = Map.of(
                "useKeyTab", "true",
                "keyTab", keytab.toString(),
                "principal", principal,
                "storeKey", "false");
        return JaasLogins.login(settings, JaasLogins.generated(options), KerberosSettings.GENERATED_ENTRY,
                "keytab " + keytab);
    }

    @Override
    public String kinitCommand(String principal) {
        return "kinit -k -t " + settings.keytab() + " " + principal;
    }

    @Override
    public boolean freshTicketPossible(KerberosStatus status) {
        return true;
    }
}
