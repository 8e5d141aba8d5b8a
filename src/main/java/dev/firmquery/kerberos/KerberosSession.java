package dev.firmquery.kerberos;

import dev.firmquery.config.AppConfig;
import dev.firmquery.db.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.security.auth.RefreshFailedException;
import javax.security.auth.Subject;
import javax.security.auth.kerberos.KerberosTicket;
import javax.sql.DataSource;
import java.security.PrivilegedActionException;
import java.security.PrivilegedExceptionAction;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * One Kerberos login for the whole process: firmquery logs in once (JAAS {@code LoginContext}), keeps
 * the {@link Subject}, and opens every pooled connection inside it ({@code Subject.doAs}) with the
 * driver's own JAAS login switched off, so one ticket serves all connections (docs/decisions.md,
 * "Kerberos").
 *
 * <p>Modes, one class each behind {@link ModeLogin}: {@code ticket-cache} ({@link TicketCacheLogin})
 * and {@code keytab} ({@link KeytabLogin}) use a JAAS configuration generated in code (no file for
 * the user to write); {@code jaas} ({@link JaasFileLogin}) uses the user's file and entry;
 * {@code native} ({@link NativeLogin}) hands everything to the operating system's GSS library
 * ({@code sun.security.jgss.native}) and has no Subject. Each mode's checks before Java's login are
 * {@link LoginRule} lists.
 *
 * <p>The ticket's life: {@link #maintain()}, called before each chunk by {@link TicketGuard}, renews
 * the ticket once it is past half its life ({@link KerberosTicket#refresh()}, or a new login from the
 * keytab), and re-reads the credentials when it has expired (the user may have run {@code kinit}).
 *
 * <p><b>Process-wide settings.</b> Java's Kerberos configuration is global: the login sets
 * {@code java.security.krb5.conf} (and, in native mode, {@code sun.security.jgss.native} and
 * {@code javax.security.auth.useSubjectCredsOnly}) and asks the login module to reload krb5.conf
 * ({@code refreshKrb5Config}). One process has one session.
 *
 * <p>Thread-safe.
 */
public final class KerberosSession implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(KerberosSession.class);
    /** Renewal attempts that failed are retried no more often than this. */
    private static final Duration RENEW_RETRY = Duration.ofSeconds(60);

    private final KerberosSettings settings;
    private final ModeLogin mode;
    private final Clock clock;
    /** Connections open under the read lock; renewal swaps or refreshes credentials under the write lock. */
    private final ReentrantReadWriteLock credentialsLock = new ReentrantReadWriteLock();
    private final Object maintenanceLock = new Object();
    private volatile KerberosLogin current;
    private volatile String lastProblem;
    /** Guarded by maintenanceLock. */
    private Instant nextRenewAttempt = Instant.MIN;
    /** Guarded by maintenanceLock: the expiry we already said cannot be renewed. */
    private Instant notRenewableLogged;

    /** What {@link #maintain()} found or did. */
    public enum Outcome {
        /** The ticket is valid and not yet due for renewal (or cannot be renewed but is still valid). */
        VALID,
        /** The ticket was renewed, or a fresh one was read (keytab, or the cache after kinit). */
        RENEWED,
        /** The ticket has expired and neither renewal nor a new login worked. */
        EXPIRED
    }

    /**
     * The result of {@link #maintain()}.
     *
     * @param outcome what happened
     * @param status  the status afterwards
     * @param problem with {@link Outcome#EXPIRED}: why no fresh ticket was found, one line with the fix
     */
    public record Maintenance(Outcome outcome, KerberosStatus status, String problem) {
    }

    private KerberosSession(KerberosSettings settings, Clock clock) {
        this.settings = settings;
        this.mode = ModeLogin.of(settings, clock);
        this.clock = clock;
    }

    /**
     * Logs in as configured.
     *
     * @param config      the effective configuration ({@code database.auth} should be {@code kerberos})
     * @param environment the process environment ({@code KRB5_CONFIG}, {@code KRB5CCNAME})
     * @throws KerberosException with the cause and the fix, e.g. "no Kerberos ticket ...; run kinit"
     */
    public static KerberosSession login(AppConfig config, Map<String, String> environment) throws KerberosException {
        return login(KerberosSettings.of(config, environment), Clock.systemUTC());
    }

    /**
     * Logs in with worked-out settings.
     *
     * @param clock decides when the ticket is due for renewal or expired
     */
    public static KerberosSession login(KerberosSettings settings, Clock clock) throws KerberosException {
        applyProcessSettings(settings);
        KerberosSession session = new KerberosSession(settings, clock);
        session.current = session.mode.login();
        KerberosStatus s = session.current.status();
        log.info("Kerberos login ({}): {} from {}", settings.mode().configName(),
                s.describe(clock.instant(), ZoneId.systemDefault()), s.source());
        return session;
    }

    /** The settings this session was made with. */
    public KerberosSettings settings() {
        return settings;
    }

    /** The principal and ticket times now; cheap, safe from any thread (the UI's status bar polls it). */
    public KerberosStatus status() {
        return current.status();
    }

    /** The database user name: {@code database.user} if configured, else the principal without its realm. */
    public String databaseUser() {
        return settings.configuredUser() != null ? settings.configuredUser() : status().userName();
    }

    /** The command that gets a fresh ticket for this session, for "run kinit" messages and the UI's dialog. */
    public String kinitCommand() {
        return mode.kinitCommand(status().principal());
    }

    /**
     * The unpooled data source for the pool: the driver set up for GSSAPI (service name from
     * {@code kerberos.spn}, {@code jaasLogin=false}, the principal's name as user unless configured) and
     * every connection opened inside this session's Subject. Connection errors that have a known
     * Kerberos cause come out with that cause and its fix as their message.
     */
    public DataSource dataSource(AppConfig.Database db, Map<String, String> environment) {
        Database.Gss gss = new Database.Gss(settings.spn().service(), databaseUser(), settings.jaasEntry(),
                settings.mode() == KerberosMode.NATIVE);
        return new SubjectDataSource(Database.dataSource(db, environment, gss), this);
    }

    /** What the error hints need to know about this session. */
    public KerberosErrors.Context errorContext(String sslMode) {
        return new KerberosErrors.Context(settings.mode(), status().principal(), settings.requestedSpn(),
                settings.dbHost(), databaseUser(), settings.cache().describe(),
                settings.keytab() == null ? null : settings.keytab().toString(), settings.krb5(), sslMode);
    }

    /**
     * Runs {@code action} inside this session's Subject (directly in native mode), while no renewal is
     * changing the credentials.
     */
    <T> T callAs(PrivilegedExceptionAction<T> action) throws Exception {
        credentialsLock.readLock().lock();
        try {
            Subject subject = current.subject();
            if (subject == null) {
                return action.run();
            }
            try {
                return Subject.doAs(subject, action);
            } catch (PrivilegedActionException e) {
                throw e.getException();
            }
        } finally {
            credentialsLock.readLock().unlock();
        }
    }

    /**
     * Keeps the ticket usable; called before each chunk. Cheap while the ticket is young. Once it is past
     * half its life (and {@code kerberos.renew} is on) it is renewed if renewable, or read again from the
     * keytab (or from the cache, if the user ran kinit since); once it has expired, renewal and a new
     * login are tried, and {@link Outcome#EXPIRED} says neither worked.
     */
    public Maintenance maintain() {
        KerberosStatus status = current.status();
        Instant now = clock.instant();
        if (status.expires() == null || (!status.expiredAt(now) && !dueForRenewal(status, now))) {
            return new Maintenance(Outcome.VALID, status, null);
        }
        synchronized (maintenanceLock) {
            KerberosLogin login = current;
            status = login.status();
            now = clock.instant();
            if (status.expiredAt(now)) {
                if (renew(login, now)) {
                    return new Maintenance(Outcome.RENEWED, current.status(), null);
                }
                Optional<KerberosStatus> fresh = relogin();
                return fresh.map(s -> new Maintenance(Outcome.RENEWED, s, null))
                        .orElseGet(() -> new Maintenance(Outcome.EXPIRED, current.status(), lastProblem));
            }
            if (!dueForRenewal(status, now) || now.isBefore(nextRenewAttempt)) {
                return new Maintenance(Outcome.VALID, status, null);
            }
            if (status.renewableAt(now) && renew(login, now)) {
                return new Maintenance(Outcome.RENEWED, current.status(), null);
            }
            // Renewal was not possible: a keytab (or the user's JAAS entry) can give a fresh ticket, and so
            // can the cache if the user ran kinit since. Either way try again later, not before each chunk.
            nextRenewAttempt = now.plus(RENEW_RETRY);
            if (mode.freshTicketPossible(status)) {
                Optional<KerberosStatus> fresh = relogin();
                if (fresh.isPresent()) {
                    nextRenewAttempt = Instant.MIN;
                    return new Maintenance(Outcome.RENEWED, fresh.get(), null);
                }
                log.warn("Kerberos: could not get a fresh ticket for {} before it expires at {}: {}",
                        status.principal(), status.expires(), lastProblem);
            } else if (!status.expires().equals(notRenewableLogged)) {
                notRenewableLogged = status.expires();
                log.warn("Kerberos: the ticket of {} could not be renewed and expires at {}; run kinit before then",
                        status.principal(), status.expires());
            }
            return new Maintenance(Outcome.VALID, current.status(), null);
        }
    }

    /**
     * Reads the credentials again (the cache after kinit, the keytab, the OS library) and uses them if
     * they hold a valid ticket.
     *
     * @return the new status, or empty with the reason in {@link #lastProblem()}
     */
    public Optional<KerberosStatus> relogin() {
        synchronized (maintenanceLock) {
            KerberosLogin fresh;
            try {
                fresh = mode.login();
            } catch (KerberosException e) {
                lastProblem = e.getMessage();
                log.info("Kerberos: no fresh credentials yet: {}", e.getMessage());
                return Optional.empty();
            }
            if (fresh.status().expiredAt(clock.instant())) {
                lastProblem = "the Kerberos ticket of " + fresh.status().principal() + " in " + fresh.status().source()
                        + " has expired; run " + kinitCommand() + ", then try again";
                fresh.logout();
                return Optional.empty();
            }
            KerberosLogin old;
            credentialsLock.writeLock().lock();
            try {
                old = current;
                current = fresh;
            } finally {
                credentialsLock.writeLock().unlock();
            }
            old.logout();
            lastProblem = null;
            log.info("Kerberos: fresh credentials: {}", fresh.status().describe(clock.instant(), ZoneId.systemDefault()));
            return Optional.of(fresh.status());
        }
    }

    /** Why the last {@link #relogin()} found no valid ticket (one line with the fix), or null. */
    public String lastProblem() {
        return lastProblem;
    }

    /** Logs out: the tickets are destroyed in memory (the user's cache file is not touched). */
    @Override
    public void close() {
        KerberosLogin login = current;
        if (login != null) {
            login.logout();
        }
    }

    // ---------------------------------------------------------------------------------------------

    private boolean dueForRenewal(KerberosStatus s, Instant now) {
        if (!settings.renew() || s.start() == null || s.expires() == null) {
            return false;
        }
        Instant half = s.start().plus(Duration.between(s.start(), s.expires()).dividedBy(2));
        return !now.isBefore(half);
    }

    /**
     * Renews the ticket-granting ticket in place with the KDC; false if renewal is off, the ticket is not
     * renewable or the KDC said no.
     */
    private boolean renew(KerberosLogin login, Instant now) {
        KerberosTicket tgt = login.tgt();
        if (!settings.renew() || tgt == null || !login.status().renewableAt(now)) {
            return false;
        }
        KerberosStatus before = login.status();
        credentialsLock.writeLock().lock();
        try {
            tgt.refresh();
            current = new KerberosLogin(login.subject(), login.context(), tgt,
                    JaasLogins.statusOf(settings.mode(), tgt, before.principal(), before.source()));
        } catch (RefreshFailedException | RuntimeException e) {
            log.warn("Kerberos: renewing the ticket of {} failed: {}", before.principal(), e.toString());
            return false;
        } finally {
            credentialsLock.writeLock().unlock();
        }
        log.info("Kerberos: renewed the ticket of {}: was valid until {}, now until {}", before.principal(),
                before.expires(), current.status().expires());
        return true;
    }

    /**
     * The process-wide parts of the configuration: krb5.conf, and in native mode the OS library.
     *
     * @throws KerberosException when an explicitly named krb5.conf does not exist
     */
    private static void applyProcessSettings(KerberosSettings settings) throws KerberosException {
        Krb5Config krb5 = settings.krb5();
        if (krb5.exists()) {
            System.setProperty("java.security.krb5.conf", krb5.path().toString());
        } else if (!krb5.source().equals("default")) {
            throw new KerberosException(new Diagnosis("krb5.conf " + krb5.path() + " (from " + krb5.source()
                    + ") does not exist", "fix " + (krb5.source().equals("KRB5_CONFIG") ? "KRB5_CONFIG"
                    : "kerberos.krb5_conf") + ", or leave it empty to use /etc/krb5.conf"), null);
        }
        if (settings.mode() == KerberosMode.NATIVE) {
            System.setProperty("sun.security.jgss.native", "true");
            if (System.getProperty("javax.security.auth.useSubjectCredsOnly") == null) {
                // Without a Subject the native library must be allowed to use the default credentials.
                System.setProperty("javax.security.auth.useSubjectCredsOnly", "false");
            }
        }
    }
}
