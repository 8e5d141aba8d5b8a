package dev.firmquery.run;

import dev.firmquery.exit.ExitCode;
import dev.firmquery.run.store.RunEnd;
import dev.firmquery.run.store.RunSession;
import dev.firmquery.run.store.RunStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;

/**
 * The writer: on the thread that called {@link RunEngine#execute}, takes the chunks' outcomes
 * strictly in chunk order from the {@link ChunkBoard} and writes them to the final files
 * ({@link OutputAssembler}), so that the output is the same whatever the timing of the workers;
 * then publishes the files and journals how the run ended. A writer that fails unexpectedly gives up
 * its files but keeps the journal, so that a resume writes them again.
 */
final class WriterLoop {
    // The engine's one logger: its lines read as one component in firmquery.log whichever class logs them.
    private static final Logger log = LoggerFactory.getLogger(RunEngine.class);

    private final RunContext run;
    private final Clock clock;
    private final ChunkBoard board;
    private final Workers workers;
    private final ChunkRunner runner;
    private final PublishFaults faults;

    /** @param faults failures injected while the files are published; {@link PublishFaults#NONE} but in tests */
    WriterLoop(RunContext run, Clock clock, ChunkBoard board, Workers workers, ChunkRunner runner,
               PublishFaults faults) {
        this.faults = faults;
        this.run = run;
        this.clock = clock;
        this.board = board;
        this.workers = workers;
        this.runner = runner;
    }

    /**
     * Writes every chunk, in order, as the workers (already started) finish them.
     *
     * @param started    when the run started (the first session's start, for a resume)
     * @param startNanos {@link System#nanoTime()} at this session's start, for the rates
     * @throws RunException ({@code USAGE}) when the files cannot be written, or their publication
     *                      not journalled; the run stays resumable
     */
    RunReport write(Instant started, long startNanos) throws RunException {
        RunRequest request = run.request();
        RunSession session = run.session();
        RunControl control = run.control();
        OutputAssembler assembler = new OutputAssembler(request, run.described(), run.listener(), startNanos,
                run.runDir(), session, faults);
        boolean interrupted = false;
        boolean workersJoined = false;
        try {
            assembler.open();
            for (int i = 0; i < request.plan().size(); i++) {
                ChunkOutcome outcome;
                try {
                    outcome = board.await(i);
                } catch (InterruptedException e) {
                    interrupted = true;
                    control.cancel();
                    outcome = board.awaitUninterruptibly(i);
                }
                assembler.write(outcome);
                board.releaseSlot();
            }
            workers.join();
            workersJoined = true;
            try {
                session.flush(); // every chunk durable before the files that contain it are published
            } catch (IOException e) {
                // The journal's failure handler has stopped the run; chunks it could not record run again on resume.
                log.warn("the run journal is incomplete: {}", e.getMessage());
            }
            RunReport report = assembler.finish(started, clock.instant(), runner.retries(), runner.unfinishedRetriesBySqlState(),
                    control.stopReason(),
                    control.faulted());
            try {
                assembler.journal(report, journalled(report.status()));
            } catch (IOException e) {
                // The files are written; only the record of it failed. Say so, rather than blame the output directory.
                throw new RunException("the result files are in " + request.output().directory() + " (see "
                        + request.output().reportJson().getFileName() + "), but the run journal in "
                        + run.runDir().path() + " could not record them: " + e.getMessage()
                        + "; free disk space there. The run directory is"
                        + " kept: resume it to rebuild the files, or delete it", ExitCode.USAGE, e);
            }
            return report;
        } catch (RuntimeException | Error e) {
            // The writer's state is unknown: give up its files, keep the journal, so that a resume writes them again.
            control.fault("while writing the output files", e);
            if (!workersJoined) {
                workers.join();
            }
            return abandon(assembler, started);
        } catch (IOException e) {
            control.cancel();
            workers.join();
            throw new RunException("cannot write the output files in " + request.output().directory() + ": "
                    + e.getMessage() + "; free space or fix permissions there, then finish the run with: "
                    + RunStore.resumeCommand(run.runDir().path()), ExitCode.USAGE, e);
        } finally {
            assembler.closeQuietly();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Ends a run whose writer failed unexpectedly: its result files are discarded, a report of what
     * was done is written (best effort) and the run is journalled as an internal error, resumable.
     */
    private RunReport abandon(OutputAssembler assembler, Instant started) {
        RunSession session = run.session();
        try {
            session.flush();
        } catch (IOException e) {
            log.warn("the run journal is incomplete: {}", e.getMessage());
        }
        RunReport report = assembler.abandon(started, clock.instant(), runner.retries(),
                runner.unfinishedRetriesBySqlState(), run.control().stopReason());
        try {
            assembler.journal(report, RunEnd.INTERNAL_ERROR);
        } catch (IOException | RuntimeException e) {
            log.warn("could not journal the end of run {}", run.request().runId(), e);
        }
        return report;
    }

    /** How the journal records that the run ended as {@code status}. */
    private static RunEnd journalled(RunStatus status) {
        return switch (status) {
            case COMPLETED -> RunEnd.COMPLETED;
            case PARTIAL -> RunEnd.PARTIAL;
            case FAILED -> RunEnd.FAILED;
            case CANCELLED -> RunEnd.CANCELLED;
            case INTERNAL_ERROR -> RunEnd.INTERNAL_ERROR;
        };
    }
}
