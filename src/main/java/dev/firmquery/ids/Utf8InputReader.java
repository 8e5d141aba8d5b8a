package dev.firmquery.ids;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Decodes strict UTF-8 and refuses input that is not text.
 *
 * <ul>
 *   <li>A UTF-8 byte order mark is skipped; UTF-16 byte order marks, ZIP archives (.xlsx) and NUL
 *   bytes are refused with a message saying what the file probably is and how to export it.</li>
 *   <li>An invalid UTF-8 sequence is refused with its line, column and byte offset: a file in a legacy
 *   encoding would otherwise be misread silently.</li>
 *   <li>Counts physical lines (LF, CRLF or a lone CR end a line) for {@link IdStats#lines()}.</li>
 * </ul>
 * Errors are {@link InputRejectedException}s so that they can travel through Commons CSV.
 */
final class Utf8InputReader extends Reader {
    private static final int BYTE_BUFFER = 64 * 1024;
    private static final int CHAR_BUFFER = 64 * 1024;
    private static final String SAVE_AS_UTF8 = "Save it as UTF-8 (Excel: File > Save As > \"CSV UTF-8 (Comma "
            + "delimited)\"; text editors: Save with encoding UTF-8) and load it again.";

    private final InputStream in;
    private final String where;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private final ByteBuffer bytes = ByteBuffer.allocate(BYTE_BUFFER);
    private final CharBuffer chars = CharBuffer.allocate(CHAR_BUFFER);

    /** Bytes dropped from the front of {@link #bytes} by compaction; with its position, the byte offset. */
    private long bytesBefore;
    private boolean started;
    private boolean inputEnded;
    private boolean flushed;

    private long terminators;
    private long charsInLine;
    private boolean lastWasCr;

    /**
     * @param in    the raw bytes
     * @param where how messages name the input ("ids.csv", "&lt;stdin&gt;")
     */
    Utf8InputReader(InputStream in, String where) {
        this.in = in;
        this.where = where;
        bytes.flip();
        chars.flip();
    }

    @Override
    public int read(char[] cbuf, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (!chars.hasRemaining() && !fill()) {
            return -1;
        }
        int n = Math.min(len, chars.remaining());
        chars.get(cbuf, off, n);
        return n;
    }

    @Override
    public int read() throws IOException {
        if (!chars.hasRemaining() && !fill()) {
            return -1;
        }
        return chars.get();
    }

    @Override
    public void close() {
        // The caller owns the stream.
    }

    /** Physical lines decoded so far; the line count of the input once everything has been read. */
    long lines() {
        return terminators + (charsInLine > 0 ? 1 : 0);
    }

    private boolean fill() throws IOException {
        if (flushed) {
            return false;
        }
        chars.clear();
        try {
            while (chars.position() == 0) {
                if (!inputEnded) {
                    readBytes();
                }
                int before = bytes.position();
                CoderResult result = decoder.decode(bytes, chars, inputEnded);
                if (result.isError()) {
                    scan(0, chars.position());
                    throw malformed(result.length());
                }
                if (inputEnded && !bytes.hasRemaining()) {
                    if (!flushed) {
                        decoder.flush(chars);
                        flushed = true;
                    }
                    if (chars.position() == 0) {
                        return false;
                    }
                } else if (chars.position() == 0 && bytes.position() == before && inputEnded) {
                    // The decoder neither progressed nor reported an error: never expected, but never loop.
                    throw new IllegalStateException("UTF-8 decoder stalled at byte offset "
                            + (bytesBefore + bytes.position()));
                }
            }
            scan(0, chars.position());
            return true;
        } finally {
            chars.flip();
        }
    }

    private void readBytes() throws IOException {
        bytesBefore += bytes.position();
        bytes.compact();
        byte[] array = bytes.array();
        if (!started) {
            // Fill the whole first block so that the signature checks below see enough bytes.
            while (bytes.hasRemaining()) {
                int n = in.read(array, bytes.position(), bytes.remaining());
                if (n < 0) {
                    inputEnded = true;
                    break;
                }
                bytes.position(bytes.position() + n);
            }
            bytes.flip();
            started = true;
            checkSignature();
            return;
        }
        if (bytes.hasRemaining()) {
            int n = in.read(array, bytes.position(), bytes.remaining());
            if (n < 0) {
                inputEnded = true;
            } else {
                bytes.position(bytes.position() + n);
            }
        }
        bytes.flip();
    }

    /** Looks at the first block for things that are certainly not UTF-8 text. */
    private void checkSignature() throws InputRejectedException {
        byte[] a = bytes.array();
        int n = bytes.limit();
        if (n >= 3 && (a[0] & 0xFF) == 0xEF && (a[1] & 0xFF) == 0xBB && (a[2] & 0xFF) == 0xBF) {
            bytes.position(3);
        } else if (n >= 2 && ((a[0] & 0xFF) == 0xFF && (a[1] & 0xFF) == 0xFE
                || (a[0] & 0xFF) == 0xFE && (a[1] & 0xFF) == 0xFF)) {
            throw new InputRejectedException(where + ": the input is UTF-16 encoded (it starts with a UTF-16 byte order "
                    + "mark), not UTF-8. " + SAVE_AS_UTF8);
        } else if (n >= 4 && a[0] == 'P' && a[1] == 'K' && a[2] == 3 && a[3] == 4) {
            throw new InputRejectedException(where + ": this is a ZIP archive (for example an Excel .xlsx workbook), "
                    + "not a text file. A workbook is read from a file whose name ends in .xlsx (--ids FILE.xlsx); "
                    + "or open it in the spreadsheet and save the ID column as \"CSV UTF-8\" or as plain text, then "
                    + "load that file.");
        } else if (n >= 4 && (a[0] & 0xFF) == 0xD0 && (a[1] & 0xFF) == 0xCF && (a[2] & 0xFF) == 0x11
                && (a[3] & 0xFF) == 0xE0) {
            throw new InputRejectedException(where + ": this is an Excel 97-2003 workbook (.xls) or another OLE2 "
                    + "file, not a text file. Open it in the spreadsheet and save it as \"Excel Workbook (.xlsx)\" "
                    + "or save the ID column as \"CSV UTF-8\", then load that file.");
        }
        for (int i = 0; i < n; i++) {
            if (a[i] == 0) {
                throw binary(i, lineOfByte(a, i));
            }
        }
    }

    private static long lineOfByte(byte[] a, int offset) {
        long line = 1;
        for (int i = 0; i < offset; i++) {
            if (a[i] == '\n' && (i == 0 || a[i - 1] != '\r') || a[i] == '\r') {
                line++;
            }
        }
        return line;
    }

    /** Counts lines in freshly decoded characters and refuses NUL characters. */
    private void scan(int from, int to) throws InputRejectedException {
        char[] a = chars.array();
        long lineChars = charsInLine;
        boolean cr = lastWasCr;
        for (int i = from; i < to; i++) {
            char c = a[i];
            if (c < 0x20) {
                if (c == '\n') {
                    if (!cr) {
                        terminators++;
                    }
                    cr = false;
                    lineChars = 0;
                    continue;
                }
                if (c == '\r') {
                    terminators++;
                    cr = true;
                    lineChars = 0;
                    continue;
                }
                if (c == 0) {
                    charsInLine = lineChars;
                    throw binaryAt(terminators + 1, lineChars + 1);
                }
            }
            cr = false;
            lineChars++;
        }
        charsInLine = lineChars;
        lastWasCr = cr;
    }

    private InputRejectedException binary(long byteOffset, long line) {
        return new InputRejectedException(String.format(Locale.ROOT, "%s:%d: this looks like a binary file, not text "
                + "(NUL byte at byte offset %d). Export the IDs as plain text or \"CSV UTF-8\" (one ID per line or an "
                + "ID column) and load that file.", where, line, byteOffset));
    }

    private InputRejectedException binaryAt(long line, long column) {
        return new InputRejectedException(String.format(Locale.ROOT, "%s:%d:%d: this looks like a binary file, not "
                + "text (NUL character). Export the IDs as plain text or \"CSV UTF-8\" (one ID per line or an ID "
                + "column) and load that file.", where, line, column));
    }

    private InputRejectedException malformed(int length) {
        int pos = bytes.position();
        long offset = bytesBefore + pos;
        StringBuilder hex = new StringBuilder();
        int shown = Math.max(1, Math.min(length, bytes.limit() - pos));
        for (int i = 0; i < shown && pos + i < bytes.limit(); i++) {
            if (hex.length() > 0) {
                hex.append(' ');
            }
            hex.append(String.format(Locale.ROOT, "0x%02X", bytes.get(pos + i) & 0xFF));
        }
        String what = hex.length() == 0 ? "an incomplete multi-byte sequence at the end of the input"
                : "byte " + hex;
        long line = terminators + 1;
        long column = charsInLine + 1;
        return new InputRejectedException(String.format(Locale.ROOT, "%s:%d:%d: the input is not valid UTF-8 (%s "
                + "at byte offset %d). It was probably saved in another encoding, such as Windows-1252 or ISO-8859-1. "
                + "%s", where, line, column, what, offset, SAVE_AS_UTF8));
    }
}
