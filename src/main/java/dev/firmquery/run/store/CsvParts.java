package dev.firmquery.run.store;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * Reading back the CSV parts that {@link CsvPartWriter} appended to a segment: one copy-and-CRC loop
 * for both the assembly of the final CSV ({@link SpoolReader#copyCsv}) and the resume check
 * ({@link ResumeCheck}), so the two can never disagree about which bytes a range holds.
 */
final class CsvParts {
    private CsvParts() {
    }

    /**
     * Reads the part at {@code [offset, offset + length)} of {@code segment}, passing its bytes to
     * {@code sink} (e.g. {@link OutputStream#nullOutputStream()} to only check it), and returns their
     * CRC-32C, to compare with {@link CsvPartWriter.Part#crc32c()}.
     *
     * @param name   the segment's path, for messages
     * @param buffer a heap buffer to read through
     * @throws IOException if the segment ends inside the range, naming it and the fix
     */
    static int copy(FileChannel segment, Path name, long offset, long length, OutputStream sink, ByteBuffer buffer)
            throws IOException {
        CRC32C crc = new CRC32C();
        long position = offset;
        long end = offset + length;
        while (position < end) {
            buffer.clear();
            if (end - position < buffer.capacity()) {
                buffer.limit((int) (end - position));
            }
            int read = segment.read(buffer, position);
            if (read < 0) {
                throw new IOException("spool " + name + " ends at byte " + position + ", inside the records at "
                        + offset + "+" + length + "; run the chunk again " + RunStore.RESUME_HINT);
            }
            crc.update(buffer.array(), 0, read);
            sink.write(buffer.array(), 0, read);
            position += read;
        }
        return (int) crc.getValue();
    }

    /**
     * {@link #copy}, failing when the bytes do not match {@code crc32c}. The bytes reach {@code sink}
     * before the checksum is known: a caller writing a final file discards it on failure.
     *
     * @throws IOException if the range cannot be read or its checksum does not match, naming the
     *                     segment, the range and the fix
     */
    static void copyChecked(FileChannel segment, Path name, long offset, long length, int crc32c, OutputStream sink,
                            ByteBuffer buffer) throws IOException {
        if (copy(segment, name, offset, length, sink, buffer) != crc32c) {
            throw new IOException("spool " + name + " is damaged: the records at " + offset + "+" + length
                    + " do not match their checksum; run the chunk again " + RunStore.RESUME_HINT);
        }
    }
}
