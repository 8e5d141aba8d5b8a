package dev.firmquery.kerberos;

import dev.firmquery.config.AppConfig;
import dev.firmquery.posix.Posix;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The {@code kerberos} section worked out against this machine: which krb5.conf, which ticket cache,
 * which principal and service principal. Shared by the login ({@link KerberosSession}) and
 * {@code firmquery check}.
 *
 * @param mode           where credentials come from
 * @param krb5           the krb5.conf in use (read for diagnosis; Java reads it itself too)
 * @param cache          the ticket cache ({@link KerberosMode#TICKET_CACHE}; worked out in every mode for check)
 * @param keytab         {@code kerberos.keytab}, or null
 * @param principal      {@code kerberos.principal}, or null (then: the cache's or the keytab's first)
 * @param jaasConf       {@code kerberos.jaas_conf}, or null
 * @param jaasEntry      the JAAS entry: {@code kerberos.jaas_entry}, else {@code pgjdbc} in mode jaas, else
 *                       firmquery's own generated entry
 * @param spn            {@code kerberos.spn}, parsed
 * @param dbHost         {@code database.host}: the host part of the requested service principal
 * @param configuredUser {@code database.user} if configured; null when it comes from the principal
 * @param expiredWait    {@code kerberos.expired_wait}
 * @param renew          {@code kerberos.renew}
 */
public record KerberosSettings(KerberosMode mode, Krb5Config krb5, TicketCacheName cache, Path keytab,
                               String principal, Path jaasConf, String jaasEntry, ServicePrincipal spn,
                               String dbHost, String configuredUser, Duration expiredWait, boolean renew) {

    /** The JAAS entry name of the configuration firmquery generates for ticket-cache and keytab modes. */
    public static final String GENERATED_ENTRY = "firmquery";
    /** The entry pgjdbc itself looks up, and so the one existing JAAS files for PostgreSQL use. */
    public static final String PGJDBC_ENTRY = "pgjdbc";

    /**
     * @param config      the effective configuration
     * @param environment the process environment ({@code KRB5_CONFIG}, {@code KRB5CCNAME})
     * @throws KerberosException when krb5.conf exists but cannot be read
     */
    public static KerberosSettings of(AppConfig config, Map<String, String> environment) throws KerberosException {
        AppConfig.Kerberos k = config.kerberos();
        KerberosMode mode = KerberosMode.of(k.mode());
        Krb5Config.Location location = Krb5Config.locate(k.krb5Conf(), environment);
        Krb5Config krb5;
        try {
            krb5 = Krb5Config.read(location);
        } catch (IOException e) {
            throw new KerberosException(new Diagnosis("cannot read krb5.conf " + location.path() + " (from "
                    + location.source() + "): " + e.getMessage(), "make it readable, or point kerberos.krb5_conf "
                    + "at your site's krb5.conf"), e);
        }
        TicketCacheName cache = TicketCacheName.resolve(k.ticketCache(), environment, krb5, Posix.currentUid(),
                System.getProperty("user.name"));
        String entry = !blank(k.jaasEntry()) ? k.jaasEntry().trim()
                : mode == KerberosMode.JAAS ? PGJDBC_ENTRY : GENERATED_ENTRY;
        return new KerberosSettings(mode, krb5, cache, blank(k.keytab()) ? null : Path.of(k.keytab().trim()),
                blank(k.principal()) ? null : k.principal().trim(),
                blank(k.jaasConf()) ? null : Path.of(k.jaasConf().trim()), entry, ServicePrincipal.parse(k.spn()),
                config.database().host(), k.userFromPrincipal() ? null : config.database().user(), k.expiredWait(),
                k.renew());
    }

    /** The configured principal with the default realm added when it has none; null if none is configured. */
    public String qualifiedPrincipal() {
        return qualify(principal);
    }

    /** {@code name} with the default realm added when it has none. */
    String qualify(String name) {
        if (name == null || name.indexOf('@') >= 0 || krb5.defaultRealm() == null) {
            return name;
        }
        return name + "@" + krb5.defaultRealm();
    }

    /** The service principal the driver will request, e.g. {@code postgres/db1.example.com@EXAMPLE.COM}. */
    public String requestedSpn() {
        return spn.requested(dbHost, krb5.realmOf(dbHost));
    }

    /**
     * What the error hints need to know about a login that has no status yet.
     *
     * @param principal the principal asked for, or null
     * @param source    where the credentials come from
     */
    KerberosErrors.Context errorContext(String principal, String source) {
        return new KerberosErrors.Context(mode, principal, requestedSpn(), dbHost, configuredUser, source,
                keytab == null ? null : keytab.toString(), krb5, null);
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
