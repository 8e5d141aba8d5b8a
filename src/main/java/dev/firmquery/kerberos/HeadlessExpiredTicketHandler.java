package dev.firmquery.kerberos;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A headless run's answer to an expired ticket: say so on stderr with the kinit command, then re-read
 * the credentials every few seconds for up to {@code kerberos.expired_wait}; give up (stop the run as
 * resumable) if no fresh ticket appears.
 */
public final class HeadlessExpiredTicketHandler implements ExpiredTicketHandler {
    private static final Duration MAX_POLL = Duration.ofSeconds(5);
    private static final Duration MIN_POLL = Duration.ofMillis(100);

    private final Consumer<String> notices;
    private final Duration wait;
    private final Clock clock;

    /**
     * @param notices where to print one-line notices (stderr, around the progress line)
     * @param wait    {@code kerberos.expired_wait}; zero gives up at once
     * @param clock   for the deadline
     */
    public HeadlessExpiredTicketHandler(Consumer<String> notices, Duration wait, Clock clock) {
        this.notices = notices;
        this.wait = wait;
        this.clock = clock;
    }

    @Override
    public boolean awaitFreshTicket(KerberosStatus expired, TicketProbe probe) throws InterruptedException {
        Instant deadline = clock.instant().plus(wait);
        notices.accept("firmquery: the Kerberos ticket of " + expired.principal() + " has expired"
                + (expired.expires() == null ? "" : " (at " + KerberosStatus.format(expired.expires(), ZoneId.systemDefault()) + ")")
                + " and cannot be renewed; run " + probe.kinitCommand() + " in another terminal"
                + (wait.isZero() ? "" : " - waiting up to " + seconds(wait) + " (kerberos.expired_wait)"));
        Duration poll = clamp(wait.dividedBy(10));
        while (!probe.abandoned()) {
            Optional<KerberosStatus> fresh = probe.tryAgain();
            if (fresh.isPresent()) {
                notices.accept("firmquery: new Kerberos ticket: " + fresh.get().describe(clock.instant(),
                        ZoneId.systemDefault()) + "; the run continues");
                return true;
            }
            Duration left = Duration.between(clock.instant(), deadline);
            if (left.isNegative() || left.isZero()) {
                break;
            }
            Thread.sleep(Math.max(1, Math.min(poll.toMillis(), left.toMillis())));
        }
        notices.accept("firmquery: no new Kerberos ticket" + (probe.abandoned() ? "" : " within " + seconds(wait))
                + "; stopping the run (finished chunks are kept)");
        return false;
    }

    @Override
    public void ticketRenewed(KerberosStatus status) {
        notices.accept("firmquery: Kerberos ticket renewed: " + status.describe(clock.instant(), ZoneId.systemDefault()));
    }

    /** {@code 300 s}, {@code 0.5 s}. */
    static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s"
                : String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }

    private static Duration clamp(Duration d) {
        return d.compareTo(MIN_POLL) < 0 ? MIN_POLL : d.compareTo(MAX_POLL) > 0 ? MAX_POLL : d;
    }
}
