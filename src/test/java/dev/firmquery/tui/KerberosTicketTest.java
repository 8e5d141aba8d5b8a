package dev.firmquery.tui;

import com.googlecode.lanterna.input.KeyType;
import dev.firmquery.kerberos.KerberosMode;
import dev.firmquery.kerberos.KerberosStatus;
import dev.firmquery.kerberos.TicketProbe;
import dev.firmquery.run.RunRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static dev.firmquery.tui.InputWindowTest.flat;
import static dev.firmquery.tui.ScreenHarness.key;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An expired Kerberos ticket during a run: the UI asks for kinit while the run waits. */
class KerberosTicketTest {
    private static final KerberosStatus EXPIRED = new KerberosStatus("ana@CORP.EXAMPLE", KerberosMode.TICKET_CACHE,
            "FILE:/tmp/krb5cc_1000", Instant.parse("2026-11-22T08:00:00Z"), Instant.parse("2026-11-22T18:00:00Z"), null);

    @TempDir
    Path dir;

    private ScreenHarness ui;
    private final ScriptedRunner engine = new ScriptedRunner();

    /** A probe whose answers the test queues: empty (still no ticket) or a fresh status. */
    private static final class Probe implements TicketProbe {
        final Deque<Optional<KerberosStatus>> answers = new ArrayDeque<>();
        final AtomicBoolean abandoned = new AtomicBoolean();

        @Override
        public synchronized Optional<KerberosStatus> tryAgain() {
            return answers.isEmpty() ? Optional.empty() : answers.removeFirst();
        }

        @Override
        public String lastProblem() {
            return "no ticket in FILE:/tmp/krb5cc_1000; run kinit";
        }

        @Override
        public String kinitCommand() {
            return "kinit ana@CORP.EXAMPLE";
        }

        @Override
        public boolean abandoned() {
            return abandoned.get();
        }
    }

    @BeforeEach
    void startRun() throws IOException {
        Path ids = dir.resolve("ids.txt");
        Files.writeString(ids, "1 2 3");
        ui = new ScreenHarness(Sessions.session(dir, Map.of(), new TuiSession.Preselection(ids, "firm_names", dir.resolve("out"), null)),
                engine);
        ui.awaitText("Preview: ready to run");
        ui.press(KeyType.F5);
        RunRequest request = engine.awaitRequest();
        engine.emit(l -> l.runStarted(request, List.of()));
    }

    @AfterEach
    void close() {
        ui.close();
    }

    private static Boolean take(BlockingQueue<Boolean> q) throws InterruptedException {
        return q.poll(ScreenHarness.TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    @Test
    @DisplayName("the run waits while the UI asks for kinit; try again without a ticket says why and asks again")
    void asksUntilAFreshTicket() throws InterruptedException {
        Probe probe = new Probe();
        BlockingQueue<Boolean> result = engine.expireTicket(EXPIRED, probe);
        String screen = ui.awaitText("Kerberos ticket expired");
        assertTrue(screen.contains("kinit ana@CORP.EXAMPLE"), screen);
        assertTrue(screen.contains("waiting for kinit"), "run state in the status bar: " + screen);

        ui.press(key('t'));
        screen = ui.awaitText("Still no valid ticket");
        assertTrue(flat(screen).contains("no ticket in FILE:/tmp/krb5cc_1000; run kinit"), screen);

        probe.answers.add(Optional.of(new KerberosStatus("ana@CORP.EXAMPLE", KerberosMode.TICKET_CACHE,
                "FILE:/tmp/krb5cc_1000", Instant.now(), Instant.now().plus(Duration.ofHours(10)), null)));
        ui.press(KeyType.Enter);
        assertEquals(Boolean.TRUE, take(result));
        screen = ui.awaitText("new Kerberos ticket: ana@CORP.EXAMPLE");
        assertFalse(screen.contains("Kerberos ticket expired"), screen);
        assertTrue(ui.row(23).contains("running"), ui.row(23));
    }

    @Test
    @DisplayName("stop the run ends the wait: the run stops as a resumable partial run")
    void stopTheRun() throws InterruptedException {
        BlockingQueue<Boolean> result = engine.expireTicket(EXPIRED, new Probe());
        ui.awaitText("Kerberos ticket expired");
        ui.press(key('s'));
        assertEquals(Boolean.FALSE, take(result));
        assertTrue(flat(ui.awaitText("stopping: no new Kerberos ticket")).contains("finished later (F6 or --resume)"),
                ui.text());
    }

    @Test
    @DisplayName("cancelling the run while the question is open closes it and ends the wait")
    void cancelWhileWaiting() throws InterruptedException {
        Probe probe = new Probe();
        BlockingQueue<Boolean> result = engine.expireTicket(EXPIRED, probe);
        ui.awaitText("Kerberos ticket expired");
        probe.abandoned.set(true);
        assertEquals(Boolean.FALSE, take(result));
        ui.await(t -> !t.contains("Kerberos ticket expired"), "the question to close");
    }
}
