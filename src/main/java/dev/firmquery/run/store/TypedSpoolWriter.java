package dev.firmquery.run.store;

import dev.firmquery.export.Column;
import dev.firmquery.export.ColumnKind;
import dev.firmquery.export.ValueMismatch;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Writes one typed spool ({@link TypedSpool}, the format): a chunk's rows for the XLSX, appended to a
 * worker's segment or, for tests and tools, in a file of its own. Single-threaded; one writer per
 * chunk attempt.
 */
final class TypedSpoolWriter implements AutoCloseable {
    private final Path file;
    private final FileChannel channel;
    /** Where this spool starts in {@link #channel}: 0 for a file of its own, else its offset in a segment. */
    private final long start;
    /** Whether the writer owns the file (closes it, deletes it on abort) or appends to a caller's segment. */
    private final boolean ownsFile;
    private final ColumnKind[] kinds;
    private final List<Column> columns;
    private final byte[] buffer = new byte[TypedSpool.BUFFER_BYTES];
    private final CRC32C crc = new CRC32C();
    private int position;
    private long flushedBytes;
    private long rows;
    private boolean done;

    private TypedSpoolWriter(Path file, FileChannel channel, long start, boolean ownsFile, List<Column> columns) {
        this.file = file;
        this.channel = channel;
        this.start = start;
        this.ownsFile = ownsFile;
        this.columns = columns;
        this.kinds = new ColumnKind[columns.size()];
        for (int i = 0; i < kinds.length; i++) {
            kinds[i] = columns.get(i).kind();
        }
    }

    /**
     * Creates (or truncates) {@code file}, mode 0600 where POSIX, and writes the header: a spool in a
     * file of its own, which {@link #finish} closes and {@link #abort} deletes.
     */
    static TypedSpoolWriter open(Path file, List<Column> columns) throws IOException {
        List<Column> copy = List.copyOf(columns);
        FileChannel channel;
        try {
            channel = StoreFiles.createOrTruncate(file);
        } catch (IOException e) {
            throw new IOException("Cannot create spool file " + file + ": " + e
                    + "; check that the spool directory exists and is writable", e);
        }
        TypedSpoolWriter writer = new TypedSpoolWriter(file, channel, 0, true, copy);
        try {
            writer.writeHeader();
        } catch (IOException | RuntimeException e) {
            writer.abortSuppressing(e);
            throw e;
        }
        return writer;
    }

    /**
     * Starts a spool at the end of {@code segment}, an append-only file the caller owns and keeps
     * open (a worker's spool segment: one file for many chunks instead of a file per chunk, which
     * cost the benchmark seconds of file-system time). {@link #finish} leaves the channel open and
     * does not force it; {@link #abort} cuts the segment back to where this spool started.
     *
     * @param file    the segment's path, for messages
     * @param segment the segment, positioned at its end
     */
    static TypedSpoolWriter append(Path file, FileChannel segment, List<Column> columns) throws IOException {
        TypedSpoolWriter writer = new TypedSpoolWriter(file, segment, segment.position(), false, List.copyOf(columns));
        try {
            writer.writeHeader();
        } catch (IOException | RuntimeException e) {
            writer.abortSuppressing(e);
            throw e;
        }
        return writer;
    }

    /** Where this spool starts in its file (0 unless {@link #append appended} to a segment). */
    public long start() {
        return start;
    }

    /** The spool file. */
    public Path file() {
        return file;
    }

    /** Rows written so far. */
    public long rowCount() {
        return rows;
    }

    /** Bytes written so far, including what is still buffered. */
    public long bytesWritten() {
        return flushedBytes + position;
    }

    /**
     * Appends one row. {@code values[i]} is null or of the Java type documented on
     * {@link ColumnKind} for column i. The array is not kept.
     */
    public void row(Object[] values) throws IOException {
        checkOpen();
        int n = kinds.length;
        if (values.length != n) {
            throw new IllegalArgumentException("Row has " + values.length + " values but spool "
                    + file + " has " + n + " columns");
        }
        ensure(1 + (n + 7) / 8);
        buffer[position++] = (byte) TypedSpool.ROW;
        for (int start = 0; start < n; start += 8) {
            int bits = 0;
            for (int i = start; i < Math.min(n, start + 8); i++) {
                if (values[i] == null) {
                    bits |= 1 << (i - start);
                }
            }
            buffer[position++] = (byte) bits;
        }
        for (int i = 0; i < n; i++) {
            if (values[i] != null) {
                writeValue(i, values[i]);
            }
        }
        rows++;
    }

    /** Same as {@link #finish(boolean) finish(false)}. */
    public long finish() throws IOException {
        return finish(false);
    }

    /**
     * Writes the trailer and closes the file.
     *
     * @param fsync whether to force the file to disk before returning (for the resume journal)
     * @return the number of rows
     */
    public long finish(boolean fsync) throws IOException {
        checkOpen();
        try {
            ensure(9);
            buffer[position++] = (byte) TypedSpool.END;
            putLong(rows);
            flushBuffer();
            int checksum = (int) crc.getValue();
            ByteBuffer tail = ByteBuffer.allocate(TypedSpool.TRAILER_CHECKSUM_BYTES).putInt(checksum)
                    .flip();
            while (tail.hasRemaining()) {
                channel.write(tail);
            }
            done = true;
            if (ownsFile) {
                if (fsync) {
                    channel.force(true);
                }
                channel.close();
            }
        } catch (IOException | RuntimeException e) {
            abortSuppressing(e);
            throw new IOException("Cannot finish spool file " + file + ": " + e, e);
        }
        return rows;
    }

    /**
     * Closes and deletes the file, or cuts a segment back to where this spool started; for a
     * failed or cancelled attempt. Idempotent.
     */
    public void abort() throws IOException {
        boolean wasDone = done;
        done = true;
        if (!ownsFile) {
            if (!wasDone && channel.isOpen()) {
                channel.truncate(start);
                channel.position(start);
            }
            return;
        }
        try {
            channel.close();
        } finally {
            StoreFiles.deleteIfExists(file);
        }
    }

    /** Aborts unless {@link #finish} succeeded. */
    @Override
    public void close() throws IOException {
        if (!done) {
            abort();
        }
    }

    private void abortSuppressing(Exception primary) {
        try {
            abort();
        } catch (IOException e) {
            primary.addSuppressed(e);
        }
    }

    private void checkOpen() {
        if (done) {
            throw new IllegalStateException("Spool file " + file
                    + " is already finished or aborted");
        }
    }

    private void writeHeader() throws IOException {
        writeBytes(TypedSpool.MAGIC, 0, TypedSpool.MAGIC.length);
        ensure(10);
        putVarLong(columns.size());
        for (Column column : columns) {
            writeNullableString(column.label());
            writeNullableString(column.typeName());
            ensure(1);
            buffer[position++] = (byte) column.kind().ordinal();
        }
    }

    /**
     * Writes one non-null value of column {@code i}. A switch expression over the column's kind, so
     * that a new {@code ColumnKind} does not compile until it is written here too.
     *
     * @throws IllegalArgumentException ({@link ValueMismatch#of}) when the value is not the Java type the
     *                                  column's kind documents
     */
    private void writeValue(int i, Object value) throws IOException {
        boolean written = switch (kinds[i]) {
            case INTEGER -> {
                if (!(value instanceof Long l)) {
                    yield false;
                }
                ensure(10);
                putZigZag(l);
                yield true;
            }
            case DECIMAL -> {
                if (!(value instanceof BigDecimal d)) {
                    yield false;
                }
                writeDecimal(d);
                yield true;
            }
            case FLOAT -> {
                if (!(value instanceof Double d)) {
                    yield false;
                }
                ensure(8);
                putLong(Double.doubleToRawLongBits(d));
                yield true;
            }
            case BOOLEAN -> {
                if (!(value instanceof Boolean b)) {
                    yield false;
                }
                ensure(1);
                buffer[position++] = (byte) (b ? 1 : 0);
                yield true;
            }
            case DATE -> {
                if (!(value instanceof LocalDate d)) {
                    yield false;
                }
                ensure(10);
                putZigZag(d.toEpochDay());
                yield true;
            }
            case TIMESTAMP -> {
                if (!(value instanceof LocalDateTime t)) {
                    yield false;
                }
                ensure(15);
                putZigZag(t.toEpochSecond(ZoneOffset.UTC));
                putVarLong(t.getNano());
                yield true;
            }
            case TIMESTAMPTZ -> {
                if (!(value instanceof OffsetDateTime t)) {
                    yield false;
                }
                ensure(20);
                putZigZag(t.toLocalDateTime().toEpochSecond(ZoneOffset.UTC));
                putVarLong(t.getNano());
                putZigZag(t.getOffset().getTotalSeconds());
                yield true;
            }
            case TEXT -> {
                if (!(value instanceof String s)) {
                    yield false;
                }
                writeString(s);
                yield true;
            }
        };
        if (!written) {
            throw ValueMismatch.of(columns.get(i), value);
        }
    }

    private void writeDecimal(BigDecimal d) throws IOException {
        BigInteger unscaled = d.unscaledValue();
        ensure(11);
        putZigZag(d.scale());
        if (unscaled.bitLength() < 64) {
            ensure(10);
            buffer[position++] = 0;
            putZigZag(unscaled.longValue());
        } else {
            byte[] bytes = unscaled.toByteArray();
            buffer[position++] = 1;
            putVarLong(bytes.length);
            writeBytes(bytes, 0, bytes.length);
        }
    }

    private void writeNullableString(String s) throws IOException {
        if (s == null) {
            ensure(1);
            buffer[position++] = 0;
            return;
        }
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        ensure(10);
        putVarLong(bytes.length + 1L);
        writeBytes(bytes, 0, bytes.length);
    }

    private void writeString(String s) throws IOException {
        int n = s.length();
        long length = utf8Length(s);
        ensure(10);
        putVarLong(length);
        if (length > buffer.length) {
            byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
            writeBytes(bytes, 0, bytes.length);
            return;
        }
        ensure((int) length);
        byte[] b = buffer;
        int p = position;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                b[p++] = (byte) c;
            } else if (c < 0x800) {
                b[p++] = (byte) (0xC0 | c >> 6);
                b[p++] = (byte) (0x80 | c & 0x3F);
            } else if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < n
                        && Character.isLowSurrogate(s.charAt(i + 1))) {
                    int cp = Character.toCodePoint(c, s.charAt(++i));
                    b[p++] = (byte) (0xF0 | cp >> 18);
                    b[p++] = (byte) (0x80 | cp >> 12 & 0x3F);
                    b[p++] = (byte) (0x80 | cp >> 6 & 0x3F);
                    b[p++] = (byte) (0x80 | cp & 0x3F);
                } else {
                    b[p++] = '?';
                }
            } else {
                b[p++] = (byte) (0xE0 | c >> 12);
                b[p++] = (byte) (0x80 | c >> 6 & 0x3F);
                b[p++] = (byte) (0x80 | c & 0x3F);
            }
        }
        position = p;
    }

    private static long utf8Length(String s) {
        int n = s.length();
        long length = n;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                if (c < 0x800) {
                    length += 1;
                } else if (Character.isSurrogate(c)) {
                    if (Character.isHighSurrogate(c) && i + 1 < n
                            && Character.isLowSurrogate(s.charAt(i + 1))) {
                        length += 2;
                        i++;
                    }
                } else {
                    length += 2;
                }
            }
        }
        return length;
    }

    private void ensure(int bytes) throws IOException {
        if (buffer.length - position < bytes) {
            flushBuffer();
        }
    }

    private void flushBuffer() throws IOException {
        if (position == 0) {
            return;
        }
        crc.update(buffer, 0, position);
        ByteBuffer data = ByteBuffer.wrap(buffer, 0, position);
        while (data.hasRemaining()) {
            channel.write(data);
        }
        flushedBytes += position;
        position = 0;
    }

    private void writeBytes(byte[] bytes, int offset, int length) throws IOException {
        if (length <= buffer.length - position) {
            System.arraycopy(bytes, offset, buffer, position, length);
            position += length;
            return;
        }
        flushBuffer();
        if (length < buffer.length) {
            System.arraycopy(bytes, offset, buffer, 0, length);
            position = length;
            return;
        }
        crc.update(bytes, offset, length);
        ByteBuffer data = ByteBuffer.wrap(bytes, offset, length);
        while (data.hasRemaining()) {
            channel.write(data);
        }
        flushedBytes += length;
    }

    private void putZigZag(long v) {
        putVarLong(v << 1 ^ v >> 63);
    }

    private void putVarLong(long v) {
        byte[] b = buffer;
        int p = position;
        while ((v & ~0x7FL) != 0) {
            b[p++] = (byte) (v & 0x7F | 0x80);
            v >>>= 7;
        }
        b[p++] = (byte) v;
        position = p;
    }

    private void putLong(long v) {
        byte[] b = buffer;
        int p = position;
        for (int shift = 56; shift >= 0; shift -= 8) {
            b[p++] = (byte) (v >>> shift);
        }
        position = p;
    }
}
