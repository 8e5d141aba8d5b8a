package dev.firmquery.kerberos;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The database's Kerberos service principal as configured in {@code kerberos.spn}: a service name
 * ({@code postgres}, {@code cockroachdb}) or a full principal ({@code cockroachdb/db1.example.com@EXAMPLE.COM}).
 *
 * <p>The JDBC driver always asks the KDC for {@code <service>/<database.host>}: only the service part
 * of a full principal is passed on, so its host must be the host name firmquery connects to. The realm
 * comes from krb5.conf ({@code [domain_realm]}, else the default realm) unless the principal names one.
 *
 * @param service the service part, never empty ({@code postgres} when nothing is configured)
 * @param host    the host part of a full principal, or null
 * @param realm   the realm of a full principal, or null
 */
public record ServicePrincipal(String service, String host, String realm) {
    /** The driver's default service name, also PostgreSQL's and CockroachDB's. */
    public static final String DEFAULT_SERVICE = "postgres";

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    /** Parses {@code kerberos.spn}; empty or null means the default service. */
    public static ServicePrincipal parse(String spn) {
        if (spn == null || spn.isBlank()) {
            return new ServicePrincipal(DEFAULT_SERVICE, null, null);
        }
        String s = spn.trim();
        String realm = null;
        int at = s.indexOf('@');
        if (at >= 0) {
            realm = s.substring(at + 1);
            s = s.substring(0, at);
        }
        String host = null;
        int slash = s.indexOf('/');
        if (slash >= 0) {
            host = s.substring(slash + 1);
            s = s.substring(0, slash);
        }
        return new ServicePrincipal(s, host == null || host.isEmpty() ? null : host,
                realm == null || realm.isEmpty() ? null : realm);
    }

    /**
     * The principal the driver will request when connecting to {@code dbHost}: the host lower-cased as
     * Java does, the realm as configured, else {@code defaultRealm} (may be null: then no realm is shown).
     */
    public String requested(String dbHost, String defaultRealm) {
        String r = realm != null ? realm : defaultRealm;
        return service + "/" + dbHost.toLowerCase(Locale.ROOT) + (r == null ? "" : "@" + r);
    }

    /** Whether a full principal names another host than the one firmquery connects to. */
    public boolean hostDiffers(String dbHost) {
        return host != null && !host.equalsIgnoreCase(dbHost);
    }

    /** Whether {@code host} is an IP address, which a Kerberos service principal almost never names. */
    public static boolean isIpAddress(String host) {
        return IPV4.matcher(host).matches() || host.indexOf(':') >= 0;
    }
}
