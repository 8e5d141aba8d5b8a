package dev.firmquery.export;

import java.io.BufferedOutputStream;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.csv.CSVPrinter;

/**
 * Writes the result as CSV: {@link org.apache.commons.csv.CSVFormat#RFC4180} (comma, CRLF record separator, double quotes
 * only where needed), UTF-8 without BOM, unless a {@link CsvDialect} says otherwise; a header row of the column labels, SQL
 * NULL as an empty
 * unquoted field (so NULL and the empty string look alike, as README.md's table of files promises;
 * Commons CSV only quotes an empty string as {@code ""} when it is the first field of a record).
 *
 * <p>Values are rendered like PostgreSQL's text output ({@link PgText}): numbers in plain notation
 * ({@code numeric} keeps its scale; {@code double} uses the shortest exact text, with an exponent
 * only outside [1e-4, 1e15)), booleans as {@code true}/{@code false}, dates
 * {@code yyyy-MM-dd}, timestamps {@code yyyy-MM-dd HH:mm:ss[.ffffff]} with a space like psql,
 * timestamps with time zone with their offset ({@code +00}), infinite dates as
 * {@code infinity}/{@code -infinity}, text as is.
 *
 * <p>With {@code gzip} the bytes are gzip-compressed; the file name is whatever the caller passes
 * (so the caller appends {@code .gz}). The file is written under a temporary name and published by
 * {@link #commit}; see {@link OutputFile}.
 */
public final class CsvResultWriter implements ResultWriter {

    private static final int BUFFER_BYTES = 1 << 16;
    private static final int BUFFER_CHARS = 1 << 17;

    private final OutputFile file;
    private final Writer out;
    /** The byte stream under {@link #out} (gzip or file), for {@link #appendEncoded}. */
    private final OutputStream bytes;
    private final CSVPrinter printer;
    // Reused for every record: the hot loop allocates no String per record.
    private final StringBuilder record = new StringBuilder(512);
    private char[] chars = new char[1024];
    private final boolean formulaGuard;
    private final CsvDialect dialect;
    private List<Column> columns;
    private CsvRecords records;
    private long rows;

    /**
     * Creates the temporary file at once, so a bad {@code --out} or an existing file fails before
     * any query runs.
     *
     * @param target      the final path, including any {@code .gz} suffix
     * @param gzip        whether to gzip the content
     * @param permissions POSIX permissions of the file, e.g. {@link OutputFile#OWNER_READ_WRITE}
     */
    public CsvResultWriter(Path target, boolean gzip, Set<PosixFilePermission> permissions)
            throws IOException {
        this(target, gzip, permissions, false);
    }

    /**
     * As {@link #CsvResultWriter(Path, boolean, Set)}, optionally with the formula guard on the
     * header and on the rows given to {@link #row} ({@link FormulaGuard}; parts from
     * {@link #appendEncoded} were encoded by the workers' own {@link CsvRecords} with the same setting).
     */
    public CsvResultWriter(Path target, boolean gzip, Set<PosixFilePermission> permissions, boolean formulaGuard)
            throws IOException {
        this(target, gzip, permissions, formulaGuard, CsvDialect.RFC4180);
    }

    /**
     * As {@link #CsvResultWriter(Path, boolean, Set, boolean)}, in {@code dialect}: its byte order mark
     * starts the file (inside the gzip stream: it belongs to the CSV, not to the archive), its delimiter
     * and line ending the header; records given to {@link #row} use it too, and parts given to
     * {@link #appendEncoded} must have been encoded with it.
     */
    public CsvResultWriter(Path target, boolean gzip, Set<PosixFilePermission> permissions, boolean formulaGuard,
                           CsvDialect dialect) throws IOException {
        this.formulaGuard = formulaGuard;
        this.dialect = dialect;
        this.file = OutputFile.create(target, permissions);
        OutputStream stream = null;
        try {
            stream = new BufferedOutputStream(file.newOutputStream(), BUFFER_BYTES);
            if (gzip) {
                stream = new GZIPOutputStream(stream, BUFFER_BYTES);
            }
            this.bytes = stream;
            dialect.writeBom(stream);
            this.out = new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8),
                    BUFFER_CHARS);
            this.printer = new CSVPrinter(out, dialect.format());
        } catch (IOException | RuntimeException e) {
            closeQuietly(stream, e);
            file.discard();
            throw e;
        }
    }

    /** Same as {@code new CsvResultWriter(target, gzip, OutputFile.OWNER_READ_WRITE)}. */
    public CsvResultWriter(Path target, boolean gzip) throws IOException {
        this(target, gzip, OutputFile.OWNER_READ_WRITE);
    }

    @Override
    public void begin(List<Column> columns) throws IOException {
        if (this.columns != null) {
            throw new IllegalStateException("begin() was already called for " + file.target());
        }
        this.columns = List.copyOf(columns);
        this.records = new CsvRecords(columns, formulaGuard, dialect);
        for (Column column : columns) {
            printer.print(records.text(column.label()));
        }
        printer.println();
    }

    /**
     * Writes one record ({@link CsvRecords}). The whole record is handed to the writer at once: the
     * benchmark showed per-cell {@code CSVPrinter.print(CharSequence)} calls as the writer thread's
     * hottest code (docs/performance.md).
     */
    @Override
    public void row(Object[] values) throws IOException {
        if (columns == null) {
            throw new IllegalStateException("row() before begin() for " + file.target());
        }
        if (values.length != columns.size()) {
            throw new IllegalArgumentException("Row has " + values.length + " values but "
                    + file.target() + " has " + columns.size() + " columns");
        }
        StringBuilder line = record;
        line.setLength(0);
        records.append(values, line);
        int n = line.length();
        if (chars.length < n) {
            chars = new char[Math.max(n, chars.length * 2)];
        }
        line.getChars(0, n, chars, 0);
        out.write(chars, 0, n);
        rows++;
    }

    /**
     * Where {@link #appendEncoded} gets records already encoded by {@link CsvRecords} (on another
     * thread, possibly in an earlier session of the run).
     */
    @FunctionalInterface
    public interface EncodedRecords {
        /**
         * Writes the records' UTF-8 bytes, CRLFs included, to {@code out}; does not close it. Throws
         * when the bytes turn out to be damaged: the file is then discarded, never published.
         */
        void writeTo(OutputStream out) throws IOException;
    }

    /**
     * Appends records encoded elsewhere by {@link CsvRecords}, copied as they are (compressed on the
     * way with {@code gzip}), after everything written so far.
     *
     * @param rows the number of records, for {@link #rowCount()}
     * @throws IOException if {@code records} cannot be copied, or fails its own check
     */
    public void appendEncoded(EncodedRecords records, long rows) throws IOException {
        if (columns == null) {
            throw new IllegalStateException("appendEncoded() before begin() for " + file.target());
        }
        out.flush(); // everything written as characters goes first
        records.writeTo(bytes);
        this.rows += rows;
    }

    /** Rows written so far (excluding the header). */
    public long rowCount() {
        return rows;
    }

    /** Flushes and publishes the file; the summary is not written to CSV. */
    @Override
    public Path commit(List<SummaryLine> summary) throws IOException {
        if (columns == null) {
            throw new IllegalStateException("commit() before begin() for " + file.target());
        }
        if (!file.isOpen()) {
            throw new IllegalStateException("commit() after commit() or close() for "
                    + file.target());
        }
        return file.publish(() -> printer.close(true));
    }

    @Override
    public void close() throws IOException {
        file.discard(out);
    }

    private static void closeQuietly(OutputStream stream, Exception primary) {
        if (stream == null) {
            return;
        }
        try {
            stream.close();
        } catch (IOException e) {
            primary.addSuppressed(e);
        }
    }

    /** Who is told when the file is published ({@link OutputFile#publishHook}). */
    public void publishHook(PublishHook hook) {
        file.publishHook(hook);
    }
}
