package dev.firmquery.run.store;

import dev.firmquery.export.DirectCsvRecords;

import java.io.IOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.BitSet;

/**
 * Spools one attempt of one chunk: each row goes to the worker's segments as a CSV record and/or a
 * typed row, whichever the run writes. {@link #finish} says where they are ({@link SpooledChunk});
 * closing an unfinished writer cuts the segments back to where the attempt started, so a failed
 * attempt leaves nothing behind. Single-threaded: the worker that opened it
 * ({@link RunSession#openChunk}).
 */
public final class ChunkWriter implements AutoCloseable {
    private final SpoolSegments.Worker segments;
    private final int chunk;
    private final int attempts;
    private final CsvPartWriter csv;
    private final TypedSpoolWriter typed;
    private final DirectCsvRecords direct;
    private long rows;

    private ChunkWriter(SpoolSegments.Worker segments, int chunk, int attempts, CsvPartWriter csv,
                        TypedSpoolWriter typed) {
        this.segments = segments;
        this.direct = typed == null && csv != null ? segments.direct() : null;
        this.chunk = chunk;
        this.attempts = attempts;
        this.csv = csv;
        this.typed = typed;
    }

    static ChunkWriter open(SpoolSegments spool, SpoolSegments.Worker w, int chunk, int attempts) throws IOException {
        CsvPartWriter csv = w.csv() == null ? null : new CsvPartWriter(spool.path(w.csvName()), w.csv(), w.encoder());
        TypedSpoolWriter typed;
        try {
            typed = w.typed() == null ? null
                    : TypedSpoolWriter.append(spool.path(w.typedName()), w.typed(), spool.columns());
        } catch (IOException | RuntimeException e) {
            if (csv != null) {
                try {
                    csv.close();
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
        return new ChunkWriter(w, chunk, attempts, csv, typed);
    }

    /**
     * Spools one row. {@code values[i]} is null or of the Java type that column i's kind documents;
     * the array is not kept.
     *
     * @throws IllegalArgumentException if the row has the wrong length or a value of the wrong type
     */
    public void row(Object[] values) throws IOException {
        if (csv != null) {
            csv.row(values);
        }
        if (typed != null) {
            typed.row(values);
        }
        rows++;
    }

    /**
     * The spooler of {@code rs}'s rows straight from the driver's bytes ({@link DirectCsvRecords}), or
     * null when this chunk also spools typed rows (an XLSX or JSONL is written), which need the values
     * read anyway: then {@link #row} is the way.
     */
    public ResultRows resultRows(ResultSet rs) throws SQLException {
        return direct == null ? null : new ResultRows(direct.of(rs));
    }

    /** Spools the current row of one result set as its CSV record; see {@link #resultRows}. */
    public final class ResultRows {
        private final DirectCsvRecords.Rows encoder;

        private ResultRows(DirectCsvRecords.Rows encoder) {
            this.encoder = encoder;
        }

        /** Spools the result's current row. */
        public void row() throws SQLException, IOException {
            int n = encoder.encode();
            csv.encoded(encoder.bytes(), n);
            rows++;
        }
    }

    /**
     * Completes the chunk's ranges in the segments (not yet forced to disk: the journal does that
     * when {@link RunSession#done} records them).
     *
     * @param missing positions in the chunk (0-based) of the IDs that returned no row
     * @return where the rows are, for the journal and for the assembly of the files
     */
    public SpooledChunk finish(BitSet missing) throws IOException {
        SpooledChunk.Range csvRange = null;
        if (csv != null) {
            CsvPartWriter.Part part = csv.finish();
            csvRange = new SpooledChunk.Range(segments.csvName(), part.offset(), part.length(), part.crc32c());
        }
        SpooledChunk.Range typedRange = null;
        if (typed != null) {
            typed.finish();
            typedRange = new SpooledChunk.Range(segments.typedName(), typed.start(),
                    segments.typed().position() - typed.start(), 0);
        }
        return new SpooledChunk(chunk, rows, attempts, csvRange, typedRange, missing, null);
    }

    /** Cuts the segments back unless {@link #finish} succeeded. */
    @Override
    public void close() throws IOException {
        // The order of two try-with-resources resources: the typed spool first, then the CSV part.
        IOException failure = null;
        if (typed != null) {
            try {
                typed.close();
            } catch (IOException e) {
                failure = e;
            }
        }
        if (csv != null) {
            try {
                csv.close();
            } catch (IOException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
