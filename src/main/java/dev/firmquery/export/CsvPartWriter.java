package dev.firmquery.export;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Encodes one chunk's rows as CSV records (no header) and appends them, UTF-8, to a worker's spool
 * segment. The final CSV is then the header followed by these byte ranges in chunk order
 * ({@link CsvResultWriter#appendPart}): the CSV encoding runs on the workers, in parallel, instead
 * of on the one thread that assembles the files (docs/performance.md).
 *
 * <p>One writer per chunk attempt; single-threaded. {@link #finish} leaves the segment open and
 * unforced (the run journal syncs segments in groups); {@link #abort} cuts the segment back to where
 * the part started, so a failed attempt leaves nothing behind.
 */
public final class CsvPartWriter implements AutoCloseable {
    private static final int BUFFER_BYTES = 1 << 16;

    /** Where a finished part lies in its segment, and its CRC-32C. */
    public record Part(long offset, long length, int crc32c, long rows) {
    }

    private final Path file;
    private final FileChannel segment;
    private final long start;
    private final CsvRecords records;
    private final StringBuilder line = new StringBuilder(512);
    private final byte[] buffer = new byte[BUFFER_BYTES];
    private final CRC32C crc = new CRC32C();
    private int position;
    private long written;
    private long rows;
    private boolean done;

    /**
     * @param file    the segment's path, for messages
     * @param segment the segment, positioned at its end
     * @param records the encoder for this run's columns (one per thread)
     */
    public CsvPartWriter(Path file, FileChannel segment, CsvRecords records) throws IOException {
        this.file = file;
        this.segment = segment;
        this.start = segment.position();
        this.records = records;
    }

    /** Appends one record; see {@link CsvRecords#append}. */
    public void row(Object[] values) throws IOException {
        if (done) {
            throw new IllegalStateException("the CSV part in " + file + " is already finished or aborted");
        }
        line.setLength(0);
        records.append(values, line);
        encode(line);
        rows++;
    }

    /** Writes what is buffered; the part is complete in the segment (not yet forced to disk). */
    public Part finish() throws IOException {
        if (done) {
            throw new IllegalStateException("the CSV part in " + file + " is already finished or aborted");
        }
        flush();
        done = true;
        return new Part(start, written, (int) crc.getValue(), rows);
    }

    /** Cuts the segment back to where this part started. Idempotent; a no-op after {@link #finish}. */
    public void abort() throws IOException {
        if (done) {
            return;
        }
        done = true;
        if (segment.isOpen()) {
            segment.truncate(start);
            segment.position(start);
        }
    }

    /** Aborts unless {@link #finish} succeeded. */
    @Override
    public void close() throws IOException {
        abort();
    }

    /** UTF-8, as {@link String#getBytes} would give (an unpaired surrogate becomes {@code ?}). */
    private void encode(CharSequence s) throws IOException {
        int n = s.length();
        for (int i = 0; i < n; i++) {
            if (BUFFER_BYTES - position < 4) {
                flush();
            }
            char c = s.charAt(i);
            if (c < 0x80) {
                buffer[position++] = (byte) c;
            } else if (c < 0x800) {
                buffer[position++] = (byte) (0xC0 | c >> 6);
                buffer[position++] = (byte) (0x80 | c & 0x3F);
            } else if (Character.isSurrogate(c)) {
                int cp = -1;
                if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                    cp = Character.toCodePoint(c, s.charAt(++i));
                }
                if (cp < 0) {
                    buffer[position++] = '?';
                } else {
                    buffer[position++] = (byte) (0xF0 | cp >> 18);
                    buffer[position++] = (byte) (0x80 | cp >> 12 & 0x3F);
                    buffer[position++] = (byte) (0x80 | cp >> 6 & 0x3F);
                    buffer[position++] = (byte) (0x80 | cp & 0x3F);
                }
            } else {
                buffer[position++] = (byte) (0xE0 | c >> 12);
                buffer[position++] = (byte) (0x80 | c >> 6 & 0x3F);
                buffer[position++] = (byte) (0x80 | c & 0x3F);
            }
        }
    }

    private void flush() throws IOException {
        if (position == 0) {
            return;
        }
        crc.update(buffer, 0, position);
        ByteBuffer data = ByteBuffer.wrap(buffer, 0, position);
        while (data.hasRemaining()) {
            segment.write(data);
        }
        written += position;
        position = 0;
    }
}
