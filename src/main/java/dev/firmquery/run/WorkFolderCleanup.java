package dev.firmquery.run;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Removes the folder of a completed run, once its session is closed (journal and its thread, spool
 * segments, lock: on NFS a file removed while open becomes a {@code .nfsXXXX} file and its folder
 * cannot be removed). Failing to clean up does not undo the run: it stays completed, with a warning
 * in the report, the summary and the log.
 */
final class WorkFolderCleanup {
    // The engine's one logger: its lines read as one component in firmquery.log whichever class logs them.
    private static final Logger log = LoggerFactory.getLogger(RunEngine.class);

    /** Removes a completed run's folder. */
    @FunctionalInterface
    interface Remover {
        void remove(Path runFolder) throws IOException;
    }

    private final Remover remover;

    WorkFolderCleanup(Remover remover) {
        this.remover = remover;
    }

    /**
     * @return {@code report} as it is when the run keeps its folder (not completed, or
     *         {@code --keep-work}) or the folder was removed; else the report with the clean-up
     *         warning, which is also written into {@code <base>_report.json} (best effort)
     */
    RunReport removeWork(RunRequest request, Path runFolder, RunReport report) {
        if (report.run().workDirectory() != null) {
            return report;
        }
        try {
            remover.remove(runFolder);
            return report;
        } catch (IOException | RuntimeException e) {
            String warning = "the run completed, but its working directory " + runFolder
                    + " could not be removed (" + e.getMessage() + "); it holds a copy of the IDs and results:"
                    + " delete it by hand (rm -r " + runFolder + ")";
            log.warn(warning, e);
            RunReport warned = report.withWarning(warning);
            try {
                ReportJson.replace(warned, request.output().reportJson(), request.output().permissions());
            } catch (IOException | RuntimeException re) {
                log.warn("could not add the clean-up warning to {}", request.output().reportJson(), re);
            }
            return warned;
        }
    }
}
