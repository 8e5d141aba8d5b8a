package dev.firmquery.tui.progress;

import dev.firmquery.app.JobsRecord;
import dev.firmquery.app.RunService;
import dev.firmquery.config.AppConfig;
import dev.firmquery.exit.FirmqueryException;
import dev.firmquery.run.RunReport;
import dev.firmquery.run.RunRequest;
import dev.firmquery.run.RunSetup;
import dev.firmquery.run.store.BatchRecord;
import dev.firmquery.tui.core.UiContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The batch record of several marked queries ({@link JobsRecord}), kept off the GUI thread: written on the
 * background executor before the first job, each job's start and end on its run thread ({@link Slot}),
 * deleted on the background executor once every job ended.
 */
final class BatchJobs {
    private static final Logger log = LoggerFactory.getLogger(BatchJobs.class);

    private BatchJobs() {
    }

    /**
     * Where one job is recorded: the batch record and the job's 0-based index there. Its methods run on the
     * job's run thread, one job at a time.
     */
    record Slot(BatchRecord record, int index) {
        /**
         * Records that the job starts as {@code request}'s run.
         *
         * @return null, or what stops the job when that cannot be recorded (the jobs after it do not start)
         */
        String started(RunRequest request) {
            try {
                JobsRecord.started(record, index, request);
                return null;
            } catch (IOException e) {
                return "cannot record job " + (index + 1) + " in the batch record " + record.directory() + ": "
                        + e.getMessage() + "; it did not start, the jobs that ended are kept. Free the disk or fix"
                        + " its permissions, then " + JobsRecord.resumeCommand(record);
            }
        }

        /** Records how the job ended (a cancel is no end: a resume goes on with it). */
        void ended(RunReport report) {
            try {
                JobsRecord.ended(record, index, report);
            } catch (IOException e) {
                // The run's files and report are written: a resume finds them and does not run it again.
                log.warn("cannot record the end of job {} in {}", index + 1, record.directory(), e);
            }
        }

        /** After the job, whatever happened: its journal opens again for the next job. */
        void close() {
            try {
                record.close();
            } catch (IOException e) {
                log.warn("cannot close the batch record {}", record.directory(), e);
            }
        }
    }

    /**
     * Writes the record of {@code ready} over the ID file of {@code choices} on the background executor,
     * then calls {@code done} with it on the GUI thread, or {@code failed} with the message.
     */
    static void create(UiContext ui, RunService service, RunSetup.Choices choices, List<String> queries,
                       List<RunService.ReadyJob> ready, Consumer<Optional<BatchRecord>> done, Consumer<String> failed) {
        AppConfig cfg = ready.get(0).config();
        Path out = JobsRecord.outputFolder(choices.outDir(), cfg);
        // The session's file name pattern goes with each job: a resume in another process names the files
        // as this session did, whatever its own output.filename_pattern.
        List<RunService.Job> jobs = ready.stream().map(r -> new RunService.Job(r.job().label(), r.job().origin(),
                r.job().choices(), cfg.output().filenamePattern())).toList();
        String comment = "the UI's marked queries " + String.join(", ", queries) + ", recorded for firmquery batch --resume";
        ui.background().run("batch", () -> {
            try {
                Optional<BatchRecord> record = JobsRecord.create(comment, out, cfg.output().formats(), jobs,
                        service.queryRoots(), ui.clock());
                record.ifPresent(r -> log.info("UI marked queries recorded in {}; after an interruption: {}",
                        r.directory(), JobsRecord.resumeCommand(r)));
                ui.onGui().execute(() -> done.accept(record));
            } catch (FirmqueryException | RuntimeException e) {
                if (e instanceof RuntimeException) {
                    log.error("cannot record the marked queries", e);
                }
                ui.onGui().execute(() -> failed.accept(e.getMessage()));
            }
        });
    }

    /** Deletes the record of jobs that all ended, on the background executor. */
    static void delete(UiContext ui, BatchRecord record) {
        ui.background().run("batch", () -> {
            try {
                record.delete();
            } catch (IOException e) {
                log.warn("cannot delete the batch record {}", record.directory(), e);
            }
        });
    }
}
