package dev.firmquery.run.store;

import dev.firmquery.export.Column;
import dev.firmquery.export.ColumnKind;

import java.io.EOFException;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Reads one typed spool ({@link TypedSpool}, the format) front to back, checking its row count and
 * checksum at the end. Single-threaded.
 */
final class TypedSpoolReader implements AutoCloseable {
    /**
     * Reads a whole spool to check it is complete and intact, without keeping any rows.
     *
     * @return its row count
     * @throws IOException naming the file if it is truncated or corrupt
     */
    static long verify(Path file) throws IOException {
        return verify(file, 0, -1);
    }

    /** {@link #verify(Path)} for the spool at {@code [offset, offset + length)} of a segment file. */
    static long verify(Path file, long offset, long length) throws IOException {
        try (TypedSpoolReader reader = TypedSpoolReader.open(file, offset, length)) {
            Object[] row = new Object[reader.columns().size()];
            while (reader.next(row)) {
                // reading is the check
            }
            return reader.rowsRead();
        }
    }

    private final Path file;
    private final FileChannel channel;
    /** The spool's length: the file's size, or the length of its range in a segment. */
    private final long size;
    private final long payloadEnd;
    private final byte[] buffer = new byte[TypedSpool.BUFFER_BYTES];
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

    private TypedSpoolReader(Path file, FileChannel channel, long size) {
        this.file = file;
        this.channel = channel;
        this.size = size;
        this.payloadEnd = size - TypedSpool.TRAILER_CHECKSUM_BYTES;
    }

    /** Opens {@code file} and reads its header. */
    static TypedSpoolReader open(Path file) throws IOException {
        return open(file, 0, -1);
    }

    /**
     * Opens the spool stored at {@code [offset, offset + length)} of {@code file} (a segment that
     * {@link Writer#append} wrote to) and reads its header.
     *
     * @param length the spool's length in bytes, or -1 for "to the end of the file"
     */
    static TypedSpoolReader open(Path file, long offset, long length) throws IOException {
        FileChannel channel;
        long size;
        try {
            channel = StoreFiles.openForReading(file);
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
        TypedSpoolReader reader = new TypedSpoolReader(file, channel, size);
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
        if (marker == TypedSpool.END) {
            finishReading();
            return false;
        }
        if (marker != TypedSpool.ROW) {
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
        if (size < TypedSpool.MAGIC.length + 1 + 9 + TypedSpool.TRAILER_CHECKSUM_BYTES) {
            if (size >= TypedSpool.MAGIC.length && !hasMagic()) {
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
            if (ordinal >= TypedSpool.KINDS.length) {
                throw corrupt("unknown column kind " + ordinal + " for column " + (i + 1));
            }
            kinds[i] = TypedSpool.KINDS[ordinal];
            list.add(new Column(label, typeName, kinds[i]));
        }
        columns = Collections.unmodifiableList(list);
        bitmapBytes = (kinds.length + 7) / 8;
        nulls = new byte[bitmapBytes];
    }

    private boolean hasMagic() throws IOException {
        ensure(TypedSpool.MAGIC.length);
        for (byte b : TypedSpool.MAGIC) {
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
