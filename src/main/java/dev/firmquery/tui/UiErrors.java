package dev.firmquery.tui;

import com.googlecode.lanterna.gui2.TextGUIThread;
import dev.firmquery.tui.core.Dialogs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Lanterna exception handler of the GUI thread: an unexpected exception is logged and shown in a
 * dialog (the first five; then only logged), and the UI carries on; a terminal I/O error is logged and
 * counted (the main loop gives up when they pile up).
 */
final class UiErrors implements TextGUIThread.ExceptionHandler {
    private static final Logger log = LoggerFactory.getLogger(UiErrors.class);
    private static final int SHOWN = 5;

    private final Dialogs dialogs;
    private final Path logFile;
    private final AtomicInteger ioErrors = new AtomicInteger();
    private int shown;

    /** @param logFile where the details are, as the dialog says */
    UiErrors(Dialogs dialogs, Path logFile) {
        this.dialogs = dialogs;
        this.logFile = logFile;
    }

    /** Terminal I/O errors so far; from any thread. */
    int ioErrors() {
        return ioErrors.get();
    }

    @Override
    public boolean onIOException(IOException e) {
        int n = ioErrors.incrementAndGet();
        log.error("terminal I/O error #{}", n, e);
        return false;
    }

    @Override
    public boolean onRuntimeException(RuntimeException e) {
        log.error("unexpected error in the UI", e);
        if (shown++ < SHOWN) {
            dialogs.message("Unexpected error", e + "\n\nThe UI carries on; the details are in " + logFile
                    + ". If something looks wrong, quit (q) and start again.", () -> { });
        }
        return false;
    }
}
