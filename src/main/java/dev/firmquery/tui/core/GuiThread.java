package dev.firmquery.tui.core;

import com.googlecode.lanterna.gui2.TextGUIThread;

import java.util.concurrent.Executor;

/**
 * The UI's thread contract, checked: Lanterna's components are not thread-safe and are only touched on
 * the GUI thread, and nothing that may block (the database, a slow or network file system, a wait for
 * the user) runs there, so the screen never freezes. Methods that touch components call
 * {@link #checkOn}; work that blocks calls {@link #checkOff}. Either throws
 * {@link IllegalStateException} naming the call and both threads, as Lanterna's own
 * {@code SeparateTextGUIThread.invokeLater} refuses a task in the wrong state, instead of letting a
 * wrong call corrupt the screen now and then.
 *
 * <p>Hand work to the GUI thread with {@link #execute} ({@code invokeLater}) and to the background
 * with {@link Background#run}.
 */
public final class GuiThread implements Executor {
    private final TextGUIThread thread;

    /** The contract of {@code thread}, Lanterna's GUI thread ({@code gui.getGUIThread()}). */
    public GuiThread(TextGUIThread thread) {
        this.thread = thread;
    }

    /** Runs {@code task} on the GUI thread, after the events already queued; safe from any thread. */
    @Override
    public void execute(Runnable task) {
        thread.invokeLater(task);
    }

    /** Whether the calling thread is the GUI thread. */
    public boolean isCurrent() {
        return thread.getThread() == Thread.currentThread();
    }

    /**
     * Checks that the caller is on the GUI thread.
     *
     * @param what the call, for the message, e.g. {@code "Ui.show"}
     * @throws IllegalStateException on any other thread
     */
    public void checkOn(String what) {
        if (!isCurrent()) {
            throw new IllegalStateException(what + " touches the screen and must run on the GUI thread ("
                    + name(thread.getThread()) + "), but was called on " + name(Thread.currentThread())
                    + ": Lanterna's components are not thread-safe; hand the call to the GUI thread with "
                    + "GuiThread.execute (invokeLater)");
        }
    }

    /**
     * Checks that the caller is not on the GUI thread: {@code what} may block for long (the database,
     * files, a wait for the user) and would freeze the screen there.
     *
     * @throws IllegalStateException on the GUI thread
     */
    public void checkOff(String what) {
        if (isCurrent()) {
            throw new IllegalStateException(what + " may block and must not run on the GUI thread ("
                    + name(Thread.currentThread()) + "): the screen would freeze meanwhile; run it on the UI's "
                    + "background executor (Background.run)");
        }
    }

    private static String name(Thread t) {
        return t == null ? "no GUI thread yet" : "'" + t.getName() + "'";
    }
}
