package dev.firmquery.run.store;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The final files an earlier session of a run published (or was publishing when it failed or was
 * killed), which a resumed session replaces. The journal names them; a name is believed only when it
 * is one of the run's own ({@code <out>/<base>[_<n>]<suffix>}, in the run's output folder) and the
 * file there is the one the run put there: its identity matches the one journalled before it was
 * published. Anything else, another run's file at the name say, is left alone.
 */
final class EarlierFiles {
    private static final Logger log = LoggerFactory.getLogger(EarlierFiles.class);
    /** The suffixes of a run's files (OutputSpec). */
    private static final String SUFFIXES = "(\\.csv|\\.csv\\.gz|\\.xlsx|\\.jsonl|_missing\\.csv|_failed\\.csv|_report\\.json)";

    private EarlierFiles() {
    }

    /**
     * Whether {@code file} is named as one of the files of the run of {@code m}: in its output folder,
     * the base name or the base name with a {@code _<n>} suffix (a resume whose name was taken), then one
     * of the suffixes.
     */
    static boolean isOwnName(Manifest m, Path file) {
        Path f = file.toAbsolutePath().normalize();
        return f.getParent() != null && f.getParent().equals(m.outputDirectory().toAbsolutePath().normalize())
                && Pattern.matches(Pattern.quote(m.baseName()) + "(_[0-9]{1,6})?" + SUFFIXES,
                String.valueOf(f.getFileName()));
    }

    /**
     * The run's earlier files that are there now and may be replaced: own names whose file is the one
     * journalled (by identity; a file journalled as published by a version without identities is
     * believed by its name).
     */
    static Set<Path> replaceable(Manifest m, JournalState journal) {
        Set<Path> candidates = new LinkedHashSet<>(journal.intents().keySet());
        candidates.addAll(journal.published().values());
        Set<Path> mine = new LinkedHashSet<>();
        for (Path p : candidates) {
            if (!isOwnName(m, p)) {
                log.warn("run {}: the journal names {} as a file of the run, which is not one of its own names "
                        + "({}/{}*); left alone", m.runId(), p, m.outputDirectory(), m.baseName());
                continue;
            }
            if (!StoreFiles.isRegularFileNoFollow(p)) {
                continue; // never appeared, or gone
            }
            String recorded = journal.intents().get(p);
            if (recorded != null) {
                String now;
                try {
                    now = StoreFiles.identity(p);
                } catch (IOException e) {
                    log.warn("run {}: cannot tell whether {} is the run's own file ({}); left alone", m.runId(), p,
                            e.toString());
                    continue;
                }
                if (!recorded.equals(now)) {
                    log.info("run {}: {} is not the file the run published there (another run's, or replaced "
                            + "since); left alone", m.runId(), p);
                    continue;
                }
            }
            mine.add(p);
        }
        return mine;
    }

    /**
     * Deletes the temporary files ({@code .<name>.tmp-*}) of the files named {@code <base><suffix>} in
     * the run's output folder that an interrupted session left, and only this user's: in a shared
     * folder another user's run may be writing files of the same names right now.
     */
    static void removeTemporaries(Manifest m, String base) throws IOException {
        Pattern temporary = Pattern.compile("\\." + Pattern.quote(base) + SUFFIXES + "\\.tmp-.*");
        for (Path p : StoreFiles.list(m.outputDirectory())) {
            if (temporary.matcher(String.valueOf(p.getFileName())).matches() && FolderChecks.ownedByMe(p)) {
                log.info("removing {} left by an interrupted session of run {}", p, m.runId());
                StoreFiles.deleteOutputFile(p);
            }
        }
    }

    /** Deletes the {@link #replaceable} files; returns them. */
    static Set<Path> remove(Manifest m, JournalState journal) throws IOException {
        Set<Path> mine = replaceable(m, journal);
        for (Path p : mine) {
            if (StoreFiles.deleteOutputFile(p)) {
                log.info("replacing {} published by an earlier session of run {}", p, m.runId());
            }
        }
        return mine;
    }
}
