package dev.firmquery.kerberos;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The Kerberos identity a session uses and how long its ticket lasts: for {@code firmquery check}, the
 * headless run's header line and the UI's status bar. Immutable; get a fresh one from
 * {@link KerberosSession#status()} (renewals change it).
 *
 * @param principal        e.g. {@code alice@EXAMPLE.COM}
 * @param mode             where the credentials come from
 * @param source           e.g. {@code FILE:/tmp/krb5cc_1000 (from KRB5CCNAME)} or {@code keytab /etc/fq.keytab}
 * @param start            when the ticket became valid; null if unknown
 * @param expires          when the ticket-granting ticket expires; null if unknown (a JAAS entry without one)
 * @param renewableUntil   the last time the ticket can be renewed to; null if it is not renewable
 */
public record KerberosStatus(String principal, KerberosMode mode, String source, Instant start, Instant expires,
                             Instant renewableUntil) {

    /** Under this much time left the UI shows the ticket as a warning. */
    public static final Duration WARNING = Duration.ofMinutes(30);

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss z", Locale.ROOT);

    /** Time until {@link #expires()}, never negative; {@link Duration#ZERO} when unknown or past. */
    public Duration timeLeft(Instant now) {
        if (expires == null || !expires.isAfter(now)) {
            return Duration.ZERO;
        }
        return Duration.between(now, expires);
    }

    /** Whether the ticket has expired at {@code now} (false when the expiry is unknown). */
    public boolean expiredAt(Instant now) {
        return expires != null && !expires.isAfter(now);
    }

    /** Whether the UI should warn: fewer than {@link #WARNING} left. */
    public boolean warningAt(Instant now) {
        return expires != null && timeLeft(now).compareTo(WARNING) < 0;
    }

    /** Whether the ticket can still be renewed at {@code now}. */
    public boolean renewableAt(Instant now) {
        return renewableUntil != null && renewableUntil.isAfter(now);
    }

    /** The principal without the realm: the database user name when {@code database.user} is empty. */
    public String userName() {
        int at = principal.lastIndexOf('@');
        return at < 0 ? principal : principal.substring(0, at);
    }

    /** The realm, or null. */
    public String realm() {
        int at = principal.lastIndexOf('@');
        return at < 0 ? null : principal.substring(at + 1);
    }

    /**
     * One line for check and the run header: {@code alice@EXAMPLE.COM, ticket expires 2026-11-22 18:00:00 UTC
     * (in 9h 58m), renewable until 2026-11-29 08:00:00 UTC}.
     */
    public String describe(Instant now, ZoneId zone) {
        StringBuilder sb = new StringBuilder(principal);
        if (expires == null) {
            sb.append(", ticket expiry unknown");
        } else if (expiredAt(now)) {
            sb.append(", ticket expired ").append(format(expires, zone));
        } else {
            sb.append(", ticket expires ").append(format(expires, zone)).append(" (in ")
                    .append(compact(timeLeft(now))).append(')');
        }
        if (renewableUntil != null && renewableAt(now)) {
            sb.append(", renewable until ").append(format(renewableUntil, zone));
        } else {
            sb.append(", not renewable");
        }
        return sb.toString();
    }

    /** For the UI's status bar: {@code alice@EXAMPLE.COM 9h58m}, {@code ... EXPIRED}. */
    public String statusBar(Instant now) {
        if (expires == null) {
            return principal;
        }
        if (expiredAt(now)) {
            return principal + " EXPIRED";
        }
        String left = compact(timeLeft(now)).replace(" ", "");
        // Under WARNING (30 min) a long run may outlive the ticket: say what to do on the bar itself.
        return principal + " " + left + (warningAt(now) ? " left: run kinit" : "");
    }

    static String format(Instant t, ZoneId zone) {
        return TIME.format(ZonedDateTime.ofInstant(t, zone));
    }

    /** {@code 2d 3h}, {@code 9h 58m}, {@code 12m 5s}, {@code 40s}. */
    static String compact(Duration d) {
        long s = Math.max(0, d.toSeconds());
        if (s >= 86_400) {
            return s / 86_400 + "d " + s / 3600 % 24 + "h";
        }
        if (s >= 3600) {
            return s / 3600 + "h " + s / 60 % 60 + "m";
        }
        if (s >= 60) {
            return s / 60 + "m " + s % 60 + "s";
        }
        return s + "s";
    }
}
