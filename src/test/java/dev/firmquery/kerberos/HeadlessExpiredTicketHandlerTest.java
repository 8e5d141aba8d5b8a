package dev.firmquery.kerberos;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The headless wait for kinit, with a scripted probe standing in for the cache (the seam under test). */
class HeadlessExpiredTicketHandlerTest {
    private static final KerberosStatus EXPIRED = new KerberosStatus("alice@EXAMPLE.COM", KerberosMode.TICKET_CACHE,
            "FILE:/tmp/cc", Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2026-01-01T10:00:00Z"), null);
    private static final KerberosStatus FRESH = new KerberosStatus("alice@EXAMPLE.COM", KerberosMode.TICKET_CACHE,
            "FILE:/tmp/cc", Instant.now(), Instant.now().plus(Duration.ofHours(10)), null);

    /** Finds a ticket on try number {@code successAt} (0: never); can be abandoned. */
    private static final class ScriptedProbe implements TicketProbe {
        final AtomicInteger tries = new AtomicInteger();
        final int successAt;
        volatile boolean abandoned;

        ScriptedProbe(int successAt) {
            this.successAt = successAt;
        }

        @Override
        public Optional<KerberosStatus> tryAgain() {
            return tries.incrementAndGet() == successAt ? Optional.of(FRESH) : Optional.empty();
        }

        @Override
        public String lastProblem() {
            return "no ticket yet; run kinit";
        }

        @Override
        public String kinitCommand() {
            return "kinit alice@EXAMPLE.COM";
        }

        @Override
        public boolean abandoned() {
            return abandoned;
        }
    }

    @Test
    @DisplayName("a ticket that appears while waiting lets the run continue, and says so")
    void ticketAppears() throws InterruptedException {
        List<String> notices = new ArrayList<>();
        ScriptedProbe probe = new ScriptedProbe(3);

        boolean fresh = new HeadlessExpiredTicketHandler(notices::add, Duration.ofSeconds(2), Clock.systemUTC())
                .awaitFreshTicket(EXPIRED, probe);

        assertTrue(fresh);
        assertEquals(3, probe.tries.get());
        assertTrue(notices.get(0).contains("run kinit alice@EXAMPLE.COM in another terminal - waiting up to 2 s"),
                notices.toString());
        assertTrue(notices.get(1).startsWith("firmquery: new Kerberos ticket: alice@EXAMPLE.COM"), notices.toString());
    }

    @Test
    @DisplayName("no ticket within kerberos.expired_wait: gives up, after trying at least once")
    void givesUp() throws InterruptedException {
        List<String> notices = new ArrayList<>();
        ScriptedProbe probe = new ScriptedProbe(0);

        boolean fresh = new HeadlessExpiredTicketHandler(notices::add, Duration.ofMillis(300), Clock.systemUTC())
                .awaitFreshTicket(EXPIRED, probe);

        assertFalse(fresh);
        assertTrue(probe.tries.get() >= 2, "tried " + probe.tries.get() + " times");
        assertEquals("firmquery: no new Kerberos ticket within 0.3 s; stopping the run (finished chunks are kept)",
                notices.get(notices.size() - 1));
    }

    @Test
    @DisplayName("expired_wait 0: one look at the cache, then stop")
    void zeroWait() throws InterruptedException {
        ScriptedProbe probe = new ScriptedProbe(0);
        assertFalse(new HeadlessExpiredTicketHandler(s -> { }, Duration.ZERO, Clock.systemUTC())
                .awaitFreshTicket(EXPIRED, probe));
        assertEquals(1, probe.tries.get());
    }

    @Test
    @DisplayName("a cancelled run stops the wait")
    void abandoned() throws InterruptedException {
        ScriptedProbe probe = new ScriptedProbe(0);
        probe.abandoned = true;
        assertFalse(new HeadlessExpiredTicketHandler(s -> { }, Duration.ofHours(1), Clock.systemUTC())
                .awaitFreshTicket(EXPIRED, probe));
        assertEquals(0, probe.tries.get());
    }
}
