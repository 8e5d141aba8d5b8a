package dev.firmquery.tui;

import com.googlecode.lanterna.input.CharacterPattern;
import com.googlecode.lanterna.input.KeyDecodingProfile;
import dev.firmquery.tui.core.PastedText;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Bracketed paste (xterm's private mode 2004, which tmux, screen, GNOME Terminal, iTerm2 and PuTTY
 * speak): the terminal wraps a paste in {@code ESC [ 200 ~} ... {@code ESC [ 201 ~}. The terminal's
 * input stream is filtered byte by byte ({@link #filter}): a paste is cut out whole, decoded once and
 * queued, and only its start marker goes on to Lanterna's decoder, where {@link #profile()} turns it
 * into one {@link PastedText} key stroke. So 100,000 pasted IDs (about 800 KB) arrive as one event, not
 * as 800,000 key strokes into a text box (docs/tui.md, "Pasting IDs").
 *
 * <p>A paste longer than {@link #MAX_BYTES} ends there (the rest arrives as typed keys); a terminal
 * without the mode ignores the request and pastes as keys, as before.
 */
final class BracketedPaste {
    /** Asks the terminal to bracket pastes; {@link #DISABLE} when the UI ends. */
    static final String ENABLE = "\033[?2004h";
    static final String DISABLE = "\033[?2004l";
    /** 64 MiB: eight million IDs of eight digits, far above the 1,000,000-ID cap. */
    static final int MAX_BYTES = 64 << 20;

    private static final byte[] START = {27, '[', '2', '0', '0', '~'};
    private static final byte[] END = {27, '[', '2', '0', '1', '~'};

    private final Charset charset;
    private final Queue<String> pastes = new ConcurrentLinkedQueue<>();

    BracketedPaste(Charset charset) {
        this.charset = charset;
    }

    /** The terminal's input with every bracketed paste cut out and queued. */
    InputStream filter(InputStream in) {
        // Buffered: the filter looks at every byte, and System.in would be a system call per byte.
        return new Filter(new BufferedInputStream(in, 1 << 16));
    }

    /** Decodes the start marker {@link #filter} leaves in place of a paste into one {@link PastedText}. */
    KeyDecodingProfile profile() {
        CharacterPattern marker = seq -> {
            if (seq.size() > START.length) {
                return null;
            }
            for (int i = 0; i < seq.size(); i++) {
                if (seq.get(i) != (char) START[i]) {
                    return null;
                }
            }
            return seq.size() < START.length ? CharacterPattern.Matching.NOT_YET
                    : new CharacterPattern.Matching(new PastedText(pastes::poll));
        };
        return () -> List.of(marker);
    }

    /** Pasted bytes as text: terminals send a pasted line break as CR. */
    private String decode(byte[] bytes, int length) {
        return new String(bytes, 0, length, charset).replace("\r\n", "\n").replace('\r', '\n');
    }

    private final class Filter extends FilterInputStream {
        /** Bytes ready for the reader. */
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private byte[] ready = new byte[0];
        private int readyAt;
        /** The bytes of a start marker seen so far (normal mode). */
        private int held;
        private boolean inPaste;
        private final ByteArrayOutputStream paste = new ByteArrayOutputStream();
        private int endSeen;

        Filter(InputStream in) {
            super(in);
        }

        @Override
        public synchronized int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public synchronized int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            while (readyAt >= ready.length) {
                int c = in.read();
                if (c < 0) {
                    releaseHeld();
                    endPaste();
                    swap();
                    if (readyAt >= ready.length) {
                        return -1;
                    }
                    break;
                }
                accept((byte) c);
                // Hand over what is ready once the terminal has sent nothing more for now: an Esc
                // typed alone must not wait for the next key to tell it from a paste marker.
                if (in.available() == 0) {
                    releaseHeld();
                }
                if (!inPaste && held == 0 && (in.available() == 0 || out.size() >= 8192)) {
                    swap();
                }
            }
            int n = Math.min(len, ready.length - readyAt);
            System.arraycopy(ready, readyAt, b, off, n);
            readyAt += n;
            return n;
        }

        @Override
        public synchronized int available() throws IOException {
            if (readyAt < ready.length) {
                return ready.length - readyAt;
            }
            int more = in.available();
            if (more == 0 && held > 0) {
                releaseHeld();
                swap();
                return ready.length - readyAt;
            }
            return more;
        }

        private void accept(byte c) {
            if (inPaste) {
                paste.write(c);
                endSeen = c == END[endSeen] ? endSeen + 1 : (c == END[0] ? 1 : 0);
                if (endSeen == END.length || paste.size() >= MAX_BYTES) {
                    endPaste();
                }
                return;
            }
            if (c == START[held]) {
                held++;
                if (held == START.length) {
                    held = 0;
                    inPaste = true;
                    paste.reset();
                    endSeen = 0;
                }
                return;
            }
            releaseHeld();
            if (c == START[0]) {
                held = 1;
            } else {
                out.write(c);
            }
        }

        private void releaseHeld() {
            out.write(START, 0, held);
            held = 0;
        }

        private void endPaste() {
            if (!inPaste) {
                return;
            }
            byte[] bytes = paste.toByteArray();
            int length = endSeen == END.length ? bytes.length - END.length : bytes.length;
            pastes.add(decode(bytes, length));
            inPaste = false;
            endSeen = 0;
            paste.reset();
            out.write(START, 0, START.length);
        }

        private void swap() {
            ready = out.toByteArray();
            readyAt = 0;
            out.reset();
        }
    }
}
