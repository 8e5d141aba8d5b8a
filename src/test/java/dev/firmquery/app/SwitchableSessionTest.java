package dev.firmquery.app;

import dev.firmquery.config.AppConfig;
import dev.firmquery.config.ConfigException;
import dev.firmquery.config.ConfigLoader;
import dev.firmquery.config.ConfigRequest;
import dev.firmquery.db.ConnectionPool;
import dev.firmquery.run.RunListener;
import dev.firmquery.run.RunReport;
import dev.firmquery.testing.TestConfigs;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/**
 * A UI's database session is replaced between runs: the new session is opened before the old one is
 * closed, a session that cannot be opened leaves the old one in use, and no switch happens while a run
 * made through it executes. The sessions are real {@link DatabaseSession}s on stand-in pools, whose
 * opening and closing are recorded in order.
 */
class SwitchableSessionTest {
    @TempDir
    Path home;

    /** What happened, in order: "open dev.example", "close pool of prod.example"... */
    private final List<String> events = Collections.synchronizedList(new ArrayList<>());
    private final RunExecutor engine = mock(RunExecutor.class);

    private AppConfig config(String host) {
        try {
            return new ConfigLoader(TestConfigs.home(), Map.of(), home)
                    .load(new ConfigRequest(null, null, List.of("database.host=" + host, "database.auth=password")))
                    .config();
        } catch (ConfigException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** Opens a session whose pool records its close and reports {@code host.length()} connections. */
    private DatabaseSession open(AppConfig config, Map<String, String> environment) {
        String host = config.database().host();
        events.add("open " + host);
        ConnectionPool pool = mock(ConnectionPool.class);
        when(pool.snapshot()).thenReturn(new ConnectionPool.PoolState(host.length(), 0, host.length(), 0));
        doAnswer(inv -> events.add("close pool of " + host)).when(pool).close();
        return new DatabaseSession(null, pool, (connections, kerberos, listener, tickets) -> engine);
    }

    @Test
    @DisplayName("a switch opens the new session first, then closes the old one's pool")
    void newOpenedBeforeOldClosed() throws Exception {
        SwitchableSession db = SwitchableSession.open(config("prod.example"), Map.of(), this::open);

        db.switchTo(config("dev.example"));

        assertEquals(List.of("open prod.example", "open dev.example", "close pool of prod.example"), events);
        db.close();
    }

    @Test
    @DisplayName("after a switch the pool state and the next runs are the new session's")
    void runsGoToTheNewSession() throws Exception {
        SwitchableSession db = SwitchableSession.open(config("prod.example"), Map.of(), this::open);

        db.switchTo(config("dev.example"));
        db.create(RunListener.NONE, null).execute(null);

        assertEquals("dev.example".length(), db.poolState().total());
        verify(engine).execute(null);
        db.close();
        assertEquals("close pool of dev.example", events.get(events.size() - 1));
    }

    @Test
    @DisplayName("a new session that cannot be opened: the error is passed on and the old one stays in use")
    void failureKeepsTheOldSession() throws Exception {
        SwitchableSession db = SwitchableSession.open(config("prod.example"), Map.of(), (c, env) -> {
            if (c.database().host().equals("down.example")) {
                throw new SessionException("Kerberos login failed: no ticket; run kinit", null);
            }
            return open(c, env);
        });

        SessionException e = assertThrows(SessionException.class, () -> db.switchTo(config("down.example")));

        assertEquals("Kerberos login failed: no ticket; run kinit", e.getMessage());
        assertEquals(List.of("open prod.example"), events);
        assertEquals("prod.example".length(), db.poolState().total());
        db.create(RunListener.NONE, null).execute(null);
        verify(engine).execute(null);
        db.close();
    }

    @Test
    @DisplayName("a switch while a run executes is refused with how to go on, and opens and closes nothing")
    void refusedWhileARunExecutes() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        doAnswer(inv -> {
            started.countDown();
            assertTrue(release.await(30, TimeUnit.SECONDS), "the test did not let the run end");
            return mock(RunReport.class);
        }).when(engine).execute(null);
        SwitchableSession db = SwitchableSession.open(config("prod.example"), Map.of(), this::open);
        RunExecutor run = db.create(RunListener.NONE, null);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread runner = new Thread(() -> {
            try {
                run.execute(null);
            } catch (Exception | AssertionError e) {
                failure.set(e);
            }
        }, "test-run");
        runner.start();
        assertTrue(started.await(30, TimeUnit.SECONDS));

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> db.switchTo(config("dev.example")));

        assertEquals("cannot switch the database session while 1 run is executing; wait for it to end or cancel "
                + "it, then switch", e.getMessage());
        assertEquals(List.of("open prod.example"), events);
        release.countDown();
        runner.join(TimeUnit.SECONDS.toMillis(30));
        assertNull(failure.get());
        db.close();
    }

    @Test
    @DisplayName("once the run has ended the same switch goes through")
    void allowedAfterTheRunEnded() throws Exception {
        SwitchableSession db = SwitchableSession.open(config("prod.example"), Map.of(), this::open);
        db.create(RunListener.NONE, null).execute(null);

        db.switchTo(config("dev.example"));

        assertEquals(List.of("open prod.example", "open dev.example", "close pool of prod.example"), events);
        db.close();
    }

    @Test
    @DisplayName("close closes the session in use once; a switch after it is refused and opens nothing")
    void closeEndsIt() throws Exception {
        SwitchableSession db = SwitchableSession.open(config("prod.example"), Map.of(), this::open);
        db.close();
        db.close();

        assertThrows(IllegalStateException.class, () -> db.switchTo(config("dev.example")));
        assertEquals(List.of("open prod.example", "close pool of prod.example"), events);
        verify(engine, never()).cancel();
        verify(engine, times(0)).execute(null);
    }
}
