package dev.firmquery.run.store;

import dev.firmquery.export.CsvRecords;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * Encodes one chunk's rows as CSV records (no header) and appends them, UTF-8, to a worker's spool
 * segment. The final CSV is then the header followed by these byte ranges in chunk order
 * ({@link SpoolReader#copyCsv}, through {@link CsvParts}): the CSV encoding runs on the workers, in
 * parallel, instead of on the one thread that assembles the files (docs/performance.md).
 *
 * <p>One writer per chunk attempt; single-threaded. {@link #finish} leaves the segment open and
 * unforced (the run journal syncs segments in groups); {@link #abort} cuts the segment back to where
 * the part started, so a failed attempt leaves nothing behind.
 */
final class CsvPartWriter implements AutoCloseable {
    private static final int BUFFER_BYTES = 1 << 16;

    /** Where a finished part lies in its segment, and its CRC-32C. */
    record Part(long offset, long length, int crc32c, long rows) {
    }

    private final Path file;
    private final FileChannel segment;
    private final long start;
    private final CsvRecords records;
    private StringBuilder line = new StringBuilder(512);
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
    CsvPartWriter(Path file, FileChannel segment, CsvRecords records) throws IOException {
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

    /** Appends one record already encoded: {@code length} bytes of {@code record}, its end included. */
    public void encoded(byte[] record, int length) throws IOException {
        if (done) {
            throw new IllegalStateException("the CSV part in " + file + " is already finished or aborted");
        }
        append(record, length);
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

    /** Appends the record's UTF-8 bytes (an unpaired surrogate becomes {@code ?}, as {@link String#getBytes} does). */
    private void encode(StringBuilder record) throws IOException {
        // String.getBytes is an intrinsic copy for ASCII; a char-by-char loop over the builder was
        // the workers' hottest code in the benchmark's profile.
        String text = record.toString();
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (bytes.length != text.length()) {
            // A builder that once held a character beyond Latin-1 stays UTF-16 for good, which makes
            // every later append inflate its text; start afresh after a non-ASCII record.
            line = new StringBuilder(512);
        }
        append(bytes, bytes.length);
    }

    private void append(byte[] bytes, int length) throws IOException {
        int offset = 0;
        while (offset < length) {
            if (position == BUFFER_BYTES) {
                flush();
            }
            int n = Math.min(length - offset, BUFFER_BYTES - position);
            System.arraycopy(bytes, offset, buffer, position, n);
            position += n;
            offset += n;
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
