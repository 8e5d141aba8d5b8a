package dev.firmquery.app;

import dev.firmquery.config.AppConfig;
import dev.firmquery.exit.CommandFailure;
import dev.firmquery.exit.ExitCode;
import dev.firmquery.exit.FirmqueryException;
import dev.firmquery.run.RunReport;
import dev.firmquery.run.RunRequest;
import dev.firmquery.run.RunStatus;
import dev.firmquery.run.store.BatchRecord;
import dev.firmquery.sql.BuiltInQueries;
import dev.firmquery.sql.QueryResolver;
import dev.firmquery.sql.TemplateException;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Several queries over one ID file, as {@code firmquery run --query A --query B} and the UI's marked
 * queries run them, recorded as a batch: their batch file ({@link BatchFile#text}) in the private folder
 * of a {@link BatchRecord#createForCommand}, and each job's run id and end in its journal, so that
 * {@code firmquery batch --resume DIR} goes on with them as a whole after a cancel, a quit or a kill
 * (finished jobs are not run again, a begun one goes on from its own run folder). IDs read from standard
 * input or pasted into the UI are not recorded: they cannot be read again, and a batch file can only
 * name a file ({@link #NOT_RECORDED}). Both front ends record through this class, so that their records
 * resume alike.
 */
public final class JobsRecord {
    /** Why jobs over IDs that cannot be read again have no record, and what resumes them instead. */
    public static final String NOT_RECORDED = "cannot be read again: these jobs are not recorded for firmquery batch"
            + " --resume; after an interruption, resume each job's run directory";
    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss");

    private JobsRecord() {
    }

    /**
     * The output folder of jobs given {@code given} ({@code --out}; null: {@code output.default_directory}),
     * absolute, as the batch file records it.
     */
    public static Path outputFolder(Path given, AppConfig config) {
        return (given != null ? given : config.output().defaultDirectory()).toAbsolutePath().normalize();
    }

    /** A new batch's id: the time to the second, as run ids, and 16 random bits, {@code 20261203_101500-3f2a}. */
    public static String newBatchId(Clock clock) {
        return ID_TIME.format(LocalDateTime.now(clock)) + "-"
                + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0x10000));
    }

    /** The command that goes on with the batch of {@code record}: {@code firmquery batch --resume DIR}. */
    public static String resumeCommand(BatchRecord record) {
        return "firmquery batch --resume " + record.directory();
    }

    /**
     * Records {@code jobs}, ready to run over one ID file, as a batch in their output folder; writes the
     * batch file and the record durably (disk, fsync: not on a GUI thread).
     *
     * @param comment what ran them, the batch file's first line ({@code firmquery run --query A --query B})
     * @param out     their output folder ({@link #outputFolder})
     * @param formats the formats the batch file names, or null to leave them to {@code output.formats}
     * @param jobs    the jobs in the order they run, all over the same ID source
     * @param queryRoots the folders their query names were resolved in
     * @return the record, to {@link #started} and {@link #ended} each job in; empty when the IDs come from
     *         standard input or a paste ({@link #NOT_RECORDED})
     * @throws FirmqueryException the output folder is not writable or not trusted
     */
    public static Optional<BatchRecord> create(String comment, Path out, Set<AppConfig.Format> formats,
                                               List<RunService.Job> jobs, List<Path> queryRoots, Clock clock)
            throws FirmqueryException {
        if (jobs.isEmpty() || jobs.get(0).choices().ids() == null) {
            return Optional.empty();
        }
        QueryResolver resolver = QueryResolver.withBuiltIns(queryRoots);
        List<RunService.Job> named = jobs.stream().map(j -> new RunService.Job(j.label(), j.origin(),
                j.choices().withQuery(recorded(j.choices().query(), resolver)), j.fileName())).toList();
        String text = BatchFile.text(comment, out, formats, named);
        try {
            return Optional.of(BatchRecord.createForCommand(out, newBatchId(clock), text));
        } catch (IOException e) {
            throw new CommandFailure("cannot record the jobs in " + out + ": " + e.getMessage()
                    + "; check that the output folder is writable", ExitCode.USAGE, e);
        }
    }

    /**
     * A query as the batch file records it: a built-in query's name (every installation has it) when the
     * name resolved to the built-in text, any other name as the absolute path of the file it resolved to,
     * which a resume from another folder (another {@code ./sql/queries}) or another process (the UI's
     * query folders) still finds; a path as given.
     */
    static String recorded(String query, QueryResolver resolver) {
        if (query.endsWith(".sql") || query.indexOf('/') >= 0) {
            return query;
        }
        Path file;
        try {
            file = resolver.resolve(query);
        } catch (TemplateException e) {
            return query; // prepareJobs resolved it a moment ago; a resume says what is wrong now
        }
        try {
            if (java.nio.file.Files.mismatch(file, QueryResolver.withBuiltIns(List.of()).resolve(query)) == -1) {
                return query;
            }
        } catch (TemplateException | IOException e) {
            // not a built-in name, or not readable as one: the file's path below
        }
        return BuiltInQueries.isInsideJar(file) ? query : file.toAbsolutePath().normalize().toString();
    }

    /** Records, durably, that job {@code index} (0-based) starts as {@code request}'s run. */
    public static void started(BatchRecord record, int index, RunRequest request) throws IOException {
        record.started(index, request.runId(), request.output().reportJson());
    }

    /**
     * Records, durably, how job {@code index} ended; a cancelled run is not an end (a resume goes on with it
     * from its run folder).
     */
    public static void ended(BatchRecord record, int index, RunReport report) throws IOException {
        if (report.status() != RunStatus.CANCELLED) {
            record.ended(index, report.status().name());
        }
    }
}
