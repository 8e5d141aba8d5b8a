package dev.firmquery.app;

import dev.firmquery.config.AppConfig;
import dev.firmquery.db.ConnectionPool;
import dev.firmquery.exit.ExitCode;
import dev.firmquery.kerberos.KerberosSession;
import dev.firmquery.run.RunListener;
import dev.firmquery.run.RunReport;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.mockito.InOrder;

import javax.sql.DataSource;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;

/**
 * The database session opens login, data source and pool in that order and closes them in reverse,
 * cancelling the runs still executing first; whatever fails on the way leaves nothing open.
 */
class DatabaseSessionTest {
    private static final AppConfig.Database DB = new AppConfig.Database("db.example", 26257, "firms", "analyst",
            AppConfig.AuthMode.KERBEROS, "require", Duration.ofSeconds(30), Duration.ofSeconds(300), 2,
            Duration.ofMinutes(30));

    private final KerberosSession login = mock(KerberosSession.class);
    private final ConnectionPool pool = mock(ConnectionPool.class);
    private final RunExecutor engine = mock(RunExecutor.class);

    private DatabaseSession session(KerberosSession kerberos) {
        return new DatabaseSession(kerberos, pool, (connections, k, listener, tickets) -> engine);
    }

    @Test
    @DisplayName("close: a run still executing is cancelled, then the pool closed, then the login logged out")
    void closeOrder() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch cancelled = new CountDownLatch(1);
        doAnswer(inv -> {
            started.countDown();
            assertTrue(cancelled.await(30, TimeUnit.SECONDS), "the run was not cancelled");
            return mock(RunReport.class);
        }).when(engine).execute(null);
        doAnswer(inv -> {
            cancelled.countDown();
            return null;
        }).when(engine).cancel();
        DatabaseSession db = session(login);
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

        db.close();

        runner.join(TimeUnit.SECONDS.toMillis(30));
        assertNull(failure.get());
        InOrder order = inOrder(engine, pool, login);
        order.verify(engine).cancel();
        order.verify(pool).close();
        order.verify(login).close();
    }

    @Test
    @DisplayName("close after a run ended: nothing is cancelled; pool, then login")
    void closeAfterRun() throws Exception {
        DatabaseSession db = session(login);
        db.create(RunListener.NONE, null).execute(null);

        db.close();

        verify(engine, never()).cancel();
        InOrder order = inOrder(pool, login);
        order.verify(pool).close();
        order.verify(login).close();
    }

    @Test
    @DisplayName("without Kerberos: there is no login, and close closes the pool")
    void passwordSession() {
        DatabaseSession db = session(null);
        assertTrue(db.kerberos().isEmpty());
        db.close();
        verify(pool).close();
    }

    @Test
    @DisplayName("with Kerberos the session exposes its login (the preview and the UI's status bar show it)")
    void kerberosSession() {
        assertSame(login, session(login).kerberos().orElseThrow());
    }

    @Test
    @DisplayName("the login is logged out even when closing the pool fails")
    void logoutAfterAFailedPoolClose() {
        doThrow(new IllegalStateException("c3p0 helper thread stuck")).when(pool).close();
        DatabaseSession db = session(login);
        assertThrows(IllegalStateException.class, db::close);
        verify(login).close();
    }

    @Test
    @DisplayName("a pool that cannot be built: exit 3 naming the target and the fix, and the login is logged out")
    void poolFails() {
        SessionException e = assertThrows(SessionException.class, () -> DatabaseSession.open(login,
                () -> mock(DataSource.class), unpooled -> {
                    throw new SQLException("No suitable driver");
                }, DB));
        assertEquals(ExitCode.CONNECT, e.exitCode());
        assertEquals("cannot set up connections to db.example:26257/firms: No suitable driver; check the database "
                + "section of the configuration", e.getMessage());
        verify(login).close();
    }

    @Test
    @DisplayName("a data source that cannot be made: the login is logged out and the error passed on")
    void dataSourceFails() {
        IllegalArgumentException bad = new IllegalArgumentException("bad ssl_mode");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DatabaseSession.open(login,
                () -> {
                    throw bad;
                }, unpooled -> pool, DB));
        assertSame(bad, e);
        verify(login).close();
        verifyNoInteractions(pool);
    }

    @Test
    @DisplayName("opened: the pool is built on the data source the login made")
    void opened() throws Exception {
        DataSource unpooled = mock(DataSource.class);
        AtomicReference<DataSource> given = new AtomicReference<>();
        DatabaseSession db = DatabaseSession.open(login, () -> unpooled, u -> {
            given.set(u);
            return pool;
        }, DB);
        assertSame(unpooled, given.get());
        assertSame(login, db.kerberos().orElseThrow());
        verify(login, never()).close();
    }

    @Test
    @DisplayName("cancel reaches the run's engine")
    void cancel() {
        session(login).create(RunListener.NONE, null).cancel();
        verify(engine).cancel();
    }
}
