package dev.firmquery.kerberos;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the messages of Java's Kerberos, the JDBC driver and the server into a plain-language cause
 * and fix. Java's Kerberos classes are internal, so the match is on their messages and the RFC 4120
 * error numbers they carry ("Server not found in Kerberos database (7)").
 */
public final class KerberosErrors {
    private KerberosErrors() {
    }

    /**
     * What firmquery was doing, so the fix can name the right setting.
     *
     * @param mode      the credential source
     * @param principal the client principal, if known
     * @param spn       the service principal requested, e.g. {@code postgres/db1.example.com@EXAMPLE.COM}
     * @param dbHost    {@code database.host}
     * @param dbUser    the database user name sent to the server
     * @param cache     the ticket cache described, if relevant
     * @param keytab    the keytab, if relevant
     * @param krb5      the krb5.conf in use
     * @param sslMode   {@code database.ssl_mode}
     */
    public record Context(KerberosMode mode, String principal, String spn, String dbHost, String dbUser,
                          String cache, String keytab, Krb5Config krb5, String sslMode) {
    }

    /**
     * The diagnosis of {@code error} (any exception whose chain carries a Kerberos, driver or server
     * message), or empty when nothing in it is recognised.
     */
    public static Optional<Diagnosis> diagnose(Throwable error, Context c) {
        String all = messages(error).toLowerCase(Locale.ROOT);
        String state = sqlState(error);
        String realm = c.krb5() == null ? null : c.krb5().defaultRealm();
        Set<Integer> codes = kerberosCodes(error);

        // Server and TLS first: they arrive as SQL errors with a Kerberos-looking cause at times.
        if (has(all, "ssl connection required", "requires ssl", "no encryption", "ssl off",
                "node is running secure mode")) {
            return Optional.of(new Diagnosis("the server accepts " + who(c) + " only over TLS (it refused the "
                    + "unencrypted connection" + (state == null ? "" : ", SQLState " + state) + ")",
                    "set database.ssl_mode to verify-full and put the cluster's CA certificate in "
                            + "~/.postgresql/root.crt (CockroachDB requires TLS for GSSAPI)"));
        }
        if (has(all, "the server does not support ssl")) {
            return Optional.of(new Diagnosis("the server does not offer TLS, but database.ssl_mode is "
                    + c.sslMode(), "ask for TLS on the server; only for a test server set database.ssl_mode to "
                    + "disable"));
        }
        if (has(all, "root certificate file", "pkix path", "unable to find valid certification path",
                "certificate verify failed", "hostname verification", "does not match the server's certificate")) {
            return Optional.of(new Diagnosis("the server's TLS certificate could not be verified ("
                    + firstLine(error) + ")", "put the cluster's CA certificate (ca.crt) in ~/.postgresql/root.crt "
                    + "and use the host name in the certificate as database.host"));
        }
        if (has(all, "server requested password-based authentication", "password authentication failed")) {
            return Optional.of(new Diagnosis("the server asks " + who(c) + " for a password, not for Kerberos",
                    "ask the database administrators for a gss rule for your user (CockroachDB: "
                            + "server.host_based_authentication.configuration), or use database.auth password"));
        }
        if ("28000".equals(state) || "28P01".equals(state) || has(all, "gssapi authentication failed for user")) {
            if (has(all, "no pg_hba.conf entry")) {
                return Optional.of(new Diagnosis("the server has no authentication rule for " + who(c)
                        + " from this host (SQLState " + state + ")", "ask the database administrators to add a "
                        + "gss rule (PostgreSQL: pg_hba.conf; CockroachDB: server.host_based_authentication.configuration)"));
            }
            return Optional.of(new Diagnosis("the server refused " + who(c) + " for the Kerberos principal "
                    + (c.principal() == null ? "in use" : c.principal()) + " (SQLState " + (state == null ? "28000" : state)
                    + ": the user name does not match the principal)",
                    "leave database.user empty to connect as the principal's name without the realm, or ask the "
                            + "database administrators to map the principal to this user (PostgreSQL pg_ident.conf, "
                            + "CockroachDB's map option)"));
        }
        if (has(all, "server not found in kerberos database") || codes.contains(7)) {
            String spn = c.spn() == null ? "of the database" : c.spn();
            if (c.dbHost() != null && ServicePrincipal.isIpAddress(c.dbHost())) {
                return Optional.of(new Diagnosis("the KDC does not know the service principal " + spn
                        + ": database.host " + c.dbHost() + " is an IP address, and service principals name hosts",
                        "set database.host to the database's host name as registered in Kerberos (e.g. "
                                + "db1.example.com), not an IP address or alias"));
            }
            return Optional.of(new Diagnosis("the KDC does not know the service principal " + spn
                    + " (Server not found in Kerberos database)", "set kerberos.spn to the service name the "
                    + "database is registered under (postgres by default; e.g. cockroachdb) and database.host to "
                    + "the host name in that principal, not an alias or a name DNS turns into another one"));
        }
        if (has(all, "client not found in kerberos database") || codes.contains(6)) {
            return Optional.of(new Diagnosis("the KDC does not know the principal "
                    + (c.principal() == null ? "in use" : c.principal()), "check kerberos.principal and its realm, "
                    + "or run kinit with your own principal"));
        }
        if (has(all, "clock skew too great") || codes.contains(37)) {
            return Optional.of(new Diagnosis("the clocks of this host and the Kerberos servers differ by more than "
                    + "the allowed skew (usually 5 minutes)", "synchronise this host's clock (timedatectl status, "
                    + "chronyc tracking) or ask the administrators to"));
        }
        if (has(all, "kdc has no support for encryption type", "no supported default etypes",
                "do not have keys of types listed", "is not supported/enabled", "encryption type not supported")
                || codes.contains(14)) {
            return Optional.of(new Diagnosis("no encryption type that both Java 17 and the KDC accept (Java 17 "
                    + "disables DES, 3DES and RC4)", "use AES keys: a keytab with aes256-cts-hmac-sha1-96 keys from "
                    + "the Kerberos administrators, or kinit -e aes256-cts-hmac-sha1-96; enabling weak crypto is no fix"));
        }
        if (has(all, "pre-authentication information was invalid", "integrity check on decrypted field failed")
                || codes.contains(24)) {
            if (c.mode() == KerberosMode.KEYTAB) {
                return Optional.of(new Diagnosis("the KDC rejected the key in the keytab " + c.keytab() + " for "
                        + c.principal() + " (the password was changed or the key version moved on)",
                        "get a new keytab from the Kerberos administrators"));
            }
            return Optional.of(new Diagnosis("the KDC rejected the credentials of " + c.principal(),
                    "run kinit again with the current password"));
        }
        if (has(all, "clients credentials have been revoked") || codes.contains(18)) {
            return Optional.of(new Diagnosis("the KDC says the account " + c.principal() + " is locked or disabled",
                    "ask the Kerberos administrators"));
        }
        if (has(all, "cannot locate default realm")) {
            return Optional.of(new Diagnosis("no default realm: " + krb5Described(c) + " sets no default_realm",
                    "point kerberos.krb5_conf at your site's krb5.conf, or add default_realm under [libdefaults]"));
        }
        if (has(all, "cannot contact any kdc", "cannot locate kdc", "receive timed out", "kdc unreachable")) {
            String kdcs = c.krb5() == null ? "" : String.join(", ", c.krb5().kdcsOf(realm));
            return Optional.of(new Diagnosis("no KDC" + (realm == null ? "" : " of realm " + realm) + " answers"
                    + (kdcs.isEmpty() ? "" : " (kdc = " + kdcs + " in " + c.krb5().path() + ")"),
                    "check the network and firewall to the KDC (port 88, TCP and UDP), or fix [realms] in krb5.conf"));
        }
        if (hasKerberosException(error) && has(all, "connection refused", "connect timed out", "receive timed out",
                "no route to host", "unknownhostexception", "network is unreachable")) {
            String kdcs = c.krb5() == null ? "" : String.join(", ", c.krb5().kdcsOf(realm));
            return Optional.of(new Diagnosis("no KDC" + (realm == null ? "" : " of realm " + realm) + " answers ("
                    + KerberosErrors.deepest(error)
                    + (kdcs.isEmpty() ? "" : "; kdc = " + kdcs + " in " + c.krb5().path()) + ")",
                    "check the network and firewall to the KDC (port 88, TCP and UDP), or fix [realms] in krb5.conf"));
        }
        if (has(all, "ticket expired") || codes.contains(32)) {
            return Optional.of(new Diagnosis("the Kerberos ticket" + of(c) + " has expired", "run kinit, then try again"));
        }
        if (has(all, "krb5.conf loading failed", "error parsing config")) {
            return Optional.of(new Diagnosis("Java cannot use " + krb5Described(c) + " (" + firstLine(error) + ")",
                    "fix the file, or point kerberos.krb5_conf at a working krb5.conf"));
        }
        if (has(all, "unable to obtain password from user", "failed to find any kerberos tgt",
                "no valid credentials provided", "no kerberos credentials available")) {
            return Optional.of(noCredentials(c));
        }
        if (has(all, "gss authentication failed", "gssexception", "krbexception")) {
            return Optional.of(new Diagnosis("GSSAPI authentication failed: " + deepest(error),
                    "run firmquery check for a step-by-step diagnosis"));
        }
        return Optional.empty();
    }

    /** The diagnosis when a login or connection finds no usable credentials, by mode. */
    static Diagnosis noCredentials(Context c) {
        return switch (c.mode()) {
            case KEYTAB -> new Diagnosis("the keytab " + c.keytab() + " has no usable key for "
                    + (c.principal() == null ? "the principal" : c.principal()),
                    "check kerberos.principal against the keytab (klist -kt " + c.keytab() + "), or get a new keytab");
            case JAAS -> new Diagnosis("the JAAS entry found no usable Kerberos credentials",
                    "run kinit, or check the entry's keyTab/ticketCache options in kerberos.jaas_conf");
            case NATIVE -> new Diagnosis("no valid Kerberos ticket in the system's default cache",
                    "run kinit, then try again");
            case TICKET_CACHE -> new Diagnosis("no valid Kerberos ticket" + (c.cache() == null ? "" : " in " + c.cache()),
                    "run kinit, then try again");
        };
    }

    private static String who(Context c) {
        return c.dbUser() == null ? "this user" : "user " + c.dbUser();
    }

    private static String of(Context c) {
        return c.principal() == null ? "" : " of " + c.principal();
    }

    private static String krb5Described(Context c) {
        return c.krb5() == null ? "krb5.conf" : "krb5.conf " + c.krb5().path() + " (from " + c.krb5().source() + ")";
    }

    private static boolean has(String text, String... needles) {
        for (String n : needles) {
            if (text.contains(n)) {
                return true;
            }
        }
        return false;
    }

    /** Every message along the cause chain, joined. */
    static String messages(Throwable error) {
        List<String> parts = new ArrayList<>();
        for (Throwable t = error; t != null && parts.size() < 20; t = t.getCause()) {
            parts.add(t.getClass().getSimpleName() + ": " + t.getMessage());
            for (Throwable s : t.getSuppressed()) {
                parts.add(s.getClass().getSimpleName() + ": " + s.getMessage());
            }
        }
        return String.join(" | ", parts);
    }

    private static boolean hasKerberosException(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            String name = t.getClass().getSimpleName();
            if (name.startsWith("Krb") || name.startsWith("GSS") || name.endsWith("LoginException")) {
                return true;
            }
        }
        return false;
    }

    private static final Pattern CODE = Pattern.compile("\\((\\d{1,3})\\)");

    /** RFC 4120 error numbers in the messages of Java's Kerberos and GSS exceptions, e.g. 7 in "... (7)". */
    static Set<Integer> kerberosCodes(Throwable error) {
        Set<Integer> codes = new HashSet<>();
        for (Throwable t = error; t != null; t = t.getCause()) {
            String name = t.getClass().getSimpleName();
            if (t.getMessage() != null && (name.startsWith("Krb") || name.startsWith("GSS") || name.startsWith("Login"))) {
                Matcher m = CODE.matcher(t.getMessage());
                while (m.find()) {
                    codes.add(Integer.parseInt(m.group(1)));
                }
            }
        }
        return codes;
    }

    private static String sqlState(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && s.getSQLState() != null) {
                return s.getSQLState();
            }
        }
        return null;
    }

    private static String firstLine(Throwable t) {
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    /** The innermost message, usually the most specific. */
    static String deepest(Throwable error) {
        Throwable last = error;
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t.getMessage() != null) {
                last = t;
            }
        }
        return firstLine(last);
    }
}
