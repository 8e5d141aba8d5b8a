package dev.firmquery.kerberos;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.firmquery.kerberos.LoginRule.refuse;

/**
 * {@code kerberos.mode: ticket-cache}: the user's {@code kinit} cache, through a generated JAAS entry.
 * Java reads {@code FILE:} caches only. The cache is read first (metadata only) to tell "no ticket",
 * "expired" and "another principal's ticket" apart.
 */
final class TicketCacheLogin implements ModeLogin {
    // The session's logger: the login's lines read as one component in firmquery.log.
    private static final Logger log = LoggerFactory.getLogger(KerberosSession.class);

    /** The cache as configured, and the principal asked for (null: whoever the cache holds). */
    private record Wanted(TicketCacheName cache, String principal) {
        String kinit() {
            return "run kinit" + (principal == null ? "" : " " + principal) + ", then try again";
        }
    }

    /** What the cache holds. */
    private record Held(TicketCacheName cache, String principal, CcacheFile ccache, Instant now) {
        Instant tgtEnd() {
            return ccache.tgt().map(CcacheFile.Credential::endTime).orElse(null);
        }
    }

    private static final List<LoginRule<Wanted>> CACHE_RULES = List.of(
            refuse(w -> !w.cache().javaCanRead(), w -> new Diagnosis("the ticket cache " + w.cache().describe()
                    + " is a " + w.cache().type() + " cache, which Java cannot read (it reads FILE: caches only)",
                    "run: export KRB5CCNAME=FILE:/tmp/krb5cc_$(id -u); kinit  - or set kerberos.mode to native to use "
                            + "the system's Kerberos library, which reads " + w.cache().type() + " caches")),
            refuse(w -> !Files.exists(w.cache().file()), w -> new Diagnosis("no Kerberos ticket: the ticket cache "
                    + w.cache().describe() + " does not exist", w.kinit())));

    private static final List<LoginRule<Held>> CONTENT_RULES = List.of(
            refuse(h -> h.principal() != null && !h.principal().equalsIgnoreCase(h.ccache().principal()),
                    h -> new Diagnosis("the ticket cache " + h.cache().describe() + " holds tickets for "
                            + h.ccache().principal() + ", not for kerberos.principal " + h.principal(), "run kinit "
                            + h.principal() + ", or clear kerberos.principal to use " + h.ccache().principal())),
            refuse(h -> h.ccache().tgt().isEmpty(), h -> new Diagnosis("no Kerberos ticket: the ticket cache "
                    + h.cache().describe() + " holds no ticket-granting ticket for " + h.ccache().principal(),
                    "run kinit " + h.ccache().principal() + ", then try again")),
            refuse(h -> h.tgtEnd() != null && !h.tgtEnd().isAfter(h.now()), h -> new Diagnosis("the Kerberos ticket of "
                    + h.ccache().principal() + " in " + h.cache().describe() + " expired at "
                    + KerberosStatus.format(h.tgtEnd(), ZoneId.systemDefault()),
                    "run kinit " + h.ccache().principal() + ", then try again")));

    private final KerberosSettings settings;
    private final Clock clock;

    TicketCacheLogin(KerberosSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    @Override
    public KerberosLogin login() throws KerberosException {
        TicketCacheName cache = settings.cache();
        String principal = settings.qualifiedPrincipal();
        LoginRule.checkAll(CACHE_RULES, new Wanted(cache, principal));
        Path file = cache.file();
        CcacheFile ccache = null;
        try {
            ccache = CcacheFile.read(file);
        } catch (IOException e) {
            // Java may still read what this reader does not; its login gives the final answer.
            log.debug("could not read ticket cache {} for diagnosis: {}", file, e.toString());
        }
        if (ccache != null) {
            LoginRule.checkAll(CONTENT_RULES, new Held(cache, principal, ccache, clock.instant()));
        }
        Map<String, String> options = new HashMap<>();
        options.put("useTicketCache", "true");
        options.put("ticketCache", file.toString());
        if (principal != null) {
            options.put("principal", principal);
        }
        return JaasLogins.login(settings, JaasLogins.generated(options), KerberosSettings.GENERATED_ENTRY,
                cache.describe());
    }

    @Override
    public String kinitCommand(String principal) {
        // Another terminal may not have this process's KRB5CCNAME: name the cache unless it is the default.
        return (settings.cache().source().startsWith("default")
                ? "" : "KRB5CCNAME=" + settings.cache().name() + " ") + "kinit " + principal;
    }

    @Override
    public boolean freshTicketPossible(KerberosStatus status) {
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
}
