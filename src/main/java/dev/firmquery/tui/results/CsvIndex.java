package dev.firmquery.tui.results;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * A sparse byte-offset index of a result CSV, for paging through millions of rows in constant memory:
 * the offset of every {@link #EVERY}th data row (8 bytes per 256 rows: 2,000,000 rows take 62 KB),
 * found in one pass that tracks RFC 4180 quotes, so a quoted line break does not end a row. It is
 * built on a background thread ({@link #scan}) and may be read while it grows: {@link #rows()} and
 * {@link #page} answer for what is indexed so far, so the first page shows as soon as its rows are.
 * A page is read by seeking to the nearest indexed row and parsing at most {@code EVERY - 1 + count}
 * rows from there. Plain CSV only: a gzip CSV cannot be seeked into.
 */
public final class CsvIndex {
    /** Rows between two indexed offsets: at most 255 rows are parsed and dropped to reach any row. */
    static final int EVERY = 256;
    private static final int BLOCK = 1 << 20;

    private final Path file;
    private final CSVFormat format;
    private long[] offsets = new long[64];
    private int offsetCount;
    private long rows;
    private boolean complete;
    private List<String> header = List.of();

    private CsvIndex(Path file, CSVFormat format) {
        this.file = file;
        this.format = format;
    }

    /**
     * An empty index of {@code file}, to {@link #scan} on a background thread.
     *
     * @throws IOException when the file is a gzip CSV (not seekable), or its header cannot be read
     */
    public static CsvIndex of(Path file) throws IOException {
        if (file.getFileName().toString().endsWith(".gz")) {
            throw new IOException(file + " is compressed (output.csv_gzip): it cannot be paged by offset; browse it"
                    + " with 'zcat " + file + " | less -S', or write plain CSV too (output.formats)");
        }
        return new CsvIndex(file, ResultsData.format(file));
    }

    /**
     * Reads the whole file once and indexes it, publishing progress as it goes; returns when done.
     *
     * @param cancelled checked after each MiB read
     * @throws CancellationException when {@code cancelled} became true
     */
    public void scan(BooleanSupplier cancelled) throws IOException {
        scan(cancelled, () -> { });
    }

    /** {@link #scan(BooleanSupplier)}, telling {@code indexed} after each MiB (and at the end) that more rows are in. */
    public void scan(BooleanSupplier cancelled, Runnable indexed) throws IOException {
        try (FileChannel ch = open()) {
            ByteBuffer buf = ByteBuffer.allocate(BLOCK);
            long pos = 0;
            boolean quoted = false;
            boolean inHeader = true;
            boolean atRowStart = true;
            long row = 0;
            boolean first = true;
            while (ch.read(buf) > 0 || buf.position() > 0) {
                buf.flip();
                int start = 0;
                if (first) {
                    first = false;
                    // output.csv_bom: the byte order mark is not part of the header.
                    if (buf.remaining() >= 3 && (buf.get(0) & 0xff) == 0xEF && (buf.get(1) & 0xff) == 0xBB
                            && (buf.get(2) & 0xff) == 0xBF) {
                        start = 3;
                    }
                }
                long found = 0;
                for (int i = start; i < buf.limit(); i++) {
                    byte b = buf.get(i);
                    if (atRowStart && !inHeader) {
                        if (row % EVERY == 0) {
                            add(pos + i);
                        }
                        row++;
                        found++;
                        atRowStart = false;
                    }
                    if (b == '"') {
                        quoted = !quoted;
                    } else if (b == '\n' && !quoted) {
                        inHeader = false;
                        atRowStart = true;
                    }
                }
                pos += buf.limit();
                buf.clear();
                publish(found);
                indexed.run();
                if (cancelled.getAsBoolean()) {
                    throw new CancellationException("indexing " + file + " cancelled");
                }
            }
        }
        List<String> h = readHeader();
        synchronized (this) {
            header = h;
            complete = true;
        }
        indexed.run();
    }

    private synchronized void add(long offset) {
        if (offsetCount == offsets.length) {
            offsets = Arrays.copyOf(offsets, offsets.length * 2);
        }
        offsets[offsetCount++] = offset;
    }

    private synchronized void publish(long found) {
        rows += found;
    }

    /** Data rows indexed so far (all of them once {@link #complete()}). */
    public synchronized long rows() {
        return rows;
    }

    /** Whether the whole file is indexed. */
    public synchronized boolean complete() {
        return complete;
    }

    /** The bytes the index holds: 8 per {@link #EVERY} rows. */
    synchronized long indexBytes() {
        return 8L * offsets.length;
    }

    /** The header row (column names); empty until read. */
    public List<String> header() throws IOException {
        synchronized (this) {
            if (!header.isEmpty()) {
                return header;
            }
        }
        return readHeader();
    }

    private List<String> readHeader() throws IOException {
        try (FileChannel ch = open();
             CSVParser p = CSVParser.parse(reader(ch, 0), format)) {
            for (CSVRecord r : p) {
                return r.toList();
            }
        }
        return List.of();
    }

    /**
     * Up to {@code count} data rows from row {@code first} (0-based), among those indexed so far.
     * Reads at most {@code EVERY - 1 + count} rows from the file; call it off the GUI thread.
     */
    public List<List<String>> page(long first, int count) throws IOException {
        long start;
        long have;
        synchronized (this) {
            have = rows;
            if (first < 0 || first >= have || count <= 0) {
                return List.of();
            }
            start = offsets[(int) (first / EVERY)];
        }
        long skip = first % EVERY;
        long want = Math.min(count, have - first);
        List<List<String>> out = new ArrayList<>((int) want);
        try (FileChannel ch = open();
             CSVParser p = CSVParser.parse(reader(ch, start), format)) {
            for (CSVRecord r : p) {
                if (skip > 0) {
                    skip--;
                    continue;
                }
                out.add(r.toList());
                if (out.size() >= want) {
                    break;
                }
            }
        }
        return out;
    }

    /**
     * The first row from {@code from} on (0-based, among those indexed) whose {@code column} matches,
     * or -1; reads forward from the nearest indexed row, off the GUI thread.
     *
     * @param cancelled checked every 4,096 rows
     * @throws CancellationException when {@code cancelled} became true
     */
    public long find(int column, Predicate<String> match, long from, BooleanSupplier cancelled) throws IOException {
        long start;
        long have;
        synchronized (this) {
            have = rows;
            if (from < 0 || from >= have) {
                return -1;
            }
            start = offsets[(int) (from / EVERY)];
        }
        long row = from - from % EVERY;
        try (FileChannel ch = open();
             CSVParser p = CSVParser.parse(reader(ch, start), format)) {
            for (CSVRecord r : p) {
                if (row >= from && column < r.size() && match.test(r.get(column))) {
                    return row;
                }
                row++;
                if (row >= have) {
                    break;
                }
                if ((row & 4095) == 0 && cancelled.getAsBoolean()) {
                    throw new CancellationException("searching " + file + " cancelled");
                }
            }
        }
        return -1;
    }

    private FileChannel open() throws IOException {
        // Read only, and never through a link someone put in place of the output file.
        return FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
    }

    private static BufferedReader reader(FileChannel ch, long at) throws IOException {
        ch.position(at);
        BufferedReader r = new BufferedReader(new InputStreamReader(Channels.newInputStream(ch),
                StandardCharsets.UTF_8), 1 << 16);
        if (at == 0) {
            r.mark(1);
            if (r.read() != '\uFEFF') {
                r.reset();
            }
        }
        return r;
    }
}
