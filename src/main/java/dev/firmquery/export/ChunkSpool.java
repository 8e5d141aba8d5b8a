package dev.firmquery.export;

import java.io.EOFException;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.zip.CRC32C;

/**
 * The per-chunk spool: a compact binary file holding one chunk's result rows, so that workers can
 * run chunks concurrently while the final files are assembled in chunk order afterwards, and so
 * that a later resume can reuse the chunks already spooled.
 *
 * <h2>Format (version 1)</h2>
 * <pre>
 * magic     "FQSPOOL" 0x01
 * columns   varint n, then n times: label, type name (nullable strings), kind ordinal (1 byte)
 * rows      'R', null bitmap ((n+7)/8 bytes, bit set = NULL), the non-null values in order
 * trailer   'E', row count (8 bytes), CRC-32C of every byte before it (4 bytes)
 * </pre>
 * Values: INTEGER zigzag varlong; DECIMAL zigzag varint scale, then 0 + zigzag varlong unscaled
 * value or 1 + varint length + two's-complement bytes; FLOAT the 8 raw IEEE bytes; BOOLEAN one
 * byte; DATE zigzag varlong epoch day; TIMESTAMP zigzag varlong epoch second of the local
 * date-time read as UTC + varint nanos; TIMESTAMPTZ the same for its local date-time + zigzag
 * varint offset seconds (local rather than instant, so {@link OffsetDateTime#MAX}, pgjdbc's
 * {@code infinity}, survives); TEXT varint UTF-8 length + UTF-8 bytes (any length; unpaired
 * surrogates become {@code ?}, as {@link String#getBytes} does). Strings in the header are
 * varint (length + 1) with 0 for null.
 *
 * <p>A spool without its trailer (the worker died, the disk filled up) is reported as truncated;
 * a wrong row count, bad structure or checksum mismatch as corrupt. The checksum is only known at
 * the end, so a reader that fails late may already have handed out rows: treat any
 * {@link IOException} as "this chunk's spool is unusable, run the chunk again", or call
 * {@link #verify} first.
 */
public final class ChunkSpool {

    private static final byte[] MAGIC = {'F', 'Q', 'S', 'P', 'O', 'O', 'L', 1};
    private static final int ROW = 'R';
    private static final int END = 'E';
    private static final int TRAILER_CHECKSUM_BYTES = 4;
    private static final int BUFFER_BYTES = 1 << 16;
    private static final ColumnKind[] KINDS = ColumnKind.values();

    private ChunkSpool() {
    }

    /**
     * Reads a whole spool to check it is complete and intact, without keeping any rows.
     *
     * @return its row count
     * @throws IOException naming the file if it is truncated or corrupt
     */
    public static long verify(Path file) throws IOException {
        return verify(file, 0, -1);
    }

    /** {@link #verify(Path)} for the spool at {@code [offset, offset + length)} of a segment file. */
    public static long verify(Path file, long offset, long length) throws IOException {
        try (Reader reader = Reader.open(file, offset, length)) {
            Object[] row = new Object[reader.columns().size()];
            while (reader.next(row)) {
                // reading is the check
            }
            return reader.rowsRead();
        }
    }

    /** Writes one spool file. Single-threaded; one writer per chunk attempt. */
    public static final class Writer implements AutoCloseable {

        private final Path file;
        private final FileChannel channel;
        /** Where this spool starts in {@link #channel}: 0 for a file of its own, else its offset in a segment. */
        private final long start;
        /** Whether the writer owns the file (closes it, deletes it on abort) or appends to a caller's segment. */
        private final boolean ownsFile;
        private final ColumnKind[] kinds;
        private final List<Column> columns;
        private final byte[] buffer = new byte[BUFFER_BYTES];
        private final CRC32C crc = new CRC32C();
        private int position;
        private long flushedBytes;
        private long rows;
        private boolean done;

        private Writer(Path file, FileChannel channel, long start, boolean ownsFile, List<Column> columns) {
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
         * Creates (or truncates) {@code file}, mode 0600 where POSIX, and writes the header.
         */
        public static Writer open(Path file, List<Column> columns) throws IOException {
            List<Column> copy = List.copyOf(columns);
            Set<StandardOpenOption> options = EnumSet.of(StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
            Path directory = file.toAbsolutePath().getParent();
            FileAttribute<?>[] attributes = OutputFile.isPosix(directory)
                    ? new FileAttribute<?>[] {
                            PosixFilePermissions.asFileAttribute(OutputFile.OWNER_READ_WRITE)}
                    : new FileAttribute<?>[0];
            FileChannel channel;
            try {
                channel = FileChannel.open(file, options, attributes);
            } catch (IOException e) {
                throw new IOException("Cannot create spool file " + file + ": " + e
                        + "; check that the spool directory exists and is writable", e);
            }
            Writer writer = new Writer(file, channel, 0, true, copy);
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
        public static Writer append(Path file, FileChannel segment, List<Column> columns) throws IOException {
            Writer writer = new Writer(file, segment, segment.position(), false, List.copyOf(columns));
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
            buffer[position++] = (byte) ROW;
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
                buffer[position++] = (byte) END;
                putLong(rows);
                flushBuffer();
                int checksum = (int) crc.getValue();
                ByteBuffer tail = ByteBuffer.allocate(TRAILER_CHECKSUM_BYTES).putInt(checksum)
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
                Files.deleteIfExists(file);
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
            writeBytes(MAGIC, 0, MAGIC.length);
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
         * Appends one non-null value in its kind's encoding, the mirror of {@link Reader}'s
         * {@code readValue}; returns this writer.
         */
        private Writer writeValue(int i, Object value) throws IOException {
            Column column = columns.get(i);
            return switch (kinds[i]) {
                case INTEGER -> zigZag(ValueMismatch.checked(column, Long.class, value));
                case DECIMAL -> writeDecimal(ValueMismatch.checked(column, BigDecimal.class, value));
                case FLOAT -> rawLong(Double.doubleToRawLongBits(ValueMismatch.checked(column, Double.class, value)));
                case BOOLEAN -> flag(ValueMismatch.checked(column, Boolean.class, value));
                case DATE -> zigZag(ValueMismatch.checked(column, LocalDate.class, value).toEpochDay());
                case TIMESTAMP -> timestamp(ValueMismatch.checked(column, LocalDateTime.class, value));
                case TIMESTAMPTZ -> timestampTz(ValueMismatch.checked(column, OffsetDateTime.class, value));
                case TEXT -> writeString(ValueMismatch.checked(column, String.class, value));
            };
        }

        private Writer zigZag(long v) throws IOException {
            ensure(10);
            putZigZag(v);
            return this;
        }

        private Writer rawLong(long v) throws IOException {
            ensure(8);
            putLong(v);
            return this;
        }

        private Writer flag(boolean b) throws IOException {
            ensure(1);
            buffer[position++] = (byte) (b ? 1 : 0);
            return this;
        }

        /** Seconds since the epoch and nanoseconds, of the local date-time read as UTC. */
        private Writer timestamp(LocalDateTime t) throws IOException {
            ensure(15);
            putZigZag(t.toEpochSecond(ZoneOffset.UTC));
            putVarLong(t.getNano());
            return this;
        }

        /** As {@link #timestamp} for the local part, then the offset in seconds. */
        private Writer timestampTz(OffsetDateTime t) throws IOException {
            ensure(20);
            putZigZag(t.toLocalDateTime().toEpochSecond(ZoneOffset.UTC));
            putVarLong(t.getNano());
            putZigZag(t.getOffset().getTotalSeconds());
            return this;
        }

        private Writer writeDecimal(BigDecimal d) throws IOException {
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
            return this;
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

        private Writer writeString(String s) throws IOException {
            int n = s.length();
            long length = utf8Length(s);
            ensure(10);
            putVarLong(length);
            if (length > buffer.length) {
                byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
                writeBytes(bytes, 0, bytes.length);
                return this;
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
            return this;
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

    /** Reads one spool file front to back. Single-threaded. */
    public static final class Reader implements AutoCloseable {

        private final Path file;
        private final FileChannel channel;
        /** The spool's length: the file's size, or the length of its range in a segment. */
        private final long size;
        private final long payloadEnd;
        private final byte[] buffer = new byte[BUFFER_BYTES];
        private final CRC32C crc = new CRC32C();
        private int position;
        private int limit;
        private long channelPosition;
        private List<Column> columns;
        private ColumnKind[] kinds;
        private int bitmapBytes;
        private byte[] nulls;
        private long rows;
        private boolean done;

        private Reader(Path file, FileChannel channel, long size) {
            this.file = file;
            this.channel = channel;
            this.size = size;
            this.payloadEnd = size - TRAILER_CHECKSUM_BYTES;
        }

        /** Opens {@code file} and reads its header. */
        public static Reader open(Path file) throws IOException {
            return open(file, 0, -1);
        }

        /**
         * Opens the spool stored at {@code [offset, offset + length)} of {@code file} (a segment that
         * {@link Writer#append} wrote to) and reads its header.
         *
         * @param length the spool's length in bytes, or -1 for "to the end of the file"
         */
        public static Reader open(Path file, long offset, long length) throws IOException {
            FileChannel channel;
            long size;
            try {
                channel = FileChannel.open(file, StandardOpenOption.READ);
            } catch (IOException e) {
                throw new IOException("Cannot open spool file " + file + ": " + e, e);
            }
            try {
                long fileSize = channel.size();
                size = length < 0 ? fileSize - offset : Math.min(length, Math.max(0, fileSize - offset));
                channel.position(offset);
            } catch (IOException | RuntimeException e) {
                try {
                    channel.close();
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            }
            Reader reader = new Reader(file, channel, size);
            try {
                reader.readHeader();
            } catch (IOException | RuntimeException e) {
                try {
                    channel.close();
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            }
            return reader;
        }

        /** The columns recorded in the header. */
        public List<Column> columns() {
            return columns;
        }

        /** Rows returned by {@link #next} so far. */
        public long rowsRead() {
            return rows;
        }

        /**
         * Reads the next row into {@code into} (length at least the column count; existing
         * content is overwritten).
         *
         * @return false at the end, after the row count and checksum have been verified
         * @throws IOException naming the file if it is truncated or corrupt
         */
        public boolean next(Object[] into) throws IOException {
            if (done) {
                return false;
            }
            if (into.length < kinds.length) {
                throw new IllegalArgumentException("Row array of length " + into.length
                        + " is too short for the " + kinds.length + " columns of " + file);
            }
            int marker = readByte();
            if (marker == END) {
                finishReading();
                return false;
            }
            if (marker != ROW) {
                throw corrupt("expected a row or the end marker but found byte " + marker);
            }
            ensure(bitmapBytes);
            // Copied out: reading the values may refill and shift the buffer.
            System.arraycopy(buffer, position, nulls, 0, bitmapBytes);
            position += bitmapBytes;
            for (int i = 0; i < kinds.length; i++) {
                boolean isNull = (nulls[i >> 3] >> (i & 7) & 1) != 0;
                into[i] = isNull ? null : readValue(kinds[i]);
            }
            rows++;
            return true;
        }

        @Override
        public void close() throws IOException {
            done = true;
            channel.close();
        }

        private void finishReading() throws IOException {
            long recorded = readLong();
            if (recorded != rows) {
                throw corrupt("the trailer records " + recorded + " rows but " + rows
                        + " were read");
            }
            if (offset() != payloadEnd) {
                throw corrupt("unexpected bytes after the end marker");
            }
            int expected = readInt();
            if (expected != (int) crc.getValue()) {
                throw corrupt("checksum mismatch");
            }
            done = true;
        }

        private void readHeader() throws IOException {
            if (size < MAGIC.length + 1 + 9 + TRAILER_CHECKSUM_BYTES) {
                if (size >= MAGIC.length && !hasMagic()) {
                    throw corrupt("not a spool file (bad magic bytes)");
                }
                throw truncated("shorter than an empty spool");
            }
            if (!hasMagic()) {
                throw corrupt("not a spool file or an unsupported version (bad magic bytes)");
            }
            long n = readVarLong();
            if (n < 0 || n > 100_000) {
                throw corrupt("implausible column count " + n);
            }
            List<Column> list = new ArrayList<>((int) n);
            kinds = new ColumnKind[(int) n];
            for (int i = 0; i < n; i++) {
                String label = readNullableString();
                String typeName = readNullableString();
                int ordinal = readByte();
                if (ordinal >= KINDS.length) {
                    throw corrupt("unknown column kind " + ordinal + " for column " + (i + 1));
                }
                kinds[i] = KINDS[ordinal];
                list.add(new Column(label, typeName, kinds[i]));
            }
            columns = Collections.unmodifiableList(list);
            bitmapBytes = (kinds.length + 7) / 8;
            nulls = new byte[bitmapBytes];
        }

        private boolean hasMagic() throws IOException {
            ensure(MAGIC.length);
            for (byte b : MAGIC) {
                if (buffer[position++] != b) {
                    return false;
                }
            }
            return true;
        }

        private Object readValue(ColumnKind kind) throws IOException {
            try {
                return switch (kind) {
                    case INTEGER -> readZigZag();
                    case DECIMAL -> readDecimal();
                    case FLOAT -> Double.longBitsToDouble(readLong());
                    case BOOLEAN -> readBoolean();
                    case DATE -> LocalDate.ofEpochDay(readZigZag());
                    case TIMESTAMP -> LocalDateTime.ofEpochSecond(readZigZag(), readNanos(),
                            ZoneOffset.UTC);
                    case TIMESTAMPTZ -> {
                        LocalDateTime local = LocalDateTime.ofEpochSecond(readZigZag(),
                                readNanos(), ZoneOffset.UTC);
                        yield OffsetDateTime.of(local, ZoneOffset.ofTotalSeconds(
                                Math.toIntExact(readZigZag())));
                    }
                    case TEXT -> readString(readLength());
                };
            } catch (DateTimeException | ArithmeticException | NumberFormatException e) {
                throw corrupt("invalid " + kind + " value (" + e.getMessage() + ")");
            }
        }

        private Boolean readBoolean() throws IOException {
            int b = readByte();
            if (b > 1) {
                throw corrupt("invalid boolean byte " + b);
            }
            return b == 1;
        }

        private int readNanos() throws IOException {
            long nanos = readVarLong();
            if (nanos < 0 || nanos > 999_999_999) {
                throw corrupt("invalid nanoseconds " + nanos);
            }
            return (int) nanos;
        }

        private BigDecimal readDecimal() throws IOException {
            int scale = Math.toIntExact(readZigZag());
            int form = readByte();
            if (form == 0) {
                return BigDecimal.valueOf(readZigZag(), scale);
            }
            if (form != 1) {
                throw corrupt("invalid decimal form " + form);
            }
            int length = readLength();
            if (length == 0) {
                throw corrupt("empty decimal magnitude");
            }
            byte[] bytes = new byte[length];
            readFully(bytes);
            return new BigDecimal(new BigInteger(bytes), scale);
        }

        private String readNullableString() throws IOException {
            long lengthPlusOne = readVarLong();
            if (lengthPlusOne == 0) {
                return null;
            }
            return readString(checkLength(lengthPlusOne - 1));
        }

        private int readLength() throws IOException {
            return checkLength(readVarLong());
        }

        private int checkLength(long length) throws IOException {
            if (length < 0 || length > payloadEnd - offset()) {
                if (length > payloadEnd - offset() && length <= Integer.MAX_VALUE
                        && offset() + length > size) {
                    throw truncated("a value of " + length + " bytes runs past the end");
                }
                throw corrupt("invalid length " + length);
            }
            return (int) length;
        }

        private String readString(int length) throws IOException {
            if (length <= buffer.length) {
                ensure(length);
                String s = new String(buffer, position, length, StandardCharsets.UTF_8);
                position += length;
                return s;
            }
            byte[] bytes = new byte[length];
            readFully(bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        }

        private void readFully(byte[] into) throws IOException {
            int copied = Math.min(into.length, limit - position);
            System.arraycopy(buffer, position, into, 0, copied);
            position += copied;
            if (copied == into.length) {
                return;
            }
            ByteBuffer rest = ByteBuffer.wrap(into, copied, into.length - copied);
            while (rest.hasRemaining()) {
                int start = rest.position();
                int read = readRange(rest);
                if (read < 0) {
                    throw truncated("the file ends inside a value");
                }
                checksum(into, start, read);
            }
        }

        private int readByte() throws IOException {
            ensure(1);
            return buffer[position++] & 0xFF;
        }

        private long readLong() throws IOException {
            ensure(8);
            long v = 0;
            for (int i = 0; i < 8; i++) {
                v = v << 8 | buffer[position++] & 0xFF;
            }
            return v;
        }

        private int readInt() throws IOException {
            ensure(4);
            int v = 0;
            for (int i = 0; i < 4; i++) {
                v = v << 8 | buffer[position++] & 0xFF;
            }
            return v;
        }

        private long readZigZag() throws IOException {
            long v = readVarLong();
            return v >>> 1 ^ -(v & 1);
        }

        private long readVarLong() throws IOException {
            if (limit - position < 10) {
                ensureUpTo(10);
            }
            long v = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                if (position == limit) {
                    throw truncated("the file ends inside a number");
                }
                int b = buffer[position++];
                v |= (long) (b & 0x7F) << shift;
                if (b >= 0) {
                    return v;
                }
            }
            throw corrupt("a variable-length number is longer than 10 bytes");
        }

        /** Makes {@code n} bytes available or fails as truncated. */
        private void ensure(int n) throws IOException {
            if (limit - position < n) {
                ensureUpTo(n);
                if (limit - position < n) {
                    throw truncated(rows == 0 && columns == null
                            ? "the file ends inside the header"
                            : "the file ends inside row " + (rows + 1) + " or before its trailer");
                }
            }
        }

        /** Makes up to {@code n} bytes available, fewer only at the end of the file. */
        private void ensureUpTo(int n) throws IOException {
            if (position > 0) {
                System.arraycopy(buffer, position, buffer, 0, limit - position);
                limit -= position;
                position = 0;
            }
            while (limit < n) {
                ByteBuffer target = ByteBuffer.wrap(buffer, limit, buffer.length - limit);
                int read = readRange(target);
                if (read < 0) {
                    return;
                }
                checksum(buffer, limit, read);
                limit += read;
            }
        }

        /** Reads into {@code target}, never past the spool's range; -1 at its end. */
        private int readRange(ByteBuffer target) throws IOException {
            long left = size - channelPosition;
            if (left <= 0) {
                return -1;
            }
            if (target.remaining() > left) {
                target.limit(target.position() + (int) left);
            }
            return channel.read(target);
        }

        /** Adds freshly read bytes to the checksum, except the checksum itself at the end. */
        private void checksum(byte[] bytes, int start, int length) {
            long covered = Math.max(0, Math.min(length, payloadEnd - channelPosition));
            crc.update(bytes, start, (int) covered);
            channelPosition += length;
        }

        private long offset() {
            return channelPosition - (limit - position);
        }

        private IOException truncated(String detail) {
            return new EOFException("Spool file " + file + " is truncated (" + size + " bytes): "
                    + detail + "; it was not finished, so run its chunk again");
        }

        private IOException corrupt(String detail) {
            return new IOException("Spool file " + file + " is corrupt at byte " + offset() + ": "
                    + detail + "; delete it and run its chunk again");
        }
    }
}
