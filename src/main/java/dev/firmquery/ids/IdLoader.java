package dev.firmquery.ids;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.LongConsumer;

/**
 * Loads and cleans an ID input: a file, standard input or pasted text.
 *
 * <p>Reads UTF-8 (with or without byte order mark; LF, CRLF or CR line ends) in one streaming pass, or
 * one sheet of an {@code .xlsx} workbook ({@link XlsxIdReader}, in bounded memory after {@link XlsxGuard}),
 * validates every value against the {@link IdType}, drops blanks, de-duplicates keeping first-seen
 * order, and counts everything for the report. Individual bad values are counted, never thrown; an
 * {@link IdInputException} means the input as a whole cannot be used (unreadable, not UTF-8, binary,
 * no ID column, more than {@link IdLoadOptions#maxIds()} IDs), and its message says where and how to
 * fix it. An input without any valid ID is not an error here: the result carries a warning and the
 * caller decides.
 *
 * <p>Immutable and thread-safe; every load uses its own state.
 */
public final class IdLoader {
    private final IdLoadOptions options;

    /**
     * @throws IllegalArgumentException if the options are inconsistent (text IDs without a pattern,
     *                                  a limit below 1, ...)
     */
    public IdLoader(IdLoadOptions options) {
        this.options = Objects.requireNonNull(options, "options");
        if (options.type() == null) {
            throw new IllegalArgumentException("IdLoadOptions.type is required (processing.id_type)");
        }
        if (options.type() == IdType.TEXT && options.textPattern() == null) {
            throw new IllegalArgumentException("text IDs need a pattern (processing.id_pattern)");
        }
        if (options.maxIds() < 1) {
            throw new IllegalArgumentException("application.max_input_ids must be at least 1, was "
                    + options.maxIds());
        }
        if (options.warningThreshold() < 0) {
            throw new IllegalArgumentException("application.warning_threshold must not be negative, was "
                    + options.warningThreshold());
        }
    }

    /** Loads an ID file; the format comes from its name ({@link InputFormat#forFileName}). */
    public IdLoadResult load(Path file) throws IdInputException {
        return load(file, null);
    }

    /**
     * Loads an ID file; the format comes from its name ({@link InputFormat#forFileName}).
     *
     * @param progress called with the number of bytes read so far, about every MiB and once at the
     *                 end; may be {@code null}
     */
    public IdLoadResult load(Path file, LongConsumer progress) throws IdInputException {
        Objects.requireNonNull(file, "file");
        String name = file.toString();
        if (Files.isDirectory(file)) {
            throw new IdInputException(name + ": is a directory; pass the path of an ID file (.txt, .csv, .tsv or .xlsx)");
        }
        Path fileName = file.getFileName();
        InputFormat format = InputFormat.forFileName(fileName == null ? "" : fileName.toString());
        if (format == InputFormat.XLSX) {
            return loadWorkbook(file, name, progress);
        }
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, name, name, format, progress);
        } catch (NoSuchFileException e) {
            throw new IdInputException(name + ": ID file not found (looked for " + file.toAbsolutePath()
                    + "); check the path given to --ids", e);
        } catch (AccessDeniedException e) {
            throw new IdInputException(name + ": cannot read the ID file: permission denied; check its permissions "
                    + "(chmod u+r) or copy it somewhere readable", e);
        } catch (IOException e) {
            throw new IdInputException(name + ": cannot read the ID file: " + e.getMessage(), e);
        }
    }

    /**
     * A workbook: hashed in one sequential pass (which also reports progress), checked by
     * {@link XlsxGuard}, then read by {@link XlsxIdReader}. The zip is read three times by path, so a
     * file replaced in between (another user's hand on a shared folder) would mix two inputs: its size,
     * modification time and file key are compared before and after, and a change refuses the input.
     */
    private IdLoadResult loadWorkbook(Path file, String name, LongConsumer progress) throws IdInputException {
        try {
            BasicFileAttributes before = Files.readAttributes(file, BasicFileAttributes.class);
            HashingInputStream hashing;
            try (InputStream in = Files.newInputStream(file)) {
                hashing = new HashingInputStream(in, progress);
                byte[] magic = hashing.readNBytes(4);
                if (magic.length < 4 || magic[0] != 'P' || magic[1] != 'K' || magic[2] != 3 || magic[3] != 4) {
                    throw new IdInputException(name + ": not an .xlsx workbook (an .xlsx file is a ZIP archive, and "
                            + "this one does not start like one); if it is an Excel 97-2003 .xls file or a CSV file "
                            + "named .xlsx, open it in the spreadsheet and save it as \"Excel Workbook (.xlsx)\" or "
                            + "as \"CSV UTF-8\"");
                }
                hashing.drain();
            }
            hashing.reportDone();
            XlsxGuard.check(file, name);
            IdCollector collector = new IdCollector(options, name);
            List<String> warnings = new ArrayList<>();
            XlsxIdReader reader = new XlsxIdReader(collector, options, name);
            String columnName = reader.run(file, warnings);
            BasicFileAttributes after = Files.readAttributes(file, BasicFileAttributes.class);
            if (before.size() != after.size() || !before.lastModifiedTime().equals(after.lastModifiedTime())
                    || !Objects.equals(before.fileKey(), after.fileKey())) {
                throw new IdInputException(name + ": the workbook changed while it was read (size, time or file "
                        + "differ); load it again once nothing is writing it");
            }
            addLimitWarnings(collector, name, warnings);
            return new IdLoadResult(collector.ids(), collector.stats(reader.rows()), collector.examples(), warnings,
                    name, hashing.sha256Hex(), columnName, reader.sheetNames(), reader.sheet());
        } catch (NoSuchFileException e) {
            throw new IdInputException(name + ": ID file not found (looked for " + file.toAbsolutePath()
                    + "); check the path given to --ids", e);
        } catch (AccessDeniedException e) {
            throw new IdInputException(name + ": cannot read the ID file: permission denied; check its permissions "
                    + "(chmod u+r) or copy it somewhere readable", e);
        } catch (IOException e) {
            throw new IdInputException(name + ": cannot read the workbook: " + e.getMessage(), e);
        }
    }

    /**
     * Loads IDs from a stream, e.g. standard input for {@code --ids -}. The stream is read to its end
     * but not closed.
     *
     * @param sourceName what the result records as {@link IdLoadResult#source()}: a path, or {@code "-"}
     *                   for standard input
     * @param format     the layout; {@link InputFormat#AUTO} decides from the first non-blank line
     */
    public IdLoadResult load(InputStream in, String sourceName, InputFormat format) throws IdInputException {
        return load(in, sourceName, format, null);
    }

    /**
     * As {@link #load(InputStream, String, InputFormat)}, reporting progress.
     *
     * @param progress called with the number of bytes read so far, about every MiB and once at the
     *                 end; may be {@code null}
     */
    public IdLoadResult load(InputStream in, String sourceName, InputFormat format, LongConsumer progress)
            throws IdInputException {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(sourceName, "sourceName");
        Objects.requireNonNull(format, "format");
        String where = "-".equals(sourceName) ? "<stdin>" : sourceName;
        try {
            return read(in, sourceName, where, format, progress);
        } catch (IOException e) {
            throw new IdInputException(where + ": cannot read the IDs: " + e.getMessage(), e);
        }
    }

    /**
     * Loads IDs typed or pasted into the UI; the layout is decided as for {@link InputFormat#AUTO}. The
     * result's source is {@code "-"}.
     */
    public IdLoadResult loadText(String pasted) throws IdInputException {
        Objects.requireNonNull(pasted, "pasted");
        byte[] bytes = pasted.getBytes(StandardCharsets.UTF_8);
        try {
            return read(new ByteArrayInputStream(bytes), "-", "<pasted text>", InputFormat.AUTO, null);
        } catch (IOException e) {
            throw new IllegalStateException("reading from memory failed", e);
        }
    }

    private IdLoadResult read(InputStream raw, String source, String where, InputFormat format,
                              LongConsumer progress) throws IOException, IdInputException {
        HashingInputStream hashing = new HashingInputStream(raw, progress);
        Utf8InputReader decoded = new Utf8InputReader(hashing, where);
        IdCollector collector = new IdCollector(options, where);
        List<String> warnings = new ArrayList<>();
        String columnName;
        try {
            FirstLine first = FirstLine.peek(decoded);
            Reader replay = first.replay(decoded);
            InputFormat effective = format == InputFormat.AUTO ? detect(first.line(), collector) : format;
            columnName = switch (effective) {
                case TEXT -> {
                    if (options.idColumn() != null && !options.idColumn().isBlank()) {
                        warnings.add(where + ": --id-column " + Chars.display(options.idColumn()) + " is ignored: the "
                                + "input is read as plain text (values separated by blanks, commas or semicolons), "
                                + "which has no columns");
                    }
                    yield new TextTokenizer(collector, where).run(replay, warnings);
                }
                case CSV, TSV -> {
                    char[] candidates = effective == InputFormat.TSV ? CsvIdReader.TSV_DELIMITERS
                            : CsvIdReader.CSV_DELIMITERS;
                    char delimiter = CsvIdReader.chooseDelimiter(first.line(), candidates);
                    yield new CsvIdReader(collector, options, where).run(replay, delimiter, warnings);
                }
                case XLSX -> throw new InputRejectedException(where + ": a workbook is read from its file, not from a "
                        + "stream; pass its path with --ids FILE.xlsx");
                case AUTO -> throw new IllegalStateException("AUTO was to be decided as TEXT or CSV by detect()");
            };
            hashing.drain();
        } catch (InputRejectedException e) {
            throw new IdInputException(e.getMessage(), e);
        } catch (UncheckedIOException e) {
            // Commons CSV's record iterator wraps reader errors.
            IOException cause = e.getCause();
            if (cause instanceof InputRejectedException) {
                throw new IdInputException(cause.getMessage(), cause);
            }
            throw new IdInputException(where + ": cannot read the IDs: " + cause.getMessage(), cause);
        }
        hashing.reportDone();
        addLimitWarnings(collector, where, warnings);
        return new IdLoadResult(collector.ids(), collector.stats(decoded.lines()), collector.examples(), warnings,
                source, hashing.sha256Hex(), columnName);
    }

    /**
     * {@link InputFormat#AUTO}: CSV if the first non-blank line has a delimiter and at least one field
     * that reads like a column name (a known ID column name, or a word without digits that is not an ID).
     */
    private static InputFormat detect(String firstLine, IdCollector collector) {
        char delimiter = CsvIdReader.chooseDelimiter(firstLine, CsvIdReader.CSV_DELIMITERS);
        if (delimiter == CsvIdReader.NO_DELIMITER) {
            return InputFormat.TEXT;
        }
        for (String field : CsvIdReader.splitLine(firstLine, delimiter)) {
            String v = Chars.unquote(field);
            if (v.isEmpty()) {
                continue;
            }
            if (collector.isKnownColumnName(v) || !collector.isValid(field) && IdCollector.isHeaderWord(v)) {
                return InputFormat.CSV;
            }
        }
        return InputFormat.TEXT;
    }

    private void addLimitWarnings(IdCollector collector, String where, List<String> warnings) {
        int valid = collector.size();
        if (valid == 0) {
            warnings.add(String.format(Locale.ROOT, "%s: no valid IDs (%,d values read, %,d invalid, %,d blank)",
                    where, collector.values(), collector.invalidCount(), collector.blankCount()));
        } else if (valid > options.warningThreshold()) {
            warnings.add(String.format(Locale.ROOT, "%s: %,d valid IDs is more than the warning threshold of %,d "
                            + "(application.warning_threshold); the limit is %,d (application.max_input_ids). A run "
                            + "this large takes long; consider splitting the input.",
                    where, valid, options.warningThreshold(), options.maxIds()));
        }
    }
}
