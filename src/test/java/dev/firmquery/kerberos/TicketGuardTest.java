package dev.firmquery.kerberos;

import dev.firmquery.config.AppConfig;
import dev.firmquery.config.ConfigException;
import dev.firmquery.config.ConfigLoader;
import dev.firmquery.config.ConfigRequest;
import dev.firmquery.db.ConnectionSource;
import dev.firmquery.db.RunStoppingException;
import dev.firmquery.testing.TestConfigs;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The guard in front of the pool, with a real login whose clock the test moves past the ticket's end.
 * The pool is a stand-in that counts how often it is asked: the guard must not let a chunk reach it
 * once the ticket is gone.
 */
@ExtendWith(KerberosGlobals.class)
@ResourceLock(KerberosGlobals.LOCK)
class TicketGuardTest {
    private static KerberosLab lab;

    @TempDir
    Path tmp;

    private final AtomicInteger poolCalls = new AtomicInteger();
    private final ConnectionSource pool = () -> {
        poolCalls.incrementAndGet();
        return null;
    };

    @BeforeAll
    static void lab() {
        lab = KerberosLab.get();
    }

    /** A session on a non-renewable 10-minute ticket, with a clock the test controls. */
    private KerberosSession session(MovableClock clock) throws KerberosException, ConfigException {
        Path cache = lab.ticketCache("guarded", KerberosLab.Ticket.lasting(Duration.ofMinutes(10), false));
        AppConfig config = new ConfigLoader(TestConfigs.home(), Map.of(), tmp).load(new ConfigRequest(null, null,
                List.of("database.host=localhost", "kerberos.krb5_conf=" + lab.krb5Conf(),
                        "kerberos.ticket_cache=" + cache))).config();
        return KerberosSession.login(KerberosSettings.of(config, Map.of()), clock);
    }

    /** Counts its calls and answers as told. */
    private static final class CountingHandler implements ExpiredTicketHandler {
        final AtomicInteger calls = new AtomicInteger();
        final boolean answer;

        CountingHandler(boolean answer) {
            this.answer = answer;
        }

        @Override
        public boolean awaitFreshTicket(KerberosStatus expired, TicketProbe probe) {
            calls.incrementAndGet();
            return answer && probe.tryAgain().isPresent();
        }
    }

    @Test
    @DisplayName("a valid ticket: the connection comes from the pool, the handler is not asked")
    void validTicketPassesThrough() throws Exception {
        MovableClock clock = new MovableClock(Instant.now());
        CountingHandler handler = new CountingHandler(false);
        try (KerberosSession s = session(clock)) {
            new TicketGuard(pool, s, handler).getConnection();
        }
        assertEquals(1, poolCalls.get());
        assertEquals(0, handler.calls.get());
    }

    @Test
    @DisplayName("the per-chunk check of a worker that keeps its connection: valid passes without taking a connection,"
            + " expired stops the run as getConnection would")
    void beforeChunkChecksTheTicketWithoutTakingAConnection() throws Exception {
        MovableClock clock = new MovableClock(Instant.now());
        CountingHandler handler = new CountingHandler(false);
        try (KerberosSession s = session(clock)) {
            TicketGuard guard = new TicketGuard(pool, s, handler);
            guard.beforeChunk();
            assertEquals(0, poolCalls.get(), "the check alone takes no connection from the pool");

            clock.set(s.status().expires().plusSeconds(1));
            RunStoppingException stop = assertThrows(RunStoppingException.class, guard::beforeChunk);
            assertEquals("28000", stop.getSQLState());
            assertEquals(stop.getMessage(), guard.stopReason());
            assertThrows(RunStoppingException.class, guard::getConnection, "later chunks are refused too");
            assertEquals(1, handler.calls.get());
        }
    }

    @Test
    @DisplayName("an expired ticket and no kinit: RunStoppingException, and every later chunk is refused at once")
    void expiredStopsTheRunOnce() throws Exception {
        MovableClock clock = new MovableClock(Instant.now());
        CountingHandler handler = new CountingHandler(false);
        try (KerberosSession s = session(clock)) {
            TicketGuard guard = new TicketGuard(pool, s, handler);
            clock.set(s.status().expires().plusSeconds(1));

            RunStoppingException first = assertThrows(RunStoppingException.class, guard::getConnection);
            RunStoppingException second = assertThrows(RunStoppingException.class, guard::getConnection);

            assertEquals(1, handler.calls.get(), "the user is asked once per run");
            assertEquals(0, poolCalls.get());
            assertEquals(first.getMessage(), second.getMessage());
            assertEquals("28000", first.getSQLState());
            assertTrue(first.getMessage().startsWith("the Kerberos ticket of " + KerberosLab.principal("guarded")
                    + " expired at "), first.getMessage());
            assertTrue(first.getMessage().contains(" and could not be renewed, and no new ticket came within "
                    + "kerberos.expired_wait; run KRB5CCNAME=FILE:"), first.getMessage());
            assertTrue(first.getMessage().endsWith(" kinit " + KerberosLab.principal("guarded")
                    + ", then finish the run with firmquery run --resume"), first.getMessage());
            assertEquals(first.getMessage(), guard.stopReason());
        }
    }

    @Test
    @DisplayName("a cancelled run: no wait for kinit, the chunk is reported as cancelled (57014), not as a Kerberos stop")
    void abandoned() throws Exception {
        MovableClock clock = new MovableClock(Instant.now());
        CountingHandler handler = new CountingHandler(true);
        try (KerberosSession s = session(clock)) {
            TicketGuard guard = new TicketGuard(pool, s, handler);
            guard.abandonWaits();
            clock.set(s.status().expires().plusSeconds(1));

            SQLException e = assertThrows(SQLException.class, guard::getConnection);

            assertFalse(e instanceof RunStoppingException, e.toString());
            assertEquals("57014", e.getSQLState());
            assertEquals(0, handler.calls.get());
            assertEquals(0, poolCalls.get());
            assertNull(guard.stopReason());
        }
    }

    @Test
    @DisplayName("a fresh ticket found while waiting: the chunk goes on to the pool")
    void freshTicketContinues() throws Exception {
        MovableClock clock = new MovableClock(Instant.now());
        ExpiredTicketHandler handler = (expired, probe) -> {
            clock.set(Instant.now()); // kinit happened: the (real) cache is valid again at this time
            return probe.tryAgain().isPresent();
        };
        try (KerberosSession s = session(clock)) {
            TicketGuard guard = new TicketGuard(pool, s, handler);
            clock.set(s.status().expires().plusSeconds(1));

            guard.getConnection();

            assertEquals(1, poolCalls.get());
            assertNull(guard.stopReason());
        }
    }
}
