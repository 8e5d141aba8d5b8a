package dev.firmquery.kerberos;

import dev.firmquery.config.AppConfig;
import dev.firmquery.db.Database;
import org.ietf.jgss.GSSCredential;
import org.ietf.jgss.GSSException;
import org.ietf.jgss.GSSManager;
import org.ietf.jgss.Oid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.security.auth.RefreshFailedException;
import javax.security.auth.Subject;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.CallbackHandler;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.auth.kerberos.KerberosPrincipal;
import javax.security.auth.kerberos.KerberosTicket;
import javax.security.auth.login.AppConfigurationEntry;
import javax.security.auth.login.Configuration;
import javax.security.auth.login.LoginContext;
import javax.security.auth.login.LoginException;
import javax.sql.DataSource;
import java.io.IOException;
import java.security.URIParameter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.NoSuchAlgorithmException;
import java.security.PrivilegedActionException;
import java.security.PrivilegedExceptionAction;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * One Kerberos login for the whole process: firmquery logs in once (JAAS {@code LoginContext}), keeps
 * the {@link Subject}, and opens every pooled connection inside it ({@code Subject.doAs}) with the
 * driver's own JAAS login switched off, so one ticket serves all connections (issue #4).
 *
 * <p>Modes: {@code ticket-cache} and {@code keytab} use a JAAS configuration generated here (no file
 * for the user to write); {@code jaas} uses the user's file and entry; {@code native} hands everything
 * to the operating system's GSS library ({@code sun.security.jgss.native}) and has no Subject.
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
    private static final String KRB5_LOGIN_MODULE = "com.sun.security.auth.module.Krb5LoginModule";
    private static final String KRB5_MECHANISM = "1.2.840.113554.1.2.2";
    /** Renewal attempts that failed are retried no more often than this. */
    private static final Duration RENEW_RETRY = Duration.ofSeconds(60);

    private final KerberosSettings settings;
    private final Clock clock;
    /** Connections open under the read lock; renewal swaps or refreshes credentials under the write lock. */
    private final ReentrantReadWriteLock credentialsLock = new ReentrantReadWriteLock();
    private final Object maintenanceLock = new Object();
    private volatile Login current;
    private volatile String lastProblem;
    /** Guarded by maintenanceLock. */
    private Instant nextRenewAttempt = Instant.MIN;
    /** Guarded by maintenanceLock: the expiry we already said cannot be renewed. */
    private Instant notRenewableLogged;

    /** What one login produced; subject and context are null in native mode. */
    private record Login(Subject subject, LoginContext context, KerberosTicket tgt, KerberosStatus status) {
    }

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
        session.current = session.newLogin();
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
        String principal = status().principal();
        return switch (settings.mode()) {
            case KEYTAB -> "kinit -k -t " + settings.keytab() + " " + principal;
            // Another terminal may not have this process's KRB5CCNAME: name the cache unless it is the default.
            case TICKET_CACHE -> (settings.cache().source().startsWith("default")
                    ? "" : "KRB5CCNAME=" + settings.cache().name() + " ") + "kinit " + principal;
            case NATIVE, JAAS -> "kinit " + principal;
        };
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
            Login login = current;
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
            boolean freshTicketPossible = switch (settings.mode()) {
                case KEYTAB, JAAS -> true;
                case TICKET_CACHE -> cacheHasNewerTicket(status);
                case NATIVE -> false;
            };
            if (freshTicketPossible) {
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
            Login fresh;
            try {
                fresh = newLogin();
            } catch (KerberosException e) {
                lastProblem = e.getMessage();
                log.info("Kerberos: no fresh credentials yet: {}", e.getMessage());
                return Optional.empty();
            }
            if (fresh.status().expiredAt(clock.instant())) {
                lastProblem = "the Kerberos ticket of " + fresh.status().principal() + " in " + fresh.status().source()
                        + " has expired; run " + kinitCommand() + ", then try again";
                logout(fresh);
                return Optional.empty();
            }
            Login old;
            credentialsLock.writeLock().lock();
            try {
                old = current;
                current = fresh;
            } finally {
                credentialsLock.writeLock().unlock();
            }
            logout(old);
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
        logout(current);
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
    private boolean renew(Login login, Instant now) {
        KerberosTicket tgt = login.tgt();
        if (!settings.renew() || tgt == null || !login.status().renewableAt(now)) {
            return false;
        }
        KerberosStatus before = login.status();
        credentialsLock.writeLock().lock();
        try {
            tgt.refresh();
            current = new Login(login.subject(), login.context(), tgt, statusOf(tgt, before.principal(), before.source()));
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

    private boolean cacheHasNewerTicket(KerberosStatus status) {
        Path file = settings.cache().file();
        if (file == null || !Files.isRegularFile(file)) {
            return false;
        }
        try {
            Optional<CcacheFile.Credential> tgt = CcacheFile.read(file).tgt();
            return tgt.isPresent() && tgt.get().endTime() != null && tgt.get().endTime().isAfter(status.expires());
        } catch (IOException e) {
            return false;
        }
    }

    private Login newLogin() throws KerberosException {
        return switch (settings.mode()) {
            case TICKET_CACHE -> cacheLogin();
            case KEYTAB -> keytabLogin();
            case JAAS -> jaasFileLogin();
            case NATIVE -> nativeLogin();
        };
    }

    private Login cacheLogin() throws KerberosException {
        TicketCacheName cache = settings.cache();
        String principal = settings.qualifiedPrincipal();
        if (!cache.javaCanRead()) {
            throw fail(new Diagnosis("the ticket cache " + cache.describe() + " is a " + cache.type()
                    + " cache, which Java cannot read (it reads FILE: caches only)",
                    "run: export KRB5CCNAME=FILE:/tmp/krb5cc_$(id -u); kinit  - or set kerberos.mode to native to use "
                            + "the system's Kerberos library, which reads " + cache.type() + " caches"), null);
        }
        Path file = cache.file();
        if (!Files.exists(file)) {
            throw fail(new Diagnosis("no Kerberos ticket: the ticket cache " + cache.describe() + " does not exist",
                    "run kinit" + (principal == null ? "" : " " + principal) + ", then try again"), null);
        }
        try {
            CcacheFile ccache = CcacheFile.read(file);
            if (principal != null && !principal.equalsIgnoreCase(ccache.principal())) {
                throw fail(new Diagnosis("the ticket cache " + cache.describe() + " holds tickets for "
                        + ccache.principal() + ", not for kerberos.principal " + principal, "run kinit " + principal
                        + ", or clear kerberos.principal to use " + ccache.principal()), null);
            }
            Optional<CcacheFile.Credential> tgt = ccache.tgt();
            if (tgt.isEmpty()) {
                throw fail(new Diagnosis("no Kerberos ticket: the ticket cache " + cache.describe()
                        + " holds no ticket-granting ticket for " + ccache.principal(),
                        "run kinit " + ccache.principal() + ", then try again"), null);
            }
            Instant end = tgt.get().endTime();
            if (end != null && !end.isAfter(clock.instant())) {
                throw fail(new Diagnosis("the Kerberos ticket of " + ccache.principal() + " in " + cache.describe()
                        + " expired at " + KerberosStatus.format(end, ZoneId.systemDefault()),
                        "run kinit " + ccache.principal() + ", then try again"), null);
            }
        } catch (IOException e) {
            // Java may still read what this reader does not; its login gives the final answer.
            log.debug("could not read ticket cache {} for diagnosis: {}", file, e.toString());
        }
        Map<String, String> options = new HashMap<>();
        options.put("useTicketCache", "true");
        options.put("ticketCache", file.toString());
        options.put("doNotPrompt", "true");
        options.put("refreshKrb5Config", "true");
        options.put("isInitiator", "true");
        if (principal != null) {
            options.put("principal", principal);
        }
        return jaasLogin(generated(options), KerberosSettings.GENERATED_ENTRY, cache.describe());
    }

    private Login keytabLogin() throws KerberosException {
        Path keytab = settings.keytab();
        if (keytab == null) {
            throw fail(new Diagnosis("kerberos.mode is keytab but kerberos.keytab is empty",
                    "set kerberos.keytab to the keytab file"), null);
        }
        if (!Files.isRegularFile(keytab)) {
            throw fail(new Diagnosis("the keytab " + keytab + " (kerberos.keytab) does not exist",
                    "fix kerberos.keytab, or get the keytab from the Kerberos administrators"), null);
        }
        if (!Files.isReadable(keytab)) {
            throw fail(new Diagnosis("the keytab " + keytab + " (kerberos.keytab) cannot be read by "
                    + System.getProperty("user.name"), "give this user read access (and only this user: chmod 600)"), null);
        }
        String principal = settings.qualifiedPrincipal();
        try {
            KeytabFile kt = KeytabFile.read(keytab);
            List<String> principals = kt.principals();
            if (principals.isEmpty()) {
                throw fail(new Diagnosis("the keytab " + keytab + " holds no keys", "get a new keytab"), null);
            }
            if (principal == null) {
                principal = principals.get(0);
            } else if (kt.enctypesOf(principal).isEmpty()) {
                throw fail(new Diagnosis("the keytab " + keytab + " has no key for " + principal + "; it holds keys for "
                        + String.join(", ", principals), "set kerberos.principal to one of those, or get a keytab for "
                        + principal), null);
            }
            if (!Enctypes.anyJavaDefault(kt.enctypesOf(principal))) {
                throw fail(new Diagnosis("the keytab " + keytab + " holds only "
                        + String.join(", ", Enctypes.names(kt.enctypesOf(principal))) + " keys for " + principal
                        + ", encryption types Java 17 does not use (it disables DES, 3DES and RC4)",
                        "get a keytab with AES keys (aes256-cts-hmac-sha1-96) from the Kerberos administrators"), null);
            }
        } catch (IOException e) {
            log.debug("could not read keytab {} for diagnosis: {}", keytab, e.toString());
            if (principal == null) {
                throw fail(new Diagnosis("cannot read the keytab " + keytab + ": " + e.getMessage(),
                        "check the file, or set kerberos.principal"), e);
            }
        }
        Map<String, String> options = new HashMap<>();
        options.put("useKeyTab", "true");
        options.put("keyTab", keytab.toString());
        options.put("principal", principal);
        options.put("storeKey", "false");
        options.put("doNotPrompt", "true");
        options.put("refreshKrb5Config", "true");
        options.put("isInitiator", "true");
        return jaasLogin(generated(options), KerberosSettings.GENERATED_ENTRY, "keytab " + keytab);
    }

    private Login jaasFileLogin() throws KerberosException {
        Path file = settings.jaasConf();
        if (file == null || !Files.isRegularFile(file)) {
            throw fail(new Diagnosis("the JAAS file " + file + " (kerberos.jaas_conf) does not exist",
                    "fix kerberos.jaas_conf, or use kerberos.mode ticket-cache, which needs no file"), null);
        }
        Configuration configuration;
        try {
            configuration = Configuration.getInstance("JavaLoginConfig", new URIParameter(file.toUri()));
        } catch (NoSuchAlgorithmException | RuntimeException e) {
            throw fail(new Diagnosis("cannot read the JAAS file " + file + ": " + KerberosErrors.deepest(e),
                    "fix the file's syntax (see docs/kerberos.md for an example entry)"), e);
        }
        if (configuration.getAppConfigurationEntry(settings.jaasEntry()) == null) {
            throw fail(new Diagnosis("the JAAS file " + file + " has no entry '" + settings.jaasEntry() + "'",
                    "set kerberos.jaas_entry to the name of the entry to use"), null);
        }
        return jaasLogin(configuration, settings.jaasEntry(), "JAAS entry " + settings.jaasEntry() + " in " + file);
    }

    private Login nativeLogin() throws KerberosException {
        try {
            GSSManager manager = GSSManager.getInstance();
            GSSCredential credential = manager.createCredential(null, GSSCredential.DEFAULT_LIFETIME,
                    new Oid(KRB5_MECHANISM), GSSCredential.INITIATE_ONLY);
            try {
                String principal = credential.getName().toString();
                int remaining = credential.getRemainingLifetime();
                Instant now = clock.instant();
                Instant expires = remaining == GSSCredential.INDEFINITE_LIFETIME ? null : now.plusSeconds(remaining);
                if (remaining == 0) {
                    throw fail(new Diagnosis("the Kerberos ticket of " + principal + " in the system's default cache "
                            + "has expired", "run kinit " + principal + ", then try again"), null);
                }
                return new Login(null, null, null, new KerberosStatus(principal, KerberosMode.NATIVE,
                        "the system's GSS library (default cache)", null, expires, null));
            } finally {
                credential.dispose();
            }
        } catch (GSSException e) {
            throw fail(KerberosErrors.diagnose(e, context(null, "the system's default cache"))
                    .orElse(new Diagnosis("the system's GSS library found no Kerberos credentials: " + e.getMessage(),
                            "run kinit, then try again")), e);
        }
    }

    private Login jaasLogin(Configuration configuration, String entry, String source) throws KerberosException {
        Subject subject = new Subject();
        LoginContext context;
        try {
            context = new LoginContext(entry, subject, new NoPrompts(settings.qualifiedPrincipal()), configuration);
            context.login();
        } catch (LoginException | RuntimeException e) {
            Diagnosis d = KerberosErrors.diagnose(e, context(settings.qualifiedPrincipal(), source))
                    .orElse(new Diagnosis("the Kerberos login from " + source + " failed: " + KerberosErrors.deepest(e),
                            "run firmquery check for a step-by-step diagnosis"));
            throw fail(d, e);
        }
        KerberosTicket tgt = tgtOf(subject);
        String principal = tgt != null ? tgt.getClient().getName() : principalOf(subject);
        return new Login(subject, context, tgt, tgt == null
                ? new KerberosStatus(principal, settings.mode(), source, null, null, null)
                : statusOf(tgt, principal, source));
    }

    private KerberosStatus statusOf(KerberosTicket tgt, String principal, String source) {
        Instant start = tgt.getStartTime() != null ? tgt.getStartTime().toInstant()
                : tgt.getAuthTime() == null ? null : tgt.getAuthTime().toInstant();
        Instant renewTill = tgt.isRenewable() && tgt.getRenewTill() != null ? tgt.getRenewTill().toInstant() : null;
        return new KerberosStatus(principal, settings.mode(), source, start,
                tgt.getEndTime() == null ? null : tgt.getEndTime().toInstant(), renewTill);
    }

    private static KerberosTicket tgtOf(Subject subject) {
        for (KerberosTicket t : subject.getPrivateCredentials(KerberosTicket.class)) {
            if (t.getServer() != null && t.getServer().getName().startsWith("krbtgt/")) {
                return t;
            }
        }
        return null;
    }

    private static String principalOf(Subject subject) {
        for (KerberosPrincipal p : subject.getPrincipals(KerberosPrincipal.class)) {
            return p.getName();
        }
        return "(unknown principal)";
    }

    private KerberosErrors.Context context(String principal, String source) {
        return new KerberosErrors.Context(settings.mode(), principal, settings.requestedSpn(), settings.dbHost(),
                settings.configuredUser(), source, settings.keytab() == null ? null : settings.keytab().toString(),
                settings.krb5(), null);
    }

    private static KerberosException fail(Diagnosis d, Throwable cause) {
        return new KerberosException(d, cause);
    }

    private static Configuration generated(Map<String, String> options) {
        AppConfigurationEntry[] entries = {new AppConfigurationEntry(KRB5_LOGIN_MODULE,
                AppConfigurationEntry.LoginModuleControlFlag.REQUIRED, Map.copyOf(options))};
        return new Configuration() {
            @Override
            public AppConfigurationEntry[] getAppConfigurationEntry(String name) {
                return entries.clone();
            }
        };
    }

    private static void logout(Login login) {
        if (login == null || login.context() == null) {
            return;
        }
        try {
            login.context().logout();
        } catch (LoginException | RuntimeException e) {
            log.debug("Kerberos logout failed (the tickets are dropped anyway)", e);
        }
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

    /** JAAS callbacks with nobody to ask: the principal name if configured, never a password. */
    private static final class NoPrompts implements CallbackHandler {
        private final String principal;

        NoPrompts(String principal) {
            this.principal = principal;
        }

        @Override
        public void handle(Callback[] callbacks) throws UnsupportedCallbackException {
            for (Callback c : callbacks) {
                if (c instanceof NameCallback n && principal != null) {
                    n.setName(principal);
                } else {
                    throw new UnsupportedCallbackException(c, "firmquery never asks for a Kerberos password; run "
                            + "kinit or use a keytab");
                }
            }
        }
    }
}
