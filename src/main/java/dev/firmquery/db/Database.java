package dev.firmquery.db;

import dev.firmquery.config.AppConfig;
import dev.firmquery.config.HostName;
import dev.firmquery.config.TransportSecurity;
import org.postgresql.ds.PGSimpleDataSource;

import javax.sql.DataSource;
import java.util.Map;
import java.util.Optional;

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
        return dataSource(db, gss, Optional.ofNullable(environment.getOrDefault("FIRMQUERY_DATABASE_PASSWORD",
                environment.get("PGPASSWORD"))));
    }

    /**
     * The data source for password authentication with the password {@link #password} found.
     *
     * @param password the password, or empty to let pgjdbc read {@code PGPASSFILE} or {@code ~/.pgpass}
     */
    public static DataSource dataSource(AppConfig.Database db, Optional<String> password) {
        return dataSource(db, null, password);
    }

    /**
     * The password of {@code database.auth: password}, first found: {@code FIRMQUERY_DATABASE_PASSWORD};
     * the output of {@code database.password_command} ({@link PasswordCommand}); {@code PGPASSWORD}. Empty
     * when none is set: pgjdbc then reads {@code ~/.pgpass}.
     *
     * @throws PasswordCommand.Failure the password command failed (the message names it and its exit status)
     * @throws InterruptedException    interrupted while the command ran (it is killed)
     */
    public static Optional<String> password(AppConfig.Database db, Map<String, String> environment)
            throws PasswordCommand.Failure, InterruptedException {
        String own = environment.get("FIRMQUERY_DATABASE_PASSWORD");
        if (own != null) {
            return Optional.of(own);
        }
        if (!db.passwordCommand().isBlank()) {
            return Optional.of(PasswordCommand.run(db.passwordCommand(), db.passwordCommandTimeout()));
        }
        return Optional.ofNullable(environment.get("PGPASSWORD"));
    }

    private static DataSource dataSource(AppConfig.Database db, Gss gss, Optional<String> password) {
        requireSafeTarget(db);
        PGSimpleDataSource ds = new PGSimpleDataSource();
        // Every value goes through a setter: pgjdbc URL-encodes them when it builds its URL, except the
        // server name, which HostName has restricted to a host name, IPv4 or bracketed IPv6 address.
        ds.setServerNames(new String[] {db.host()});
        ds.setPortNumbers(new int[] {db.port()});
        ds.setDatabaseName(db.database());
        ds.setUser(db.user());
        ds.setApplicationName(APPLICATION_NAME);
        ds.setSslMode(db.sslMode());
        int connectSeconds = Math.max(1, ceilSeconds(db.connectionTimeout()));
        ds.setConnectTimeout(connectSeconds);
        ds.setLoginTimeout(connectSeconds);
        // The server's own bound on every statement of the session, set in the startup packet (no extra
        // round trip): it stops each Parse/Describe/Execute and each cursor fetch after query_timeout,
        // even when this process is the one that stalls. PostgreSQL and CockroachDB both read it.
        ds.setOptions(statementTimeoutOption(db.queryTimeout()));
        // A dead or silent peer must not hang a worker forever: the statement and the server's timeout end
        // well before this; only a server that stopped answering altogether reaches it (a lost connection).
        ds.setSocketTimeout(ceilSeconds(db.queryTimeout()) + 60);
        ds.setTcpKeepAlive(true);
        if (db.auth() == AppConfig.AuthMode.PASSWORD) {
            password.ifPresent(ds::setPassword);
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

    /** The startup {@code options} that set the session's {@code statement_timeout} (milliseconds). */
    static String statementTimeoutOption(java.time.Duration queryTimeout) {
        return "-c statement_timeout=" + Math.max(1, queryTimeout.toMillis());
    }

    /**
     * The configuration validator's rules, checked again for a {@code database} section built in code
     * (the demo, the UI): a host that would rewrite the JDBC URL, a password that could be sent without
     * TLS to another machine, or a statement without a time bound never reaches the driver.
     *
     * @throws IllegalArgumentException with the rule broken and the fix
     */
    static void requireSafeTarget(AppConfig.Database db) {
        HostName.problem(db.host()).ifPresent(problem -> {
            throw new IllegalArgumentException("database.host \"" + db.host() + "\": " + problem);
        });
        TransportSecurity.passwordExposure(db.auth(), db.host(), db.sslMode()).ifPresent(problem -> {
            throw new IllegalArgumentException("database.ssl_mode " + db.sslMode() + ": " + problem);
        });
        if (db.queryTimeout().isNegative() || db.queryTimeout().isZero()) {
            throw new IllegalArgumentException("database.query_timeout " + db.queryTimeout() + ": a statement needs"
                    + " a bound, or a database that stops answering hangs the run forever; set 1 to 86400 seconds");
        }
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
