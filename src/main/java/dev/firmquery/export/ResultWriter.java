package dev.firmquery.export;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Receives the result rows of a run, in final order, and writes one output file.
 *
 * <p>Lifecycle: {@link #begin} once, {@link #row} any number of times, then {@link #commit} to
 * publish the file under its final name, or {@link #close} without commit to discard it. Writers
 * hold no more than a row's worth of data beyond their output buffers; nothing grows with the
 * number of rows.
 */
public interface ResultWriter extends AutoCloseable {

    /** Writes the header. Called exactly once, before any row. */
    void begin(List<Column> columns) throws IOException;

    /**
     * Writes one row. {@code values[i]} is {@code null} or of the Java type that
     * {@code columns.get(i).kind()} documents. The array may be reused by the caller after return.
     */
    void row(Object[] values) throws IOException;

    /**
     * Finishes the file and moves it to its final name.
     *
     * @param summary label/value pairs describing the run (the XLSX writer puts them on a
     *                {@code Summary} sheet; the CSV writer ignores them)
     * @return the final path
     */
    Path commit(List<SummaryLine> summary) throws IOException;

    /** Releases resources; if {@link #commit} was not called, deletes the temporary file. */
    @Override
    void close() throws IOException;

    /** A label and value for the run summary. {@code value} is a String, Number or Boolean. */
    record SummaryLine(String label, Object value) {
    }
}
