package dev.firmquery.db;

import dev.firmquery.config.AppConfig;
import org.postgresql.ds.PGSimpleDataSource;

import javax.sql.DataSource;
import java.util.Map;

/**
 * Builds the unpooled PostgreSQL-protocol {@link DataSource} for the configured target. The pool
 * wraps it; with Kerberos, {@code kerberos.KerberosSession} wraps it first so that every physical
 * connection is opened inside the logged-in {@code Subject}.
 */
public final class Database {
    /** The {@code application_name} every firmquery session carries; fault tests and DBAs find us by it. */
    public static final String APPLICATION_NAME = "firmquery";

    private Database() {
    }

    /**
     * What the Kerberos login ({@code kerberos.KerberosSession}) tells the driver.
     *
     * @param serviceName           the service part of the database's principal ({@code kerberosServerName})
     * @param user                  the database user: configured, or the principal's name without the realm
     * @param jaasEntry             the JAAS entry name ({@code jaasApplicationName}); unused while jaasLogin is off
     * @param useDefaultCredentials native mode: let the OS GSS library pick the default credentials
     */
    public record Gss(String serviceName, String user, String jaasEntry, boolean useDefaultCredentials) {
    }

    /**
     * @param db          the {@code database} section
     * @param environment the process environment, for {@code FIRMQUERY_DATABASE_PASSWORD} / {@code PGPASSWORD}
     */
    public static DataSource dataSource(AppConfig.Database db, Map<String, String> environment) {
        return dataSource(db, environment, null);
    }

    /**
     * @param db          the {@code database} section
     * @param environment the process environment, for {@code FIRMQUERY_DATABASE_PASSWORD} / {@code PGPASSWORD}
     * @param gss         with Kerberos: the login's service name, user and credential choice; null for the
     *                    driver's defaults (and always ignored with password authentication)
     */
    public static DataSource dataSource(AppConfig.Database db, Map<String, String> environment, Gss gss) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setServerNames(new String[] {db.host()});
        ds.setPortNumbers(new int[] {db.port()});
        ds.setDatabaseName(db.database());
        ds.setUser(db.user());
        ds.setApplicationName(APPLICATION_NAME);
        ds.setSslMode(db.sslMode());
        int connectSeconds = Math.max(1, ceilSeconds(db.connectionTimeout()));
        ds.setConnectTimeout(connectSeconds);
        ds.setLoginTimeout(connectSeconds);
        // A dead peer must not hang a worker forever; a statement legitimately runs up to query_timeout.
        // query_timeout 0 means no limit; then only TCP keepalive guards against a dead peer.
        ds.setSocketTimeout(db.queryTimeout().isZero() ? 0 : ceilSeconds(db.queryTimeout()) + 60);
        ds.setTcpKeepAlive(true);
        if (db.auth() == AppConfig.AuthMode.PASSWORD) {
            String password = environment.getOrDefault("FIRMQUERY_DATABASE_PASSWORD", environment.get("PGPASSWORD"));
            if (password != null) {
                ds.setPassword(password);
            }
            // else: pgjdbc reads PGPASSFILE or ~/.pgpass itself.
        } else {
            ds.setGssLib("gssapi");
            // CockroachDB rejects GSS encryption (it wants TLS around GSSAPI), so never try it.
            ds.setGssEncMode("disable");
            // firmquery logs in once and opens every connection inside that Subject (KerberosSession); the
            // driver's own JAAS login per connection would read the cache again for each one.
            ds.setJaasLogin(false);
            if (gss != null) {
                ds.setKerberosServerName(gss.serviceName());
                ds.setJaasApplicationName(gss.jaasEntry());
                ds.setGssUseDefaultCreds(gss.useDefaultCredentials());
                if (gss.user() != null && !gss.user().isBlank()) {
                    ds.setUser(gss.user());
                }
            }
        }
        return ds;
    }

    /**
     * Whole seconds for JDBC's second-granular timeouts, rounded up: a configured 0.5 s must not
     * become 0, which JDBC reads as "no limit".
     */
    public static int ceilSeconds(java.time.Duration d) {
        long s = d.getSeconds() + (d.getNano() > 0 ? 1 : 0);
        return (int) Math.min(Integer.MAX_VALUE, Math.max(0, s));
    }

    /** {@code host:port/database} for messages. */
    public static String describe(AppConfig.Database db) {
        return db.host() + ":" + db.port() + "/" + db.database();
    }
}
