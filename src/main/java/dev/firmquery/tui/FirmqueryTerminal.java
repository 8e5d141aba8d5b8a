package dev.firmquery.tui;

import com.googlecode.lanterna.terminal.ansi.UnixTerminal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * Lanterna's Unix terminal (stty through {@code /dev/tty}, SIGWINCH for resizes), with the keys that
 * would otherwise bypass the UI turned into plain key strokes for the time the UI runs: Ctrl-C
 * (Lanterna's TRAP mode: it cancels a run after asking, instead of killing the JVM mid-write), Ctrl-Z
 * (a suspended full-screen program leaves a garbled terminal), Ctrl-\ (the JVM would print a thread
 * dump over the screen) and Ctrl-S/Ctrl-Q (flow control that looks like a hang over SSH). Lanterna
 * saved the whole stty state before, and restores it on {@link #close()} and in its shutdown hook.
 */
final class FirmqueryTerminal extends UnixTerminal {

    FirmqueryTerminal(InputStream in, OutputStream out, Charset charset) throws IOException {
        super(in, out, charset, CtrlCBehaviour.TRAP);
        runSTTYCommand("-ixon", "susp", "undef", "quit", "undef");
    }

    /** Asks the terminal to bracket pastes (xterm mode 2004), or to stop; a terminal without it ignores this. */
    void bracketedPaste(boolean on) throws IOException {
        writeToTerminal((on ? BracketedPaste.ENABLE : BracketedPaste.DISABLE).getBytes(StandardCharsets.US_ASCII));
        flush();
    }
}
