package dev.firmquery.run.store;

import dev.firmquery.chunk.ChunkPlan;
import dev.firmquery.export.Column;
import dev.firmquery.ids.IdList;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A run's working directory, {@code <out>/.firmquery/<run-id>/} (docs/reliability.md). It holds
 * everything needed to finish the run later, with nothing but the directory:
 * <ul>
 *   <li>{@code run.properties}: the manifest (file names, formats, query and input identity and
 *       hashes, ID statistics, binding) — written once, before any chunk runs;</li>
 *   <li>{@code query.sql}: the template text as run;</li>
 *   <li>{@code ids.bin}: the cleaned IDs; {@code plan.bin}: the chunk boundaries;</li>
 *   <li>{@code config.txt}: the effective configuration, for the record;</li>
 *   <li>{@code journal.log}: one line per finished chunk, fsynced ({@link Journal});</li>
 *   <li>{@code spool/}: the finished chunks' rows, appended to one segment per worker and session
 *       and format: {@code s<session>-w<worker>.csv} holds CSV records ({@link CsvPartWriter}),
 *       {@code .typed} typed rows for the XLSX ({@link TypedSpool}); the journal names each chunk's
 *       byte ranges ({@link SpooledChunk});</li>
 *   <li>{@code lock}: locked by the process running the run ({@link RunSession}).</li>
 * </ul>
 * Private to the user (0700, and its {@code .firmquery} parent too) because it holds firm data and
 * decides what runs under the user's name: a folder another user could have written is never used
 * ({@link #checkTrusted}), and what the manifest says is checked as configuration is
 * ({@link ManifestRules}).
 *
 * <p>This is the one class that opens a run folder ({@link #create}, {@link #open}) and reads what
 * it holds back; the files themselves are opened through {@link StoreFiles}.
 */
public final class RunDirectory {
    private static final Logger log = LoggerFactory.getLogger(RunDirectory.class);
    private final Path dir;
    private final ManifestFiles files;

    private RunDirectory(Path dir) {
        this.dir = dir;
        this.files = new ManifestFiles(dir);
    }

    /**
     * Creates the directory of a new run (0700).
     *
     * @throws RunStoreException if it cannot be created, naming it and the fix
     */
    public static RunDirectory create(Path outputDirectory, String runId) throws RunStoreException {
        Path dir = RunStore.pathOf(outputDirectory, runId);
        try {
            StoreFiles.createRunFolder(outputDirectory, dir);
            return new RunDirectory(dir);
        } catch (IOException e) {
            throw new RunStoreException("cannot create the working directory " + dir + ": " + e
                    + "; make the output directory writable or choose another --out", e);
        }
    }

    /**
     * Opens the directory of an earlier run, checking that it is one.
     *
     * @throws RunStoreException if it holds no manifest, telling which directory to pass instead; if it,
     *                           its {@code .firmquery} parent or the output folder they are in is not
     *                           trusted ({@link #checkTrusted})
     */
    public static RunDirectory open(Path dir) throws RunStoreException {
        Path d = dir.toAbsolutePath().normalize();
        if (!isRunFolder(d)) {
            throw new RunStoreException(d + " is not a firmquery run directory (no run.properties); pass the "
                    + "directory that the interrupted run printed, <out>/" + RunStore.DIR_NAME + "/<run-id>");
        }
        checkTrusted(d, "resumed");
        return new RunDirectory(d);
    }

    /**
     * Refuses a run folder that another user could have written: it must be a folder named
     * {@code <out>/.firmquery/<run-id>}, it and its {@code .firmquery} parent the user's own and not
     * writable by group or others, in an output folder that passes {@link FolderChecks#outputFolder}.
     *
     * @param action what would be done with it, for the message ("resumed", "deleted")
     */
    static void checkTrusted(Path d, String action) throws RunStoreException {
        Path parent = d.getParent();
        if (parent == null || parent.getFileName() == null || parent.getParent() == null
                || !RunStore.DIR_NAME.equals(parent.getFileName().toString())) {
            throw new RunStoreException(d + " is not a run directory (<out>/" + RunStore.DIR_NAME + "/<run-id>); nothing"
                    + " in it is " + action + ". Pass the directory that the interrupted run printed");
        }
        if (!StoreFiles.exists(d)) {
            throw new RunStoreException(d + " does not exist; pass the directory that the interrupted run printed, "
                    + "<out>/" + RunStore.DIR_NAME + "/<run-id>");
        }
        FolderChecks.outputFolder(parent.getParent());
        FolderChecks.privateFolder(parent, action);
        FolderChecks.privateFolder(d, action);
    }

    /** Whether {@code dir} holds a run: it has a manifest. */
    static boolean isRunFolder(Path dir) {
        return StoreFiles.isRegularFile(dir.resolve("run.properties"));
    }

    /** The directory. */
    public Path path() {
        return dir;
    }

    /** The spool segment file {@code name} ({@link SpooledChunk.Range#segment()}). */
    Path segment(String name) {
        return dir.resolve("spool").resolve(name);
    }

    /**
     * A prefix for this session's segment names, {@code s<n>-}, with {@code n} one more than any
     * earlier session of the run used: a resumed run appends to new segments and never touches the
     * bytes earlier sessions' journal lines point at.
     */
    String newSessionPrefix() throws IOException {
        int last = 0;
        for (Path p : StoreFiles.list(dir.resolve("spool"))) {
            String n = p.getFileName().toString();
            int dash = n.indexOf('-');
            if (n.startsWith("s") && dash > 1) {
                try {
                    last = Math.max(last, Integer.parseInt(n.substring(1, dash)));
                } catch (NumberFormatException e) {
                    // not one of ours
                }
            }
        }
        return "s" + (last + 1) + "-";
    }

    /**
     * Locks the run for this process, so two processes never run (or resume) it at once. The lock
     * is the operating system's: it goes away with the process, even after SIGKILL.
     *
     * @return the locked channel; closing it releases the lock
     * @throws RunStoreException if another process holds it, or it cannot be taken
     */
    FileChannel lock() throws RunStoreException {
        try {
            FileChannel ch = StoreFiles.openLock(dir.resolve("lock"));
            if (ch.tryLock() == null) {
                ch.close();
                throw new RunStoreException("run " + dir.getFileName() + " is being run by another firmquery process "
                        + "right now (" + dir + "); wait for it to end, or stop it, before resuming");
            }
            return ch;
        } catch (IOException e) {
            throw new RunStoreException("cannot lock the run directory " + dir + ": " + e, e);
        }
    }

    /**
     * Whether another process is running the run in {@code dir} right now: it holds the operating-system
     * lock on the directory's {@code lock} file ({@link #lock()}).
     *
     * <p>Never call this for a run this process is running: closing a channel drops every lock this
     * process holds on that file, so probing it would release the engine's lock.
     */
    static boolean lockedElsewhere(Path dir) {
        try (FileChannel ch = StoreFiles.openExistingLock(dir.resolve("lock"))) {
            FileLock lock = ch.tryLock();
            if (lock == null) {
                return true;
            }
            lock.release();
            return false;
        } catch (OverlappingFileLockException e) {
            return true;
        } catch (NoSuchFileException e) {
            return false; // never run, or created before the lock: nobody holds it
        } catch (IOException e) {
            return false; // cannot tell; resuming would still be refused by the run's own lock
        }
    }

    Path journalFile() {
        return dir.resolve("journal.log");
    }

    // ---------------------------------------------------------------------------------------------
    // What the run is: written once, read back checked

    /** Writes manifest, query, IDs, plan and config; each file fsynced, the manifest last. */
    void writeRun(NewRun run, List<Column> columns) throws IOException {
        files.write(run, columns);
    }

    /**
     * The manifest of the run.
     *
     * @throws RunStoreException if it is unreadable, lacks a key, was written by another version, or
     *                           says what firmquery never writes ({@link ManifestRules}: files outside
     *                           the run's output folder, a name or mode the settings refuse)
     */
    public Manifest manifest() throws RunStoreException {
        Manifest m = files.manifest();
        ManifestRules.check(dir, m);
        return m;
    }

    /**
     * The query text as run, checked against the manifest's hash.
     *
     * @throws RunStoreException if it is unreadable or was modified
     */
    public String queryText(Manifest m) throws RunStoreException {
        return files.queryText(m);
    }

    /**
     * The IDs as run, checked against the manifest's hash.
     *
     * @throws RunStoreException if they are unreadable or were modified
     */
    public IdList ids(Manifest m) throws RunStoreException {
        return files.ids(m);
    }

    /**
     * The chunk plan as run, checked against the manifest.
     *
     * @throws RunStoreException if it is unreadable or does not cover the IDs
     */
    public ChunkPlan plan(Manifest m) throws RunStoreException {
        return files.plan(m);
    }

    // ---------------------------------------------------------------------------------------------
    // What the run did

    /**
     * What the run's journal records; a missing journal is an empty one, a torn or damaged line is
     * left out ({@link Journal#read}).
     */
    public JournalState journal() throws IOException {
        return Journal.read(journalFile());
    }

    /**
     * The chunks of {@code done} whose spooled rows a resume may reuse: their ranges are there, whole,
     * and match their checksums and row counts, for every format the run writes. The others are
     * logged with the reason and left out, so they run again.
     *
     * @param done the chunks the journal records as done
     * @return the trusted ones, by chunk number
     */
    public Map<Integer, SpooledChunk> trustedChunks(Manifest m, ChunkPlan plan, Collection<SpooledChunk> done) {
        return new ResumeCheck(this, m, plan).trusted(done);
    }

    /**
     * A reader of this run's spool, to copy the chunks' rows into the final files; close it when done.
     *
     * @param columns the result columns, as the engine described them
     */
    public SpoolReader spoolReader(List<Column> columns) {
        return new SpoolReader(this, columns);
    }

    /**
     * The final files an earlier session of this run published, or was publishing, that are there now
     * and are the run's own ({@link EarlierFiles}): a resume replaces them, never anything else.
     */
    public Set<Path> earlierFiles(JournalState journal) throws RunStoreException {
        return EarlierFiles.replaceable(manifest(), journal);
    }

    /**
     * Deletes the {@link #earlierFiles}, and this user's temporary files of the names
     * {@code <base><suffix>} that an interrupted session left, before a resumed session writes the
     * files again under {@code base}.
     */
    public Set<Path> removeEarlierFiles(JournalState journal, String base) throws IOException, RunStoreException {
        Manifest m = manifest();
        Set<Path> removed = EarlierFiles.remove(m, journal);
        EarlierFiles.removeTemporaries(m, m.baseName());
        if (!base.equals(m.baseName())) {
            EarlierFiles.removeTemporaries(m, base);
        }
        return removed;
    }

    /** Deletes this run's directory at the end of a completed run (this process holds its lock). */
    void remove() throws IOException {
        StoreFiles.deleteTree(dir);
    }

    /**
     * The run folders under {@code outputDirectory}, newest (highest run id) first. Only folders of this
     * user that group and others cannot write are listed; another is left out with a warning in the log
     * naming it and why.
     *
     * @throws IOException when the {@code .firmquery} folder cannot be read, or it or the output folder
     *                     is not trusted ({@link FolderChecks}; a {@link RunStoreException} as cause)
     */
    static List<Path> list(Path outputDirectory) throws IOException {
        Path root = outputDirectory.toAbsolutePath().normalize().resolve(RunStore.DIR_NAME);
        if (!StoreFiles.exists(root)) {
            return List.of();
        }
        try {
            FolderChecks.outputFolder(root.getParent());
            FolderChecks.privateFolder(root, "listed");
        } catch (RunStoreException e) {
            throw new IOException(e.getMessage(), e);
        }
        List<Path> runs = new ArrayList<>();
        for (Path p : StoreFiles.list(root)) {
            FolderChecks.Problem problem;
            try {
                problem = FolderChecks.privateFolderProblem(p, "listed, resumed or deleted");
            } catch (RunStoreException e) {
                problem = new FolderChecks.Problem(e.getMessage());
            }
            if (problem != null) {
                log.warn("not listing {}: {}", p, problem.text());
            } else if (isRunFolder(p)) {
                runs.add(p);
            }
        }
        runs.sort((a, b) -> b.getFileName().toString().compareTo(a.getFileName().toString()));
        return runs;
    }

    /**
     * Deletes the run directory {@code dir} of an unfinished run the user gives up, and the
     * {@code .firmquery} folder if that leaves it empty. Only that directory: the files the run
     * already published stay. Symbolic links are removed, never followed. Works on damaged directories.
     *
     * @throws IOException when it is not a run directory under a {@code .firmquery} folder, is being run
     *                     by another process, or cannot be deleted (what is left is then named)
     */
    static void delete(Path dir) throws IOException {
        Path d = dir.toAbsolutePath().normalize();
        if (!StoreFiles.exists(d) && d.getParent() != null
                && RunStore.DIR_NAME.equals(String.valueOf(d.getParent().getFileName()))) {
            return;
        }
        try {
            checkTrusted(d, "deleted");
        } catch (RunStoreException e) {
            throw new IOException(e.getMessage(), e);
        }
        if (!StoreFiles.isSymbolicLink(d) && lockedElsewhere(d)) {
            throw new IOException("run " + d.getFileName() + " is being run by another firmquery process right now ("
                    + d + "); stop that process first; nothing deleted");
        }
        StoreFiles.deleteTree(d);
    }
}
