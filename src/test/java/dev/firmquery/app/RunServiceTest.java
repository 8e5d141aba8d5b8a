package dev.firmquery.app;

import dev.firmquery.audit.AuditLog;
import dev.firmquery.config.AppConfig;
import dev.firmquery.config.ConfigException;
import dev.firmquery.config.ConfigLoader;
import dev.firmquery.config.ConfigRequest;
import dev.firmquery.exit.ExitCode;
import dev.firmquery.run.RunException;
import dev.firmquery.run.RunReport;
import dev.firmquery.run.RunRequest;
import dev.firmquery.run.RunSetup;
import dev.firmquery.testing.TestConfigs;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.verifyNoMoreInteractions;

/**
 * The run service's flow, as both front ends meet it: prepare (a refusal is audited and thrown),
 * connect (a failure is audited as the run's error), execute (the outcome is audited; the run is
 * listed as running meanwhile). The audit log is the seam: what it is told is the specification.
 */
class RunServiceTest {
    @TempDir
    Path tmp;

    private final AuditLog audit = mock(AuditLog.class);
    private AppConfig config;
    private RunService service;

    @BeforeEach
    void setUp() throws ConfigException {
        config = new ConfigLoader(TestConfigs.home(), Map.of(), tmp)
                .load(new ConfigRequest(null, null, List.of("database.auth=password"))).config();
        service = new RunService(RunSetup.queryRoots(TestConfigs.home()), audit, Clock.systemUTC(), (c, env) -> {
            throw new AssertionError("not connected in this test");
        });
    }

    private RunSetup.Choices choices(Path ids) throws IOException {
        Path template = Files.writeString(tmp.resolve("q.sql"),
                "SELECT firm_root_id FROM firm WHERE firm_root_id IN ({ID_PLACEHOLDER})");
        return RunSetup.Choices.of(ids, template.toString(), tmp.resolve("out"));
    }

    private RunRequest prepared() throws IOException, RunException {
        Path ids = Files.writeString(tmp.resolve("ids.csv"), "firm_root_id\n11\n12\n13\n");
        return service.prepare(config, Preparation.newRun(choices(ids)));
    }

    /** An executor that answers with {@code body}, as the engine would. */
    private interface Body {
        RunReport run(RunRequest request) throws RunException, InterruptedException;
    }

    private static RunExecutor executor(Body body) {
        return new RunExecutor() {
            @Override
            public RunReport execute(RunRequest request) throws RunException, InterruptedException {
                return body.run(request);
            }

            @Override
            public void cancel() {
            }
        };
    }

    // ---------------------------------------------------------------------------------------------
    // prepare

    @Test
    @DisplayName("a new run that is refused is audited with the user's choices and thrown with exit 2")
    void refusedNewRun() throws IOException {
        RunSetup.Choices choices = choices(tmp.resolve("nope.csv"));
        RunException e = assertThrows(RunException.class,
                () -> service.prepare(config, Preparation.newRun(choices)));
        assertEquals(ExitCode.USAGE, e.exitCode());
        assertTrue(e.getMessage().contains("nope.csv does not exist"), e.getMessage());
        verify(audit).refused(choices, e.getMessage());
        verifyNoMoreInteractions(audit);
    }

    @Test
    @DisplayName("a resume that is refused is audited with the run directory it named")
    void refusedResume() {
        Path dir = tmp.resolve("not-a-run");
        RunException e = assertThrows(RunException.class, () -> service.prepare(config, Preparation.resume(dir)));
        assertEquals(ExitCode.USAGE, e.exitCode());
        verify(audit).refused("run directory " + dir, e.getMessage());
        verifyNoMoreInteractions(audit);
    }

    @Test
    @DisplayName("a retry of failed chunks that is refused is audited the same way")
    void refusedRetry() {
        Path dir = tmp.resolve("not-a-run");
        RunException e = assertThrows(RunException.class,
                () -> service.prepare(config, Preparation.retryFailed(dir)));
        verify(audit).refused("run directory " + dir, e.getMessage());
        verifyNoMoreInteractions(audit);
    }

    @Test
    @DisplayName("a prepared run is not audited yet: it has not run")
    void preparedIsNotAudited() throws Exception {
        RunRequest request = prepared();
        assertEquals(3, request.input().ids().size());
        assertFalse(request.keepWork());
        verifyNoInteractions(audit);
    }

    @Test
    @DisplayName("--keep-work reaches the request")
    void keepWork() throws Exception {
        Path ids = Files.writeString(tmp.resolve("ids.csv"), "firm_root_id\n11\n");
        RunRequest request = service.prepare(config, Preparation.newRun(choices(ids)).keepingWork(true));
        assertTrue(request.keepWork());
    }

    // ---------------------------------------------------------------------------------------------
    // connect

    @Test
    @DisplayName("a failed login or pool is audited as the run's error and thrown with exit 3")
    void connectFailure() throws Exception {
        RunRequest request = prepared();
        SessionException refused = new SessionException("Kerberos login failed: no Kerberos ticket; run kinit", null);
        RunService s = new RunService(service.queryRoots(), audit, Clock.systemUTC(), (c, env) -> {
            throw refused;
        });
        SessionException e = assertThrows(SessionException.class, () -> s.connect(request, config, Map.of()));
        assertSame(refused, e);
        assertEquals(ExitCode.CONNECT, e.exitCode());
        verify(audit).failed(request, refused.getMessage());
        verifyNoMoreInteractions(audit);
    }

    // ---------------------------------------------------------------------------------------------
    // execute

    @Test
    @DisplayName("a run that ends is audited with its report, and is listed as running only meanwhile")
    void executed() throws Exception {
        RunRequest request = prepared();
        RunReport report = mock(RunReport.class);
        Set<String> running = service.running();

        RunReport got = service.execute(request, executor(r -> {
            assertEquals(Set.of(request.runId()), running, "listed while it runs");
            return report;
        }));

        assertSame(report, got);
        assertEquals(Set.of(), running);
        verify(audit).finished(request, report);
        verifyNoMoreInteractions(audit);
    }

    @Test
    @DisplayName("a run that cannot finish is audited with the error, which is thrown as it was")
    void failed() throws Exception {
        RunRequest request = prepared();
        RunException failure = new RunException("cannot connect to db:26257", ExitCode.CONNECT);
        RunException e = assertThrows(RunException.class, () -> service.execute(request, executor(r -> {
            throw failure;
        })));
        assertSame(failure, e);
        assertEquals(Set.of(), service.running());
        verify(audit).failed(request, failure.getMessage());
        verifyNoMoreInteractions(audit);
    }

    @Test
    @DisplayName("a bug in a run is audited as an error too, and passed on")
    void bug() throws Exception {
        RunRequest request = prepared();
        IllegalStateException bug = new IllegalStateException("chunk 3 published twice");
        assertSame(bug, assertThrows(IllegalStateException.class, () -> service.execute(request, executor(r -> {
            throw bug;
        }))));
        verify(audit).failed(request, bug.toString());
        verifyNoMoreInteractions(audit);
    }

    @Test
    @DisplayName("an interrupt is passed on, not audited as an error")
    void interrupted() throws Exception {
        RunRequest request = prepared();
        assertThrows(InterruptedException.class, () -> service.execute(request, executor(r -> {
            throw new InterruptedException();
        })));
        assertEquals(Set.of(), service.running());
        verifyNoInteractions(audit);
    }

    @Test
    @DisplayName("the running list is read-only for callers")
    void runningIsReadOnly() {
        assertThrows(UnsupportedOperationException.class, () -> service.running().add("x"));
    }
}
