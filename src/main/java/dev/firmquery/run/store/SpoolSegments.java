package dev.firmquery.run.store;

import dev.firmquery.export.Column;
import dev.firmquery.export.CsvDialect;
import dev.firmquery.export.CsvRecords;
import dev.firmquery.export.DirectCsvRecords;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The spool segments of one session of a run: per worker, one append-only file for CSV records and
 * one for typed rows (each only when the run writes that format). A chunk appends its rows to its
 * worker's segments, and the journal records the byte ranges. One file per worker instead of one per
 * chunk: creating and deleting thousands of small files cost the benchmark seconds of kernel time
 * (ext4 inode allocation), on top of a metadata sync each (docs/performance.md).
 *
 * <p>Closed after the journal, whose thread forces the segments.
 */
final class SpoolSegments implements AutoCloseable {

    /**
     * One worker's segments; a null name and channel for a format the run does not write. Used only by
     * that worker's thread, which is why it may hold the worker's CSV encoder.
     */
    record Worker(String csvName, FileChannel csv, String typedName, FileChannel typed, CsvRecords encoder,
                  DirectCsvRecords direct) {
        List<FileChannel> channels() {
            List<FileChannel> l = new ArrayList<>(2);
            if (csv != null) {
                l.add(csv);
            }
            if (typed != null) {
                l.add(typed);
            }
            return l;
        }
    }

    private final RunDirectory dir;
    private final String prefix;
    private final boolean csv;
    private final boolean typed;
    private final List<Column> columns;
    private final Map<Integer, Worker> workers = new ConcurrentHashMap<>();
    /** Every segment of this session by name, for the journal to force those a chunk's line names. */
    private final Map<String, FileChannel> byName = new ConcurrentHashMap<>();

    /** Whether CSV records are encoded with the run's formula guard ({@code output.csv_formula_guard}). */
    private final boolean csvFormulaGuard;
    /** The delimiter and line ending the CSV records are encoded with ({@code output.csv_delimiter}, ...). */
    private final CsvDialect csvDialect;

    /**
     * @param csv     whether chunks spool CSV records (the run writes a CSV)
     * @param typed   whether chunks spool typed rows (the run writes an XLSX)
     * @param columns the result columns
     * @param csvFormulaGuard whether the CSV records get the formula guard ({@link dev.firmquery.export.FormulaGuard})
     * @param csvDialect      the run's CSV dialect
     */
    SpoolSegments(RunDirectory dir, boolean csv, boolean typed, List<Column> columns, boolean csvFormulaGuard,
                  CsvDialect csvDialect) throws IOException {
        this.csvFormulaGuard = csvFormulaGuard;
        this.csvDialect = csvDialect;
        this.dir = dir;
        this.prefix = dir.newSessionPrefix();
        this.csv = csv;
        this.typed = typed;
        this.columns = List.copyOf(columns);
    }

    /** The result columns the segments hold. */
    List<Column> columns() {
        return columns;
    }

    /** The segment file {@code name} of the run. */
    Path path(String name) {
        return dir.segment(name);
    }

    /** The segments of worker {@code worker}, created on first use. Called only by that worker. */
    Worker of(int worker) throws IOException {
        Worker w = workers.get(worker);
        if (w == null) {
            String base = prefix + "w" + worker;
            FileChannel c = csv ? create(base + ".csv") : null;
            FileChannel t = null;
            try {
                t = typed ? create(base + ".typed") : null;
            } catch (IOException e) {
                if (c != null) {
                    c.close();
                }
                throw e;
            }
            CsvRecords encoder = csv ? new CsvRecords(columns, csvFormulaGuard, csvDialect) : null;
            w = new Worker(csv ? base + ".csv" : null, c, typed ? base + ".typed" : null, t, encoder,
                    encoder == null ? null : new DirectCsvRecords(encoder));
            if (c != null) {
                byName.put(w.csvName(), c);
            }
            if (t != null) {
                byName.put(w.typedName(), t);
            }
            workers.put(worker, w);
        }
        return w;
    }

    /** The segments that hold the ranges of {@code chunk}, which a worker of this session spooled. */
    List<FileChannel> holding(SpooledChunk chunk) {
        List<FileChannel> l = new ArrayList<>(2);
        for (SpooledChunk.Range r : new SpooledChunk.Range[] {chunk.csv(), chunk.typed()}) {
            if (r != null) {
                FileChannel ch = byName.get(r.segment());
                if (ch == null) {
                    throw new IllegalArgumentException("chunk " + chunk.chunk() + " names the segment " + r.segment()
                            + ", which is not one of this session's");
                }
                l.add(ch);
            }
        }
        return l;
    }

    private FileChannel create(String name) throws IOException {
        Path file = dir.segment(name);
        try {
            return StoreFiles.createSegment(file);
        } catch (IOException e) {
            throw new IOException("cannot create the spool segment " + file + ": " + e, e);
        }
    }

    @Override
    public void close() throws IOException {
        IOException first = null;
        for (Worker w : workers.values()) {
            for (FileChannel ch : w.channels()) {
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
        }
        if (first != null) {
            throw first;
        }
    }
}
