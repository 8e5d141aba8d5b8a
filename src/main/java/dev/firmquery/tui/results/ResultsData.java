package dev.firmquery.tui.results;

import dev.firmquery.run.RunReport;
import dev.firmquery.tui.widget.Fmt;
import dev.firmquery.tui.widget.Glyphs;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * What the results window browses, read back from the files the run wrote (so it shows exactly what
 * is in them): the first missing IDs, the failed IDs, and the first rows of the result CSV. Bounded
 * whatever the size of the files.
 *
 * @param missing      lines for the missing-IDs list
 * @param failed       lines for the failed-chunks list
 * @param header       result column names, empty when there is no CSV to preview
 * @param rows         the first result rows, values shortened for the table
 * @param rowsNote     a line about the row preview (what it shows, or why there is none)
 */
record ResultsData(List<String> missing, List<String> failed, List<String> header, List<List<String>> rows,
                   String rowsNote) {

    /** IDs listed at most per list. */
    static final int MAX_IDS = 10_000;
    /** Result rows previewed at most. */
    static final int MAX_ROWS = 100;
    /** Characters shown per table cell. */
    static final int MAX_CELL = 40;

    ResultsData {
        missing = List.copyOf(missing);
        failed = List.copyOf(failed);
        header = List.copyOf(header);
        rows = rows.stream().map(List::copyOf).toList();
    }

    /** Reads what {@code report} lists; problems become lines in the lists rather than exceptions. */
    static ResultsData read(RunReport report, Glyphs glyphs) {
        Path missingFile = file(report, "missing");
        Path failedFile = file(report, "failed");
        Path csv = file(report, "results-csv");

        List<String> missing = new ArrayList<>();
        if (report.counts().missingIds() == 0) {
            missing.add("No missing IDs: every valid ID of the succeeded chunks returned rows.");
        } else {
            missing.add(Fmt.plural(report.counts().missingIds(), "ID", "IDs") + " returned no rows"
                    + (report.counts().missingIds() > MAX_IDS ? " (the first " + Fmt.count(MAX_IDS) + " are listed)" : "")
                    + "; all are in " + (missingFile == null ? "the _missing.csv file" : missingFile));
            readColumn(missingFile, missing, MAX_IDS, false);
        }

        List<String> failed = new ArrayList<>();
        if (report.chunks().failed() == 0) {
            failed.add("No failed chunks.");
        } else {
            failed.add(Fmt.plural(report.chunks().failed(), "chunk", "chunks") + " failed after the retries ("
                    + Fmt.plural(report.counts().failedIds(), "ID", "IDs") + "); F6 re-runs them. IDs and errors are in "
                    + (failedFile == null ? "the _failed.csv file" : failedFile));
            for (RunReport.ChunkFailure f : report.outputs().failures()) {
                failed.add(String.format(java.util.Locale.ROOT, "chunk %d: %s, %s: %s", f.chunk(),
                        Fmt.plural(f.ids(), "ID", "IDs"), Fmt.plural(f.attempts(), "attempt", "attempts"), f.error()));
            }
            if (report.chunks().failed() > report.outputs().failures().size()) {
                failed.add("(" + Fmt.count(report.chunks().failed() - report.outputs().failures().size())
                        + " more failed chunks are in the report file)");
            }
            failed.add("Failed IDs (ID, chunk):");
            readColumn(failedFile, failed, MAX_IDS, true);
        }
        if (report.chunks().notRun() > 0) {
            failed.add(Fmt.plural(report.chunks().notRun(), "chunk", "chunks") + " (" + Fmt.plural(report.counts().notRunIds(),
                    "ID", "IDs") + ") not run: " + (report.run().stopReason() == null ? "the run was cancelled"
                    : report.run().stopReason()) + "; F6 can run them");
        }

        List<String> header = List.of();
        List<List<String>> rows = new ArrayList<>();
        String note;
        if (csv == null) {
            note = "No CSV was written (formats without CSV); the row preview reads the CSV file.";
        } else {
            try (Reader r = reader(csv);
                 CSVParser parser = CSVParser.parse(r, format(csv))) {
                List<String> h = null;
                for (CSVRecord rec : parser) {
                    List<String> values = new ArrayList<>();
                    for (String v : rec) {
                        values.add(cell(v, glyphs));
                    }
                    if (h == null) {
                        h = values;
                    } else {
                        rows.add(values);
                        if (rows.size() >= MAX_ROWS) {
                            break;
                        }
                    }
                }
                header = h == null ? List.of() : h;
                note = report.counts().rows() == 0 ? "The result has no rows." : "First " + Fmt.count(rows.size())
                        + " of " + Fmt.plural(report.counts().rows(), "row", "rows") + "; Left/Right scroll the columns";
            } catch (IOException | RuntimeException e) {
                note = "Cannot read " + csv + " for the preview: " + e.getMessage();
            }
        }
        return new ResultsData(missing, failed, header, rows, note);
    }

    static Path file(RunReport report, String kind) {
        for (RunReport.OutputFileInfo f : report.outputs().files()) {
            if (f.kind().equals(kind)) {
                return f.path();
            }
        }
        return null;
    }

    /** Appends the data lines of a small CSV (header skipped): the first column, or "first (chunk second)". */
    private static void readColumn(Path file, List<String> out, int max, boolean withChunk) {
        if (file == null) {
            return;
        }
        try (Reader r = reader(file);
             CSVParser parser = CSVParser.parse(r, format(file))) {
            int n = 0;
            boolean header = true;
            for (CSVRecord rec : parser) {
                if (header) {
                    header = false;
                    continue;
                }
                if (n++ >= max) {
                    break;
                }
                out.add(withChunk && rec.size() > 1 ? rec.get(0) + "  (chunk " + rec.get(1) + ")" : rec.get(0));
            }
        } catch (IOException | RuntimeException e) {
            out.add("(cannot read " + file + ": " + e.getMessage() + ")");
        }
    }

    private static Reader reader(Path file) throws IOException {
        InputStream in = Files.newInputStream(file);
        if (file.getFileName().toString().endsWith(".gz")) {
            in = new GZIPInputStream(in, 1 << 16);
        }
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
        r.mark(1);
        if (r.read() != '\uFEFF') { // output.csv_bom: the byte order mark is not part of the header
            r.reset();
        }
        return r;
    }

    /**
     * The file's CSV dialect as far as reading needs it: the delimiter (output.csv_delimiter) is the one
     * of {@code , ; tab |} found most often outside quotes in the header line, ties going to the comma;
     * RFC 4180 parsing takes CRLF and LF alike.
     */
    static CSVFormat format(Path file) throws IOException {
        String header;
        try (BufferedReader r = new BufferedReader(reader(file), 1 << 16)) {
            char[] buf = new char[1 << 16];
            int n = r.read(buf);
            header = n <= 0 ? "" : new String(buf, 0, n);
        }
        char[] candidates = {',', ';', '\t', '|'};
        int[] counts = new int[candidates.length];
        boolean quoted = false;
        for (int i = 0; i < header.length(); i++) {
            char c = header.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (!quoted && (c == '\r' || c == '\n')) {
                break;
            } else if (!quoted) {
                for (int k = 0; k < candidates.length; k++) {
                    counts[k] += c == candidates[k] ? 1 : 0;
                }
            }
        }
        int best = 0;
        for (int k = 1; k < candidates.length; k++) {
            best = counts[k] > counts[best] ? k : best;
        }
        return CSVFormat.RFC4180.builder().setDelimiter(candidates[best]).get();
    }

    private static String cell(String v, Glyphs glyphs) {
        String s = Fmt.printable(v == null ? "" : v.replace('\n', ' ').replace('\r', ' '));
        return Fmt.fit(s, MAX_CELL, glyphs);
    }
}
