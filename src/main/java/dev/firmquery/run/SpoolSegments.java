package dev.firmquery.run;

import dev.firmquery.export.OutputFile;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.EnumSet;
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

    /** One worker's segments; a null channel for a format the run does not write. */
    record Worker(String csvName, FileChannel csv, String typedName, FileChannel typed) {
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
    private final Map<Integer, Worker> workers = new ConcurrentHashMap<>();

    /**
     * @param csv   whether chunks spool CSV records (the run writes a CSV)
     * @param typed whether chunks spool typed rows (the run writes an XLSX)
     */
    SpoolSegments(RunDirectory dir, boolean csv, boolean typed) throws IOException {
        this.dir = dir;
        this.prefix = dir.newSessionPrefix();
        this.csv = csv;
        this.typed = typed;
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
            w = new Worker(csv ? base + ".csv" : null, c, typed ? base + ".typed" : null, t);
            workers.put(worker, w);
        }
        return w;
    }

    private FileChannel create(String name) throws IOException {
        Path file = dir.segment(name);
        FileAttribute<?>[] attributes = OutputFile.isPosix(file.getParent())
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OutputFile.OWNER_READ_WRITE)}
                : new FileAttribute<?>[0];
        try {
            return FileChannel.open(file, EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                    attributes);
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
