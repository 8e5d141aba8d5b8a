package dev.firmquery.run.store;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The run store: where a run's durable state lives, {@code <out>/.firmquery/<run-id>/}, one folder
 * per run ({@link RunDirectory}). This class is about the folders of an output directory as a whole:
 * which runs are unfinished, deleting one the user gives up, and the command that resumes one.
 */
public final class RunStore {
    /** The folder under the output directory that holds the run directories. */
    public static final String DIR_NAME = ".firmquery";

    /** The hint in messages about damaged spool bytes: resuming runs the chunk again. */
    static final String RESUME_HINT = "(firmquery run --resume)";

    private RunStore() {
    }

    /** The directory of run {@code runId} under {@code outputDirectory}. */
    public static Path pathOf(Path outputDirectory, String runId) {
        return outputDirectory.resolve(DIR_NAME).resolve(runId);
    }

    /**
     * Refuses, before anything runs, an output folder in which a new run's files and working folder
     * could be replaced by someone else: another user's folder, one every user can write without the
     * sticky bit, or a {@code .firmquery} in it that is not the user's own and private
     * ({@link FolderChecks}). A folder that does not exist yet passes (it is created as the user's).
     *
     * @throws RunStoreException with the reason and the fix
     */
    public static void checkOutputFolder(Path outputDirectory) throws RunStoreException {
        Path out = outputDirectory.toAbsolutePath().normalize();
        FolderChecks.outputFolder(out);
        Path root = out.resolve(DIR_NAME);
        if (StoreFiles.exists(root)) {
            FolderChecks.privateFolder(root, "used for a new run");
        }
    }

    /** The command that finishes the run in {@code runDirectory}: {@code firmquery run --resume <dir>}. */
    public static String resumeCommand(Path runDirectory) {
        return "firmquery run --resume " + runDirectory;
    }

    /** The command that re-runs only the failed chunks of the ended run in {@code runDirectory}. */
    public static String retryFailedCommand(Path runDirectory) {
        return "firmquery run --retry-failed " + runDirectory;
    }

    /**
     * The unfinished runs in {@code outputDirectory}, newest first: each run folder whose journal does
     * not say it completed (completed runs kept with {@code --keep-work} are left out). Never throws
     * for one bad run folder: it is listed as {@link UnfinishedRun.State#DAMAGED damaged}; one that is
     * not the user's own, or that group or others can write, is left out with a warning in the log
     * ({@link FolderChecks}). Reads files only; call it off a UI thread.
     *
     * @param runningHere ids of the runs this process is running: left out, and their locks not probed
     *                    (probing would release them, see {@link RunDirectory#lockedElsewhere})
     * @throws IOException when the {@code .firmquery} folder itself cannot be read, or it or the output
     *                     folder is not trusted (the message says why and what to do)
     */
    public static List<UnfinishedRun> unfinished(Path outputDirectory, Set<String> runningHere) throws IOException {
        List<UnfinishedRun> runs = new ArrayList<>();
        for (Path dir : RunDirectory.list(outputDirectory)) {
            if (runningHere.contains(String.valueOf(dir.getFileName()))) {
                continue;
            }
            UnfinishedRun run = read(dir);
            if (run != null) {
                runs.add(run);
            }
        }
        return runs;
    }

    /** The unfinished run in one run folder; null when it completed. */
    private static UnfinishedRun read(Path dir) {
        Manifest m;
        JournalState journal;
        try {
            RunDirectory run = RunDirectory.open(dir);
            m = run.manifest();
            journal = run.journal();
        } catch (RunStoreException e) {
            return damaged(dir, e.getMessage());
        } catch (IOException | RuntimeException e) {
            return damaged(dir, "cannot read the journal " + dir.resolve("journal.log") + ": " + e);
        }
        UnfinishedRun.State ended = journal.finished() == null ? UnfinishedRun.State.INTERRUPTED
                : switch (journal.finished()) {
                    case COMPLETED -> null;
                    case PARTIAL -> UnfinishedRun.State.PARTIAL;
                    case FAILED -> UnfinishedRun.State.FAILED;
                    case CANCELLED -> UnfinishedRun.State.CANCELLED;
                    case INTERNAL_ERROR -> UnfinishedRun.State.INTERNAL_ERROR;
                };
        if (ended == null) {
            return null;
        }
        UnfinishedRun.State state = RunDirectory.lockedElsewhere(dir) ? UnfinishedRun.State.IN_USE : ended;
        return new UnfinishedRun(dir, m.runId(), m.created(), m.queryName(), m.inputSource(),
                m.outputDirectory().resolve(m.baseName()), m.chunks(), journal.done().size(), journal.failed().size(),
                state, null);
    }

    private static UnfinishedRun damaged(Path dir, String problem) {
        return new UnfinishedRun(dir, String.valueOf(dir.getFileName()), null, null, null, null, 0, 0, 0,
                UnfinishedRun.State.DAMAGED, problem);
    }

    /**
     * Deletes the folder of a run that completed, once its session is closed: the engine's clean-up.
     * Symbolic links are removed, never followed.
     *
     * @throws IOException when something in it cannot be deleted (what is left is named)
     */
    public static void deleteCompleted(Path runDirectory) throws IOException {
        StoreFiles.deleteTree(runDirectory);
    }

    /**
     * Deletes the working folder of {@code run}, which the user gives up, and the {@code .firmquery}
     * folder if that leaves it empty. The files the run already published stay. Symbolic links are
     * removed, never followed; damaged folders can be deleted too.
     *
     * @throws IOException when it is not a run folder under a {@code .firmquery} folder, another process
     *                     is running it, or it cannot be deleted (what is left is then named)
     */
    public static void delete(UnfinishedRun run) throws IOException {
        RunDirectory.delete(run.directory());
    }
}
