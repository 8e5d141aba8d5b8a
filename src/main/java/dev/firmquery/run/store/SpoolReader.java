package dev.firmquery.run.store;

import dev.firmquery.export.Column;
import dev.firmquery.export.ResultWriter;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads spooled chunks back for the final files, checked: the CSV records of a chunk as the bytes
 * the worker encoded, and its typed rows one at a time. Any damage fails the copy with an
 * {@link IOException} that names the segment and says to run the chunk again. Used by the one
 * thread that assembles the files; holds one row, or one 64 KB buffer, at a time.
 */
public final class SpoolReader implements AutoCloseable {
    private static final int BUFFER_BYTES = 1 << 16;

    private final RunDirectory dir;
    private final int columns;
    /** Read channels of the CSV segments, by name; a run has a few (one per worker and session). */
    private final Map<String, FileChannel> segments = new HashMap<>();
    private ByteBuffer buffer;

    SpoolReader(RunDirectory dir, List<Column> columns) {
        this.dir = dir;
        this.columns = columns.size();
    }

    /**
     * Copies the chunk's CSV records to {@code out} and checks them against their CRC-32C. The bytes
     * reach {@code out} before the checksum is known: on failure, discard what {@code out} goes to.
     *
     * @throws IOException if the chunk has no CSV records, or they cannot be read or do not match
     *                     their checksum
     */
    public void copyCsv(SpooledChunk chunk, OutputStream out) throws IOException {
        SpooledChunk.Range r = chunk.csv();
        if (r == null) {
            throw new IOException("chunk " + chunk.chunk() + " has no CSV records in the spool of " + dir.path()
                    + "; run the chunk again " + RunStore.RESUME_HINT);
        }
        if (buffer == null) {
            buffer = ByteBuffer.allocate(BUFFER_BYTES);
        }
        CsvParts.copyChecked(segment(r), dir.segment(r.segment()), r.offset(), r.length(), r.crc32c(), out, buffer);
    }

    /**
     * Writes the chunk's typed rows to each of {@code writers}, in order. The spool's checksum is
     * checked at its end, after the rows were handed out: on failure, discard the writers' files.
     *
     * @throws IOException if the chunk has no typed rows, or they are truncated or corrupt
     */
    public void copyRows(SpooledChunk chunk, List<? extends ResultWriter> writers) throws IOException {
        SpooledChunk.Range r = chunk.typed();
        if (r == null) {
            throw new IOException("chunk " + chunk.chunk() + " has no typed rows in the spool of " + dir.path()
                    + "; run the chunk again " + RunStore.RESUME_HINT);
        }
        try (TypedSpoolReader in = TypedSpoolReader.open(dir.segment(r.segment()), r.offset(), r.length())) {
            Object[] row = new Object[columns];
            while (in.next(row)) {
                for (ResultWriter w : writers) {
                    w.row(row);
                }
            }
        }
    }

    private FileChannel segment(SpooledChunk.Range range) throws IOException {
        FileChannel ch = segments.get(range.segment());
        if (ch == null) {
            Path file = dir.segment(range.segment());
            try {
                ch = StoreFiles.openForReading(file);
            } catch (IOException e) {
                throw new IOException("cannot read the spool segment " + file + ": " + e
                        + "; run the chunk again " + RunStore.RESUME_HINT, e);
            }
            segments.put(range.segment(), ch);
        }
        return ch;
    }

    /** Closes the segments it opened. */
    @Override
    public void close() throws IOException {
        IOException first = null;
        for (FileChannel ch : segments.values()) {
            try {
                ch.close();
            } catch (IOException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        segments.clear();
        if (first != null) {
            throw first;
        }
    }
}
