package dev.firmquery.run.store;

import dev.firmquery.export.CsvDialect;
import dev.firmquery.config.AppConfig.Format;
import dev.firmquery.export.Column;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * One session of a run in its folder: this process's lock on the run, the session's spool segments
 * and the journal. Workers spool chunks ({@link #openChunk}) and record them ({@link #done},
 * {@link #failed}); at the end the engine records the published files and how the run ended.
 *
 * <p>A chunk is journalled as done only after its spool ranges are on disk: the journal's thread
 * forces the segments a group of "done" lines names before it writes the lines (group commit,
 * docs/performance.md). {@link #close} therefore closes the journal first, then the segments, then
 * releases the lock.
 */
public final class RunSession implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RunSession.class);

    private final RunDirectory dir;
    private final FileChannel lock;
    private final SpoolSegments segments;
    private final Journal journal;

    private RunSession(RunDirectory dir, FileChannel lock, SpoolSegments segments, Journal journal) {
        this.dir = dir;
        this.lock = lock;
        this.segments = segments;
        this.journal = journal;
    }

    /**
     * The first session of a new run: locks the folder, records what the run is ({@link NewRun})
     * and opens the journal.
     *
     * @param formats   the result formats: chunks spool CSV records for a CSV, typed rows for an XLSX
     * @param columns   the result columns
     * @param onFailure told, once, when the journal cannot write or force (a full disk): the run must
     *                  stop, since nothing more can be recorded
     * @throws RunStoreException if the folder cannot be locked (another process runs it)
     * @throws IOException       if the folder's files cannot be written
     */
    public static RunSession start(RunDirectory dir, NewRun run, List<Column> columns,
                                   Consumer<IOException> onFailure) throws RunStoreException, IOException {
        return open(dir, run, run.formats(), run.csvFormulaGuard(), run.csvDialect(), columns, onFailure);
    }

    /**
     * A later session of an interrupted run: locks the folder and appends to its journal; its chunks
     * go to new segments, so the bytes earlier sessions' lines point at are never touched.
     *
     * @param csvFormulaGuard the run's {@link Manifest#csvFormulaGuard()}: this session encodes its CSV
     *                        records as the first one did
     * @param csvDialect      the run's {@link Manifest#csvDialect()}, likewise
     * @throws RunStoreException also when the statement now describes other result columns than the
     *                           run's first session did ({@link ResultColumns#checkUnchanged})
     * @see #start
     */
    public static RunSession resume(RunDirectory dir, Set<Format> formats, boolean csvFormulaGuard,
                                    CsvDialect csvDialect, List<Column> columns, Consumer<IOException> onFailure)
            throws RunStoreException, IOException {
        return open(dir, null, formats, csvFormulaGuard, csvDialect, columns, onFailure);
    }

    private static RunSession open(RunDirectory dir, NewRun run, Set<Format> formats, boolean csvFormulaGuard,
                                   CsvDialect csvDialect, List<Column> columns, Consumer<IOException> onFailure)
            throws RunStoreException, IOException {
        FileChannel lock = dir.lock();
        SpoolSegments segments = null;
        try {
            if (run != null) {
                dir.writeRun(run, columns);
            } else {
                ResultColumns.checkUnchanged(dir, dir.manifest(), columns);
            }
            segments = new SpoolSegments(dir, formats.contains(Format.CSV), TypedSpool.neededFor(formats), columns,
                    csvFormulaGuard, csvDialect);
            Journal journal = Journal.open(dir.journalFile(), onFailure);
            return new RunSession(dir, lock, segments, journal);
        } catch (IOException | RuntimeException e) {
            closeSegments(dir, segments);
            releaseLock(dir, lock);
            throw e;
        }
    }

    /** The run's folder. */
    public Path path() {
        return dir.path();
    }

    /**
     * Creates worker {@code worker}'s segments if this session has not yet: before its first chunk,
     * so that a disk that refuses them stops the run before any attempt starts.
     */
    public void prepareWorker(int worker) throws IOException {
        segments.of(worker);
    }

    /**
     * Starts spooling one attempt of a chunk on worker {@code worker}'s segments. Called only by that
     * worker; one attempt at a time.
     *
     * @param chunk    the chunk's number in the plan
     * @param attempts the attempt's number (1 for the first)
     */
    public ChunkWriter openChunk(int worker, int chunk, int attempts) throws IOException {
        return ChunkWriter.open(segments, segments.of(worker), chunk, attempts);
    }

    /**
     * Chunk {@code chunk.chunk()} succeeded and its ranges are complete in this session's segments.
     * Returns at once: the journal thread forces the segments, then records the line.
     *
     * @throws IOException if the journal thread has already failed
     */
    public void done(SpooledChunk chunk) throws IOException {
        journal.done(chunk, segments.holding(chunk));
    }

    /** Chunk {@code chunk} failed for good with {@code error}; recorded like {@link #done}. */
    public void failed(int chunk, int attempts, String error) throws IOException {
        journal.failed(chunk, attempts, error);
    }

    /** Waits until every event recorded so far is on disk. */
    public void flush() throws IOException {
        journal.flush();
    }

    /**
     * What publishing a final file of kind {@code kind} tells the journal: before the file appears
     * under its name, the intent and the file's identity, durable. A resume after a crash at any
     * step of publishing then knows which files are the run's own to replace ({@link EarlierFiles}).
     */
    public dev.firmquery.export.PublishHook publishHook(String kind) {
        return (target, temporary) -> journal.publishing(kind, StoreFiles.identity(temporary), target);
    }

    /** A final file was published under {@code path}. Durable on return. */
    public void published(String kind, Path path) throws IOException {
        journal.published(kind, path);
    }

    /** The run ended as {@code end}; its files are in place. Durable on return. */
    public void finished(RunEnd end) throws IOException {
        journal.finished(end);
    }

    /** Deletes the run's folder at the end of a completed run (this session holds its lock). */
    public void deleteRun() throws IOException {
        dir.remove();
    }

    /**
     * Writes what the journal was handed, then closes the segments and releases the lock.
     *
     * @throws IOException if the journal cannot be closed (the segments and the lock are still closed;
     *                     a failure to close them is only logged)
     */
    @Override
    public void close() throws IOException {
        try {
            journal.close();
        } finally {
            // After the journal: its thread forces the segments until it is closed.
            closeSegments(dir, segments);
            releaseLock(dir, lock);
        }
    }

    private static void closeSegments(RunDirectory dir, SpoolSegments segments) {
        if (segments != null) {
            try {
                segments.close();
            } catch (IOException e) {
                log.warn("closing the spool segments of {} failed", dir.path(), e);
            }
        }
    }

    private static void releaseLock(RunDirectory dir, FileChannel lock) {
        try {
            lock.close(); // releases the lock
        } catch (IOException e) {
            log.warn("releasing the lock of {} failed", dir.path(), e);
        }
    }
}
