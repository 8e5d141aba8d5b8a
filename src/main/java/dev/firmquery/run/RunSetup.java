package dev.firmquery.run;

import dev.firmquery.chunk.ChunkPlan;
import dev.firmquery.chunk.ChunkPlanException;
import dev.firmquery.chunk.ChunkPlanner;
import dev.firmquery.config.AppConfig.Format;
import dev.firmquery.config.AppConfig;
import dev.firmquery.exit.ExitCode;
import dev.firmquery.ids.IdInputException;
import dev.firmquery.ids.IdList;
import dev.firmquery.ids.IdLoadOptions;
import dev.firmquery.ids.IdLoadResult;
import dev.firmquery.ids.IdLoader;
import dev.firmquery.ids.InputFormat;
import dev.firmquery.run.store.JournalState;
import dev.firmquery.run.store.Manifest;
import dev.firmquery.run.store.RunDirectory;
import dev.firmquery.run.store.RunEnd;
import dev.firmquery.run.store.RunStore;
import dev.firmquery.run.store.RunStoreException;
import dev.firmquery.run.store.SpooledChunk;
import dev.firmquery.sql.BuiltInQueries;
import dev.firmquery.sql.ParameterValues;
import dev.firmquery.sql.QueryApproval;
import dev.firmquery.sql.QueryResolver;
import dev.firmquery.sql.QueryTemplate;
import dev.firmquery.sql.StatementRenderer;
import dev.firmquery.sql.TemplateException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Turns the configuration and the user's choices into a validated {@link RunRequest}: loads and
 * cleans the IDs, resolves and validates the template, plans the chunks and picks file names. Nothing
 * here touches the database; every problem is a {@link RunException} carrying {@code ExitCode.USAGE}.
 */
public final class RunSetup {
    private static final Logger log = LoggerFactory.getLogger(RunSetup.class);
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss");

    private final AppConfig config;
    private final List<Path> queryRoots;
    private final Clock clock;

    /**
     * @param config     the effective configuration
     * @param queryRoots directories searched for named queries ({@code sql/queries} of the app home
     *                   and of the current directory)
     * @param clock      for the timestamp in file names and the run id
     */
    public RunSetup(AppConfig config, List<Path> queryRoots, Clock clock) {
        this.config = config;
        this.queryRoots = List.copyOf(queryRoots);
        this.clock = clock;
    }

    /**
     * What the user chose for one run.
     *
     * @param ids         an ID file, or {@code null} to read {@code stdin}
     * @param stdin       the stream to read when {@code ids} is null
     * @param query       a template path or name
     * @param outDir      output directory, or {@code null} for {@code output.default_directory}
     * @param formats     result formats, or {@code null} for {@code output.formats}
     * @param idColumn    input ID column (name or 1-based number), or {@code null}
     * @param idColumnOut result ID column, or {@code null}
     * @param sheet       the sheet of an {@code .xlsx} ID file, or {@code null} for its first sheet
     * @param params      values of the template's parameters as written ({@code --param NAME=VALUE}), by name;
     *                    parsed and checked against the declarations by {@link #prepare}
     */
    public record Choices(Path ids, InputStream stdin, String query, Path outDir, Set<Format> formats,
                          String idColumn, String idColumnOut, String sheet, Map<String, String> params) {
        /** Copies the parameter values, keeping their order. */
        public Choices {
            params = params == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(params));
        }

        /**
         * A run of {@code query} (a template path or name) over the ID file {@code ids} ({@code null}: the
         * standard input, see {@link #withStdin}) into {@code outDir} ({@code null}:
         * {@code output.default_directory}); formats, ID columns, sheet and parameters as configured or
         * absent until a {@code with...} copy sets them.
         */
        public static Choices of(Path ids, String query, Path outDir) {
            return new Choices(ids, null, query, outDir, null, null, null, null, Map.of());
        }

        /** A copy whose {@link #stdin()} is {@code in}: the stream read when {@link #ids()} is null ({@code --ids -}). */
        public Choices withStdin(InputStream in) {
            return new Choices(ids, in, query, outDir, formats, idColumn, idColumnOut, sheet, params);
        }

        /** A copy with {@link #formats()} replaced ({@code --format}; {@code null}: {@code output.formats}). */
        public Choices withFormats(Set<Format> chosen) {
            return new Choices(ids, stdin, query, outDir, chosen, idColumn, idColumnOut, sheet, params);
        }

        /** A copy with {@link #idColumn()} replaced ({@code --id-column}). */
        public Choices withIdColumn(String column) {
            return new Choices(ids, stdin, query, outDir, formats, column, idColumnOut, sheet, params);
        }

        /** A copy with {@link #idColumnOut()} replaced ({@code --id-column-out}). */
        public Choices withIdColumnOut(String column) {
            return new Choices(ids, stdin, query, outDir, formats, idColumn, column, sheet, params);
        }

        /** A copy with {@link #sheet()} replaced ({@code --sheet}). */
        public Choices withSheet(String name) {
            return new Choices(ids, stdin, query, outDir, formats, idColumn, idColumnOut, name, params);
        }

        /** A copy with {@link #query()} replaced (one job of several queries over the same IDs). */
        public Choices withQuery(String name) {
            return new Choices(ids, stdin, name, outDir, formats, idColumn, idColumnOut, sheet, params);
        }

        /** A copy with {@link #params()} replaced ({@code --param}). */
        public Choices withParams(Map<String, String> values) {
            return new Choices(ids, stdin, query, outDir, formats, idColumn, idColumnOut, sheet, values);
        }
    }

    /** Loads the IDs of {@code choices} with the configured rules. */
    public IdLoadResult loadIds(Choices choices) throws RunException {
        AppConfig.Processing p = config.processing();
        AppConfig.Application a = config.application();
        IdLoader loader = new IdLoader(new IdLoadOptions(p.idType(), p.idPattern(), choices.idColumn(),
                a.maxInputIds(), a.warningThreshold(), choices.sheet()));
        try {
            if (choices.ids() == null) {
                return loader.load(choices.stdin(), "-", InputFormat.AUTO);
            }
            if (!Files.isRegularFile(choices.ids())) {
                throw new RunException("ID file " + choices.ids().toAbsolutePath() + " does not exist or is not a file; "
                        + "check the path given to --ids", ExitCode.USAGE);
            }
            return loader.load(choices.ids());
        } catch (IdInputException e) {
            throw new RunException(e.getMessage(), ExitCode.USAGE, e);
        }
    }

    /**
     * Resolves and validates the template named in {@code choices}; one the administrator's policy does not
     * approve ({@code policy.approved_queries}) is refused here, before anything touches the database.
     */
    public QueryTemplate loadTemplate(String query) throws RunException {
        QueryTemplate template;
        try {
            Path path = QueryResolver.withBuiltIns(queryRoots).resolve(query);
            template = QueryTemplate.load(path, config.processing().allowWrites());
        } catch (TemplateException e) {
            throw new RunException(e.getMessage(), ExitCode.USAGE, e);
        }
        requireApproved(template);
        return template;
    }

    /** The administrator's {@code policy.approved_queries} of {@code policy}, as the runs and the UI apply it. */
    public static QueryApproval approval(AppConfig.Policy policy) {
        return new QueryApproval(policy.approvedQueries(), policy.queryFolders(), BuiltInQueries.root().orElse(null),
                policy.describeFile());
    }

    private void requireApproved(QueryTemplate template) throws RunException {
        java.util.Optional<String> refusal = approval(config.policy()).refusal(template);
        if (refusal.isPresent()) {
            throw new RunException(refusal.get(), ExitCode.USAGE);
        }
    }

    /** Everything for a run: IDs, template, plan and output files. */
    public RunRequest prepare(Choices choices) throws RunException {
        // The template and its parameter values first: checking them takes milliseconds, loading a
        // million IDs seconds, and a typo in --param should not wait for that.
        QueryTemplate template = loadTemplate(choices.query());
        parameters(template, choices.params());
        IdLoadResult input = loadIds(choices);
        return prepare(choices, input, template);
    }

    /**
     * The values of {@code template}'s parameters from {@code given} and the defaults.
     *
     * @throws RunException ({@code ExitCode.USAGE}) listing every unknown name, missing value and value that
     *                      does not parse, with the template's {@code file:line}
     */
    public static ParameterValues parameters(QueryTemplate template, Map<String, String> given) throws RunException {
        try {
            return ParameterValues.resolve(template, given);
        } catch (TemplateException e) {
            throw new RunException(e.getMessage(), ExitCode.USAGE, e);
        }
    }

    /** A run from IDs and a template already loaded (the UI loads them first to show a preview). */
    public RunRequest prepare(Choices choices, IdLoadResult input, QueryTemplate template) throws RunException {
        requireApproved(template);
        ParameterValues values = parameters(template, choices.params());
        AppConfig.Processing p = config.processing();
        if (input.ids().isEmpty()) {
            throw new RunException("no valid IDs in " + input.source() + " (" + input.stats().invalid()
                    + " invalid, " + input.stats().blank() + " blank); nothing to query. Check the file and --id-column", ExitCode.USAGE);
        }
        if (p.idOrder() == AppConfig.IdOrder.SORTED) {
            input = input.withIds(input.ids().sorted()); // processing.id_order; the resume copy (ids.bin) keeps this order
        }
        StatementRenderer renderer;
        ChunkPlan plan;
        try {
            renderer = new StatementRenderer(template, p.idBinding(), p.idType(), values);
            plan = new ChunkPlanner(p.chunkSize(), p.maxQueryLength()).plan(input.ids(), renderer);
        } catch (TemplateException | ChunkPlanException e) {
            throw new RunException(e.getMessage(), ExitCode.USAGE, e);
        }
        Path dir = choices.outDir() != null ? choices.outDir() : config.output().defaultDirectory();
        Set<Format> formats = choices.formats() != null ? choices.formats() : config.output().formats();
        LocalDateTime now = LocalDateTime.now(clock);
        String inputName = choices.ids() != null ? OutputName.inputName(choices.ids())
                : choices.stdin() != null ? "stdin" : "pasted";
        String stem = OutputName.expand(config.output().filenamePattern(),
                new OutputName.Values(now, template.name(), System.getProperty("user.name"), inputName));
        OutputSpec output = freeOutput(dir.toAbsolutePath().normalize(), stem, formats);
        checkFreeSpace(output.directory(), input.ids().size());
        try {
            RunStore.checkOutputFolder(output.directory());
        } catch (RunStoreException e) {
            throw new RunException(e.getMessage(), ExitCode.USAGE, e);
        }
        String runId = TIMESTAMP.format(now) + "-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0x10000));
        return new RunRequest(runId, input, template, renderer, plan, output, choices.idColumnOut(), settings(), null,
                false, config.toString());
    }

    private RunRequest.Settings settings() {
        AppConfig.Processing p = config.processing();
        return new RunRequest.Settings(p.threadCount(), p.maxRetries(), p.retryDelay(), config.database().queryTimeout(),
                p.fetchSize(), p.outageWait(), p.genericPlans(), p.chunksPerRoundTrip());
    }

    /** Below this, a run cannot even hold its working files: refuse before touching the database. */
    static final long MIN_FREE_BYTES = 64L << 20;

    /**
     * Refuses to start when the output file system is nearly full (docs/operations.md, "Disk full"), and logs a
     * warning when it looks too small for the run: about 2 KB per ID covers the spool and the files
     * of typical detail queries; a query returning much more per ID needs more.
     */
    private static void checkFreeSpace(Path dir, int ids) throws RunException {
        Path existing = dir;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return;
        }
        if (!Files.isDirectory(existing)) {
            throw new RunException("the output path " + existing + " is a file, not a directory; choose another --out", ExitCode.USAGE);
        }
        long free;
        try {
            free = Files.getFileStore(existing).getUsableSpace();
        } catch (IOException e) {
            log.warn("cannot tell the free space in {}: {}", existing, e.toString());
            return;
        }
        if (free < MIN_FREE_BYTES) {
            throw new RunException(String.format(java.util.Locale.ROOT, "only %.1f MB free in %s; a run needs room for"
                    + " its working files and results. Free some space or choose another --out", free / 1048576.0,
                    existing), ExitCode.USAGE);
        }
        lowSpace(existing, free, ids).ifPresent(w -> log.warn("{}", w));
    }

    /** About 2 KB per ID covers the spool and the files of typical detail queries (see checkFreeSpace). */
    static final long BYTES_PER_ID = 2048;

    /**
     * The warning for a run over {@code ids} IDs into {@code dir} when its file system looks too small
     * for it, as the UI shows it before the run (and the log gets it when the run starts); empty when
     * there is room, or when the free space cannot be told (the run itself then decides).
     */
    public static Optional<String> freeSpaceWarning(Path dir, int ids) {
        Path existing = dir.toAbsolutePath();
        while (existing != null && !Files.isDirectory(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return Optional.empty();
        }
        try {
            return lowSpace(existing, Files.getFileStore(existing).getUsableSpace(), ids);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The low-space warning for {@code free} bytes in {@code dir} and a run over {@code ids} IDs, if any. */
    static Optional<String> lowSpace(Path dir, long free, int ids) {
        long estimate = BYTES_PER_ID * ids;
        if (free >= estimate) {
            return Optional.empty();
        }
        return Optional.of(String.format(java.util.Locale.ROOT, "only %,d MB free in %s; a run over %,d IDs may need"
                + " about %,d MB (more if the query returns many rows per ID); if the disk fills up, the run stops and"
                + " can be resumed: free some space or choose another output folder", free >> 20, dir, ids,
                Math.max(1, estimate >> 20)));
    }

    /**
     * The output spec for {@code stem}, or {@code stem_2}, {@code stem_3}... when a file of that name
     * already exists: an existing file is never overwritten (docs/decisions.md, "Output files").
     */
    private OutputSpec freeOutput(Path dir, String stem, Set<Format> formats) throws RunException {
        for (int n = 1; ; n++) {
            String base = n == 1 ? stem : stem + "_" + n;
            OutputName.checkInside(dir, base);
            OutputSpec spec = new OutputSpec(dir, base, formats, config.output().csvGzip(), config.output().fileMode(),
                    config.output().csvFormulaGuard(), config.output().csvDialect());
            boolean clash = false;
            for (Path f : spec.allFiles()) {
                clash |= Files.exists(f);
            }
            if (!clash) {
                return spec;
            }
        }
    }

    /**
     * A request that continues the interrupted run in {@code directory} (docs/reliability.md): the IDs, plan,
     * query and file names come from the directory, the connection, retry and timeout settings from
     * the current configuration. Chunks the journal records as done (with an intact spool) are not run
     * again; everything else is.
     *
     * @param retryFailedOnly {@code --retry-failed}: the run must have ended (partial or failed)
     * @throws RunException ({@code ExitCode.USAGE}) if the directory is not a resumable run, is damaged, or the query
     *                      or ID file it was started from has changed since
     */
    public RunRequest resume(Path directory, boolean retryFailedOnly) throws RunException {
        return resume(directory, retryFailedOnly, Map.of());
    }

    /**
     * As {@link #resume(Path, boolean)}, with the parameter values the user gave again: the run goes on with
     * the values it started with, and values that differ from those are refused (its files would mix rows of
     * two queries). Values equal to the recorded ones, as their type reads them, are accepted.
     */
    public RunRequest resume(Path directory, boolean retryFailedOnly, Map<String, String> params) throws RunException {
        try {
            return resume(RunDirectory.open(directory), retryFailedOnly, params);
        } catch (RunStoreException e) {
            throw new RunException(e.getMessage(), ExitCode.USAGE, e);
        }
    }

    private RunRequest resume(RunDirectory dir, boolean retryFailedOnly, Map<String, String> params)
            throws RunException, RunStoreException {
        Manifest m = dir.manifest();
        JournalState journal;
        try {
            journal = dir.journal();
        } catch (IOException e) {
            throw new RunException("cannot read the journal of run " + m.runId() + " in " + dir.path() + ": " + e, ExitCode.USAGE, e);
        }
        if (journal.finished() == RunEnd.COMPLETED) {
            throw new RunException("run " + m.runId() + " completed already; its files are in " + m.outputDirectory()
                    + " (" + m.baseName() + ".*). Nothing to resume", ExitCode.USAGE);
        }
        int neverRun = m.chunks() - journal.done().size() - journal.failed().size();
        if (retryFailedOnly && (journal.finished() == null || neverRun > 0)) {
            throw new RunException("run " + m.runId() + " was interrupted before all its chunks ran (" + neverRun
                    + " never ran); --retry-failed only re-runs failed chunks of a finished run. Finish it with: "
                    + RunStore.resumeCommand(dir.path()), ExitCode.USAGE);
        }
        if (retryFailedOnly && journal.failed().isEmpty() && journal.done().size() == m.chunks()) {
            throw new RunException("run " + m.runId() + " has no failed chunks to retry", ExitCode.USAGE);
        }
        refuseIfChanged("query", m.querySource(), m.querySha256(), m.runId());
        if (!"-".equals(m.inputSource())) {
            refuseIfChanged("ID file", Path.of(m.inputSource()), m.inputSha256(), m.runId());
        }
        String text = dir.queryText(m);
        IdList ids = dir.ids(m);
        ChunkPlan plan = dir.plan(m);
        QueryTemplate template;
        StatementRenderer renderer;
        try {
            // Validated again as fresh input: the read-only check applies unless writes are allowed now,
            // whatever they were when the run started (the stored text is what would run under this user).
            QueryTemplate parsed = QueryTemplate.parse(m.queryName(), m.querySource(), text,
                    config.processing().allowWrites());
            template = parsed.withSha256(m.querySha256());
        } catch (TemplateException e) {
            throw new RunException("the query stored in " + dir.path() + " no longer validates: " + e.getMessage(), ExitCode.USAGE, e);
        }
        ParameterValues values = resumedParameters(m, template, params, dir.path());
        try {
            renderer = new StatementRenderer(template, m.binding(), m.idType(), values);
        } catch (TemplateException e) {
            throw new RunException("the query stored in " + dir.path() + " no longer validates: " + e.getMessage(), ExitCode.USAGE, e);
        }
        requireApproved(template); // the policy may have changed since the run started
        // Chunks whose spool is missing or damaged run again (the store logs why).
        Map<Integer, SpooledChunk> done = dir.trustedChunks(m, plan, journal.done().values());
        // The IDs come from ids.bin, not the workbook: the recorded sheet only says where they were read.
        IdLoadResult input = new IdLoadResult(ids, m.stats(), m.invalidExamples(), List.of(), m.inputSource(),
                m.inputSha256(), m.inputColumnName(), List.of(), m.inputSheet());
        OutputSpec output = resumedOutput(m, dir.earlierFiles(journal));
        JournalState state = journal.withDone(done);
        log.info("resuming run {} from {}: {} of {} chunks done, {} failed before", m.runId(), dir.path(), done.size(),
                plan.size(), journal.failed().size());
        return new RunRequest(m.runId(), input, template, renderer, plan, output, m.idColumnOut(), settings(),
                new RunRequest.Resume(dir, state, m.created()), false, config.toString());
    }

    /**
     * The recorded values of a resumed run, read again as their declared types; values given now must be
     * equal to them.
     */
    private static ParameterValues resumedParameters(Manifest m, QueryTemplate template, Map<String, String> given,
                                                     Path dir) throws RunException {
        ParameterValues recorded;
        try {
            recorded = ParameterValues.resolve(template, m.parameters());
        } catch (TemplateException e) {
            throw new RunException("the parameter values recorded in " + dir.resolve("run.properties")
                    + " do not fit the stored query: " + e.getMessage() + "; the run directory was modified."
                    + " Start a new run", ExitCode.USAGE, e);
        }
        if (given.isEmpty()) {
            return recorded;
        }
        ParameterValues now = parameters(template, given);
        List<String> changed = new ArrayList<>();
        for (ParameterValues.Value v : now.values()) {
            ParameterValues.Value was = recorded.get(v.parameter().name()).orElseThrow();
            if (!v.fromDefault() && !v.text().equals(was.text())) {
                changed.add(v.parameter().name() + "=" + v.text() + " (the run has " + was.text() + ")");
            }
        }
        if (!changed.isEmpty()) {
            throw new RunException("run " + m.runId() + " was started with other parameter values: "
                    + String.join(", ", changed) + "; a resumed run goes on with the values it started with, or its"
                    + " files would mix the rows of two queries. Drop --param to continue it as it was, or start a"
                    + " new run with the new values", ExitCode.USAGE);
        }
        return recorded;
    }

    /**
     * Where a resumed run writes its files: under the run's base name, unless one of those names is
     * taken by a file that is not the run's own ({@code mine}: an earlier session's, which is replaced),
     * such as a concurrent run's that took the name while this one was publishing; then under
     * {@code <base>_2}, {@code _3}..., as a new run would. A file that is not the run's is never replaced.
     */
    private static OutputSpec resumedOutput(Manifest m, Set<Path> mine) {
        for (int n = 1; ; n++) {
            String base = n == 1 ? m.baseName() : m.baseName() + "_" + n;
            OutputSpec spec = new OutputSpec(m.outputDirectory(), base, m.formats(), m.csvGzip(), m.permissions(),
                    m.csvFormulaGuard(), m.csvDialect());
            List<Path> taken = new ArrayList<>();
            for (Path f : spec.allFiles()) {
                if (Files.exists(f, java.nio.file.LinkOption.NOFOLLOW_LINKS) && !mine.contains(f)) {
                    taken.add(f);
                }
            }
            if (taken.isEmpty()) {
                return spec;
            }
            log.warn("run {}: {} {} not the run's own file (another run's, or put there by someone else) and is "
                    + "left alone; trying the base name {}_{}", m.runId(), taken, taken.size() == 1 ? "is" : "are",
                    m.baseName(), n + 1);
        }
    }

    /** A resumed run must use what the run started with: refuse if that file changed since. */
    private static void refuseIfChanged(String what, Path file, String recordedSha, String runId) throws RunException {
        if (file == null || !Files.isRegularFile(file)) {
            return; // moved or deleted: the copy in the run directory is what counts
        }
        String now;
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
            now = HexFormat.of().formatHex(md.digest());
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new RunException("cannot read " + file + " to check it has not changed since run " + runId
                    + " started: " + e, ExitCode.USAGE, e);
        }
        if (!now.equals(recordedSha)) {
            throw new RunException("the " + what + " " + file + " changed since run " + runId + " started (sha256 "
                    + recordedSha.substring(0, 12) + "... then, " + now.substring(0, 12) + "... now); a resumed run must "
                    + "use the same " + what + ", or its files would mix two different runs. Restore the file, or start "
                    + "a new run", ExitCode.USAGE);
        }
    }

    /** {@code sql/queries} under each of the given homes, without duplicates. */
    public static List<Path> queryRoots(Path... homes) {
        Set<Path> roots = new LinkedHashSet<>();
        for (Path h : homes) {
            if (h != null) {
                roots.add(h.toAbsolutePath().normalize().resolve("sql").resolve("queries"));
            }
        }
        return new ArrayList<>(roots);
    }
}
