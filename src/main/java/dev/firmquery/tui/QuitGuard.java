package dev.firmquery.tui;

import dev.firmquery.tui.core.Dialogs;
import dev.firmquery.tui.core.View;
import dev.firmquery.tui.progress.FinishedRun;

import java.util.List;
import java.util.Optional;

/**
 * What quitting would lose, and the question before it (docs/tui.md, "No traps"): a loaded input that
 * never ran (a large file takes a minute to read again), or a run that ended while another window was
 * shown and whose results were not opened since. The active run has its own question (the progress
 * window's). On the GUI thread, as the frame that owns it.
 */
final class QuitGuard {
    private boolean unseenRun;

    /** A run ended; the progress window then shows its results unless the user is elsewhere. */
    void runEnded() {
        unseenRun = true;
    }

    /** A window is shown: the results window counts as looking at the last run. */
    void shown(View v) {
        if (v == View.RESULTS) {
            unseenRun = false;
        }
    }

    /** Whether {@code last} ended unseen: the status bar then points at F9. */
    boolean unseen(FinishedRun last) {
        return unseenRun && last != null;
    }

    /** What quitting now would lose, for the question; empty when nothing. */
    Optional<String> loses(FinishedRun last, boolean loadedNotRun) {
        if (unseen(last)) {
            return Optional.of("Run " + last.number() + " ended (" + last.report().status().label()
                    + ") and its results were not looked at; F9 shows them.");
        }
        if (loadedNotRun) {
            return Optional.of("The loaded input was not run yet; F5 runs it.");
        }
        return Optional.empty();
    }

    /** Quits at once when nothing is lost, else asks: y quits, n or Esc stays (the focused answer). */
    void quit(Dialogs dialogs, FinishedRun last, boolean loadedNotRun, Runnable quitNow) {
        Optional<String> loss = loses(last, loadedNotRun);
        if (loss.isEmpty()) {
            quitNow.run();
            return;
        }
        dialogs.choose("Quit?", loss.get() + "\nQuit firmquery anyway?", List.of(
                new Dialogs.Choice("Quit (y)", 'y', quitNow),
                new Dialogs.Choice("Stay (n)", 'n', () -> { })), () -> { }, 1, false);
    }
}
