package dev.firmquery.tui.unfinished;

import dev.firmquery.run.Journal;
import dev.firmquery.run.RunDirectory;
import dev.firmquery.run.RunException;
import dev.firmquery.run.RunStatus;

import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The runs an output directory holds that can still be finished (issue #5: "Resume" in the UI, which
 * lists unfinished runs at start): each working directory under {@code <out>/.firmquery/} whose journal
 * does not say it completed. Reads only what the run package exposes ({@link RunDirectory#list},
 * {@link RunDirectory#manifest()}, {@link Journal#read}); resuming one is {@link dev.firmquery.tui.progress.Rerun#resume}.
 *
 * <p>File work only, no screen: called on the UI's background executor, never on the GUI thread.
 */
public final class UnfinishedRuns {
    /** The name of the folder the engine keeps run directories in, under the output directory. */
    public static final String WORK_FOLDER = RunDirectory.DIR_NAME;

    private UnfinishedRuns() {
    }

    /** How an unfinished run was left. */
    public enum State {
        /** No "finished" line: the process was killed mid-run (SIGKILL, a crash, power loss). */
        INTERRUPTED("interrupted"),
        /** It ended with failed chunks. */
        PARTIAL("partial"),
        /** It ended with no chunk succeeded. */
        FAILED("failed"),
        /** The user cancelled it. */
        CANCELLED("cancelled"),
        /** Another firmquery process holds its lock: it is running right now. */
        IN_USE("in use"),
        /** Its directory cannot be read: it can only be deleted. */
        DAMAGED("damaged");

        final String label;

        State(String label) {
            this.label = label;
        }
    }

    /**
     * One unfinished run. For a {@link State#DAMAGED} one only {@code directory} and {@code problem}
     * are known (the rest is null or zero).
     *
     * @param directory   its working directory, {@code <out>/.firmquery/<run-id>}
     * @param runId       its id (the directory name for a damaged one)
     * @param created     when it was first started
     * @param queryName   the query's name
     * @param inputSource the ID file's path, {@code -} for standard input, or the pasted-text label
     * @param outputs     where its files go: {@code <out>/<base name>}, without the extension
     * @param chunks      its chunks
     * @param done        chunks the journal records as done
     * @param failed      chunks the journal records as failed (and not done since)
     * @param state       how it was left
     * @param problem     why it is damaged; null otherwise
     */
    public record Entry(Path directory, String runId, Instant created, String queryName, String inputSource,
                        Path outputs, int chunks, int done, int failed, State state, String problem) {

        /** Chunks that never ran (or ran and were not journalled before an interruption). */
        public int notRun() {
            return Math.max(0, chunks - done - failed);
        }

        /** Whether Resume is offered: not damaged, not running elsewhere. */
        public boolean resumable() {
            return state != State.DAMAGED && state != State.IN_USE;
        }

        /** Whether Delete is offered: anything not running elsewhere. */
        public boolean deletable() {
            return state != State.IN_USE;
        }

        /** The ID file's name ({@code demo_sample_ids.csv}), or the source as it is when it is not a path. */
        public String inputName() {
            if (inputSource == null) {
                return "";
            }
            if ("-".equals(inputSource)) {
                return "standard input";
            }
            if (!inputSource.contains("/")) {
                return inputSource;
            }
            try {
                Path name = Path.of(inputSource).getFileName();
                return name == null ? inputSource : name.toString();
            } catch (InvalidPathException e) {
                return inputSource;
            }
        }

        /** The status column: {@code cancelled}, or {@code damaged: <why>}. */
        public String status() {
            return state == State.DAMAGED ? "damaged: " + problem : state.label;
        }
    }

    /**
     * The unfinished runs in {@code outputDirectory}, newest first; completed runs kept with
     * {@code --keep-work} are left out. Never throws for one bad run directory: it is listed as damaged.
     *
     * @param runningHere ids of the runs this process is running: left out, and their locks not probed
     * @throws IOException when the {@code .firmquery} folder itself cannot be read
     */
    public static List<Entry> list(Path outputDirectory, Set<String> runningHere) throws IOException {
        List<Entry> entries = new ArrayList<>();
        for (Path dir : RunDirectory.list(outputDirectory)) {
            if (runningHere.contains(String.valueOf(dir.getFileName()))) {
                continue;
            }
            Entry e = read(dir);
            if (e != null) {
                entries.add(e);
            }
        }
        return entries;
    }

    /** The entry of one run directory; null when it completed. */
    private static Entry read(Path dir) {
        RunDirectory.Manifest m;
        Journal.State journal;
        try {
            m = RunDirectory.open(dir).manifest();
            journal = Journal.read(dir.resolve("journal.log"));
        } catch (RunException e) {
            return damaged(dir, e.getMessage());
        } catch (IOException | RuntimeException e) {
            return damaged(dir, "cannot read the journal " + dir.resolve("journal.log") + ": " + e);
        }
        if (journal.finished() == RunStatus.COMPLETED) {
            return null;
        }
        State state;
        if (lockedElsewhere(dir)) {
            state = State.IN_USE;
        } else if (journal.finished() == null) {
            state = State.INTERRUPTED;
        } else {
            state = switch (journal.finished()) {
                case PARTIAL -> State.PARTIAL;
                case FAILED -> State.FAILED;
                case CANCELLED -> State.CANCELLED;
                case COMPLETED -> throw new IllegalStateException("the completed run " + dir + " was listed as unfinished");
            };
        }
        return new Entry(dir, m.runId(), m.created(), m.queryName(), m.inputSource(),
                m.outputDirectory().resolve(m.baseName()), m.chunks(), journal.done().size(), journal.failed().size(),
                state, null);
    }

    private static Entry damaged(Path dir, String problem) {
        return new Entry(dir, String.valueOf(dir.getFileName()), null, null, null, null, 0, 0, 0, State.DAMAGED,
                problem);
    }

    /** See {@link RunDirectory#lockedElsewhere}. */
    public static boolean lockedElsewhere(Path dir) {
        return RunDirectory.lockedElsewhere(dir);
    }

    /** Deletes the working directory of {@code entry}: {@link RunDirectory#delete}; published files stay. */
    public static void delete(Entry entry) throws IOException {
        RunDirectory.delete(entry.directory());
    }
}
