package dev.firmquery.kerberos;

import javax.security.auth.login.Configuration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.NoSuchAlgorithmException;
import java.security.URIParameter;
import java.util.List;

import static dev.firmquery.kerberos.LoginRule.refuse;

/**
 * {@code kerberos.mode: jaas}: an entry ({@code kerberos.jaas_entry}) of a JAAS configuration file
 * the site already has ({@code kerberos.jaas_conf}).
 */
final class JaasFileLogin implements ModeLogin {

    private static final List<LoginRule<Path>> FILE_RULES = List.of(
            refuse(f -> f == null || !Files.isRegularFile(f), f -> new Diagnosis("the JAAS file " + f
                    + " (kerberos.jaas_conf) does not exist",
                    "fix kerberos.jaas_conf, or use kerberos.mode ticket-cache, which needs no file")));

    private final KerberosSettings settings;

    JaasFileLogin(KerberosSettings settings) {
        this.settings = settings;
    }

    @Override
    public KerberosLogin login() throws KerberosException {
        Path file = settings.jaasConf();
        LoginRule.checkAll(FILE_RULES, file);
        Configuration configuration;
        try {
            configuration = Configuration.getInstance("JavaLoginConfig", new URIParameter(file.toUri()));
        } catch (NoSuchAlgorithmException | RuntimeException e) {
            throw new KerberosException(new Diagnosis("cannot read the JAAS file " + file + ": "
                    + KerberosErrors.deepest(e), "fix the file's syntax (see docs/kerberos.md for an example entry)"), e);
        }
        if (configuration.getAppConfigurationEntry(settings.jaasEntry()) == null) {
            throw new KerberosException(new Diagnosis("the JAAS file " + file + " has no entry '"
                    + settings.jaasEntry() + "'", "set kerberos.jaas_entry to the name of the entry to use"), null);
        }
        return JaasLogins.login(settings, configuration, settings.jaasEntry(),
                "JAAS entry " + settings.jaasEntry() + " in " + file);
    }

    @Override
    public String kinitCommand(String principal) {
        return "kinit " + principal;
    }

    /** The site's entry may use a keytab: a new login may well give a fresh ticket. */
    @Override
    public boolean freshTicketPossible(KerberosStatus status) {
        return true;
    }
}
