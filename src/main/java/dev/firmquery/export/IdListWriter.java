package dev.firmquery.export;

import java.io.BufferedOutputStream;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;
import org.apache.commons.csv.CSVPrinter;

/**
 * Streams a small-schema CSV list of IDs, such as {@code <base>_missing.csv} (one column, headed by
 * the ID column name) or {@code <base>_failed.csv} (ID, chunk number, error). Same format as
 * {@link CsvResultWriter} (RFC 4180, UTF-8, CRLF, or the run's {@link CsvDialect}) and the same temporary-name-then-publish rule
 * ({@link OutputFile}).
 *
 * <pre>{@code
 * try (IdListWriter missing = IdListWriter.missing(dir.resolve(base + "_missing.csv"), "firm_root_id", perms)) {
 *     for (long id : missingIds) missing.id(id);
 *     missing.commit();
 * }
 * }</pre>
 */
public final class IdListWriter implements AutoCloseable {

    /** Header of the chunk column in the failed-ID list. */
    public static final String CHUNK_HEADER = "chunk";
    /** Header of the error column in the failed-ID list. */
    public static final String ERROR_HEADER = "error";

    private final OutputFile file;
    private final Writer out;
    private final CSVPrinter printer;
    private final int width;
    private final boolean formulaGuard;
    private final StringBuilder number = new StringBuilder(24);
    private long count;

    /**
     * Creates the temporary file and writes the header.
     *
     * @param target      the final path
     * @param header      the column names, at least one
     * @param permissions POSIX permissions of the file
     */
    public IdListWriter(Path target, List<String> header, Set<PosixFilePermission> permissions)
            throws IOException {
        this(target, header, permissions, false);
    }

    /**
     * As {@link #IdListWriter(Path, List, Set)}; with {@code formulaGuard} the header, text IDs and
     * error texts that start like a formula are neutralised ({@link FormulaGuard}).
     */
    public IdListWriter(Path target, List<String> header, Set<PosixFilePermission> permissions,
            boolean formulaGuard) throws IOException {
        this(target, header, permissions, formulaGuard, CsvDialect.RFC4180);
    }

    /** As {@link #IdListWriter(Path, List, Set, boolean)}, in {@code dialect} (the run's, as for the results). */
    public IdListWriter(Path target, List<String> header, Set<PosixFilePermission> permissions,
            boolean formulaGuard, CsvDialect dialect) throws IOException {
        this.formulaGuard = formulaGuard;
        if (header.isEmpty()) {
            throw new IllegalArgumentException("An ID list needs at least one column: " + target);
        }
        this.width = header.size();
        this.file = OutputFile.create(target, permissions);
        try {
            BufferedOutputStream bytes = new BufferedOutputStream(file.newOutputStream(), 1 << 16);
            dialect.writeBom(bytes);
            this.out = new BufferedWriter(new OutputStreamWriter(bytes, StandardCharsets.UTF_8), 1 << 16);
            this.printer = new CSVPrinter(out, dialect.format());
            printer.printRecord(header.stream().map(this::text).toList());
        } catch (IOException | RuntimeException e) {
            file.discard();
            throw e;
        }
    }

    /** A one-column list headed {@code idColumn}, for IDs that returned no rows. */
    public static IdListWriter missing(Path target, String idColumn,
            Set<PosixFilePermission> permissions) throws IOException {
        return new IdListWriter(target, List.of(idColumn), permissions);
    }

    /**
     * A list of IDs whose chunk failed: columns {@code idColumn}, {@value #CHUNK_HEADER},
     * {@value #ERROR_HEADER}; write rows with {@link #failed(long, int, String)} or
     * {@link #failed(String, int, String)}.
     */
    public static IdListWriter failed(Path target, String idColumn,
            Set<PosixFilePermission> permissions) throws IOException {
        return failed(target, idColumn, permissions, false);
    }

    /** {@link #missing(Path, String, Set)}, with or without the formula guard. */
    public static IdListWriter missing(Path target, String idColumn,
            Set<PosixFilePermission> permissions, boolean formulaGuard) throws IOException {
        return new IdListWriter(target, List.of(idColumn), permissions, formulaGuard);
    }

    /** {@link #failed(Path, String, Set)}, with or without the formula guard. */
    public static IdListWriter failed(Path target, String idColumn,
            Set<PosixFilePermission> permissions, boolean formulaGuard) throws IOException {
        return failed(target, idColumn, permissions, formulaGuard, CsvDialect.RFC4180);
    }

    /** {@link #missing(Path, String, Set, boolean)} in {@code dialect}. */
    public static IdListWriter missing(Path target, String idColumn, Set<PosixFilePermission> permissions,
            boolean formulaGuard, CsvDialect dialect) throws IOException {
        return new IdListWriter(target, List.of(idColumn), permissions, formulaGuard, dialect);
    }

    /** {@link #failed(Path, String, Set, boolean)} in {@code dialect}. */
    public static IdListWriter failed(Path target, String idColumn, Set<PosixFilePermission> permissions,
            boolean formulaGuard, CsvDialect dialect) throws IOException {
        return new IdListWriter(target, List.of(idColumn, CHUNK_HEADER, ERROR_HEADER), permissions, formulaGuard,
                dialect);
    }

    /** Writes an integer ID as a one-column record. */
    public void id(long id) throws IOException {
        checkWidth(1);
        number.setLength(0);
        number.append(id);
        printer.print(number);
        printer.println();
        count++;
    }

    /** Writes a text ID as a one-column record. */
    public void id(String id) throws IOException {
        checkWidth(1);
        printer.print(text(id));
        printer.println();
        count++;
    }

    /** Writes a failed integer ID with its 1-based chunk number and error message. */
    public void failed(long id, int chunk, String error) throws IOException {
        checkWidth(3);
        number.setLength(0);
        number.append(id);
        printer.print(number);
        printer.print(Integer.toString(chunk));
        printer.print(text(error));
        printer.println();
        count++;
    }

    /** Writes a failed text ID with its 1-based chunk number and error message. */
    public void failed(String id, int chunk, String error) throws IOException {
        checkWidth(3);
        printer.printRecord(text(id), Integer.toString(chunk), text(error));
        count++;
    }

    /** Writes a record of any width matching the header; values are written with toString. */
    public void record(Object... values) throws IOException {
        checkWidth(values.length);
        Object[] cells = values.clone();
        for (int i = 0; i < cells.length; i++) {
            if (cells[i] instanceof String s) {
                cells[i] = text(s);
            }
        }
        printer.printRecord(cells);
        count++;
    }

    /** Records written so far, excluding the header. */
    public long count() {
        return count;
    }

    /** Flushes and publishes the file. */
    public Path commit() throws IOException {
        if (!file.isOpen()) {
            throw new IllegalStateException("commit() after commit() or close() for "
                    + file.target());
        }
        return file.publish(() -> printer.close(true));
    }

    /** Discards the file unless committed. */
    @Override
    public void close() throws IOException {
        file.discard(out);
    }

    private String text(String s) {
        return formulaGuard ? FormulaGuard.neutralise(s) : s;
    }

    private void checkWidth(int values) {
        if (values != width) {
            throw new IllegalArgumentException("A record of " + values + " values does not fit "
                    + file.target() + ", which has " + width + " columns");
        }
        if (!file.isOpen()) {
            throw new IllegalStateException("Write after commit() or close() for "
                    + file.target());
        }
    }

    /** Who is told when the file is published ({@link OutputFile#publishHook}). */
    public void publishHook(PublishHook hook) {
        file.publishHook(hook);
    }
}
