package dev.firmquery.tui.core;

import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.TextColor;
import com.googlecode.lanterna.gui2.DefaultWindowManager;
import com.googlecode.lanterna.gui2.EmptySpace;
import com.googlecode.lanterna.gui2.MultiWindowTextGUI;
import com.googlecode.lanterna.gui2.SameTextGUIThread;
import com.googlecode.lanterna.screen.TerminalScreen;
import com.googlecode.lanterna.terminal.virtual.DefaultVirtualTerminal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The GUI-thread contract, checked: on a Lanterna GUI whose GUI thread is the test's thread (as in the
 * UI, {@code SameTextGUIThread}), screen work is refused on any other thread and blocking work is
 * refused on the GUI thread, each with a message that says what, where and what to do instead.
 */
class GuiThreadTest {
    private TerminalScreen screen;
    private MultiWindowTextGUI gui;
    private GuiThread thread;

    @BeforeEach
    void gui() throws IOException {
        screen = new TerminalScreen(new DefaultVirtualTerminal(new TerminalSize(80, 24)));
        screen.startScreen();
        gui = new MultiWindowTextGUI(new SameTextGUIThread.Factory(), screen, new DefaultWindowManager(), null,
                new EmptySpace(TextColor.ANSI.DEFAULT));
        thread = new GuiThread(gui.getGUIThread());
    }

    @AfterEach
    void close() throws IOException {
        screen.stopScreen();
    }

    /** What {@code task} throws when run on a thread of its own (null when it returns). */
    private static Throwable onAnotherThread(Runnable task) throws Exception {
        return CompletableFuture.supplyAsync(() -> {
            try {
                task.run();
                return null;
            } catch (RuntimeException e) {
                return (Throwable) e;
            }
        }).get(10, TimeUnit.SECONDS);
    }

    @Test
    @DisplayName("screen work passes on the GUI thread")
    void onTheGuiThread() {
        assertTrue(thread.isCurrent());
        assertDoesNotThrow(() -> thread.checkOn("Ui.show"));
    }

    @Test
    @DisplayName("screen work on another thread is refused with the call, both threads and the fix")
    void screenWorkOffTheGuiThread() throws Exception {
        Throwable e = onAnotherThread(() -> thread.checkOn("Ui.show"));
        IllegalStateException refused = assertInstanceOf(IllegalStateException.class, e);
        String m = refused.getMessage();
        assertTrue(m.startsWith("Ui.show touches the screen and must run on the GUI thread ('"
                + Thread.currentThread().getName() + "')"), m);
        assertTrue(m.contains("but was called on '"), m);
        assertTrue(m.contains("invokeLater"), m);
    }

    @Test
    @DisplayName("blocking work passes off the GUI thread")
    void blockingWorkOffTheGuiThread() throws Exception {
        assertNull(onAnotherThread(() -> thread.checkOff("run 1")));
    }

    @Test
    @DisplayName("blocking work on the GUI thread is refused: the screen would freeze")
    void blockingWorkOnTheGuiThread() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> thread.checkOff("run 1"));
        assertTrue(e.getMessage().startsWith("run 1 may block and must not run on the GUI thread ('"
                + Thread.currentThread().getName() + "')"), e.getMessage());
        assertTrue(e.getMessage().contains("background executor"), e.getMessage());
    }

    @Test
    @DisplayName("execute hands a task from any thread to the GUI thread, which runs it with its events")
    void executeRunsOnTheGuiThread() throws Exception {
        AtomicReference<Thread> ranOn = new AtomicReference<>();
        assertNull(onAnotherThread(() -> thread.execute(() -> ranOn.set(Thread.currentThread()))));
        assertNull(ranOn.get(), "not before the GUI thread processes its events");
        gui.getGUIThread().processEventsAndUpdate();
        assertEquals(Thread.currentThread(), ranOn.get());
    }

    @Test
    @DisplayName("the dialogs refuse to open off the GUI thread, and count the open ones from Lanterna's windows")
    void dialogs() throws Exception {
        Dialogs dialogs = new Dialogs(gui, thread);
        assertFalse(dialogs.anyOpen());
        assertInstanceOf(IllegalStateException.class, onAnotherThread(() -> dialogs.message("t", "x", () -> { })));
        assertFalse(dialogs.anyOpen());
        var w = dialogs.message("Note", "text", () -> { });
        assertTrue(dialogs.anyOpen());
        w.close();
        assertFalse(dialogs.anyOpen());
    }
}
