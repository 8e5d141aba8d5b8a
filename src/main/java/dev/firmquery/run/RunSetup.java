package dev.firmquery.run;

import dev.firmquery.chunk.ChunkPlan;
import dev.firmquery.chunk.ChunkPlanException;
import dev.firmquery.chunk.ChunkPlanner;
import dev.firmquery.config.AppConfig;
import dev.firmquery.config.AppConfig.Format;
import dev.firmquery.ids.IdInputException;
import dev.firmquery.ids.IdLoadOptions;
import dev.firmquery.ids.IdLoadResult;
import dev.firmquery.ids.IdLoader;
import dev.firmquery.ids.InputFormat;
import dev.firmquery.sql.QueryResolver;
import dev.firmquery.sql.QueryTemplate;
import dev.firmquery.sql.StatementRenderer;
import dev.firmquery.sql.TemplateException;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Turns the configuration and the user's choices into a validated {@link RunRequest}: loads and
 * cleans the IDs, resolves and validates the template, plans the chunks and picks file names. Nothing
 * here touches the database; every problem is a {@link RunException} with exit code 2.
 */
public final class RunSetup {
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss");
    /** Exported files may hold firm data: readable by the owner only (issue #5, "output.file_mode"). */
    public static final Set<PosixFilePermission> FILE_MODE =
            Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

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
     */
    public record Choices(Path ids, InputStream stdin, String query, Path outDir, Set<Format> formats,
                          String idColumn, String idColumnOut) {
    }

    /** Loads the IDs of {@code choices} with the configured rules. */
    public IdLoadResult loadIds(Choices choices) throws RunException {
        AppConfig.Processing p = config.processing();
        AppConfig.Application a = config.application();
        IdLoader loader = new IdLoader(new IdLoadOptions(p.idType(), p.idPattern(), choices.idColumn(),
                a.maxInputIds(), a.warningThreshold()));
        try {
            if (choices.ids() == null) {
                return loader.load(choices.stdin(), "-", InputFormat.AUTO);
            }
            if (!Files.isRegularFile(choices.ids())) {
                throw new RunException("ID file " + choices.ids().toAbsolutePath() + " does not exist or is not a file; "
                        + "check the path given to --ids", 2);
            }
            return loader.load(choices.ids());
        } catch (IdInputException e) {
            throw new RunException(e.getMessage(), 2, e);
        }
    }

    /** Resolves and validates the template named in {@code choices}. */
    public QueryTemplate loadTemplate(String query) throws RunException {
        try {
            Path path = new QueryResolver(queryRoots).resolve(query);
            return QueryTemplate.load(path, config.processing().allowWrites());
        } catch (TemplateException e) {
            throw new RunException(e.getMessage(), 2, e);
        }
    }

    /** Everything for a run: IDs, template, plan and output files. */
    public RunRequest prepare(Choices choices) throws RunException {
        IdLoadResult input = loadIds(choices);
        QueryTemplate template = loadTemplate(choices.query());
        return prepare(choices, input, template);
    }

    /** A run from IDs and a template already loaded (the UI loads them first to show a preview). */
    public RunRequest prepare(Choices choices, IdLoadResult input, QueryTemplate template) throws RunException {
        AppConfig.Processing p = config.processing();
        if (input.ids().isEmpty()) {
            throw new RunException("no valid IDs in " + input.source() + " (" + input.stats().invalid()
                    + " invalid, " + input.stats().blank() + " blank); nothing to query. Check the file and --id-column", 2);
        }
        StatementRenderer renderer;
        ChunkPlan plan;
        try {
            renderer = new StatementRenderer(template, p.idBinding(), p.idType());
            plan = new ChunkPlanner(p.chunkSize(), p.maxQueryLength()).plan(input.ids(), renderer);
        } catch (TemplateException | ChunkPlanException e) {
            throw new RunException(e.getMessage(), 2, e);
        }
        Path dir = choices.outDir() != null ? choices.outDir() : config.output().defaultDirectory();
        Set<Format> formats = choices.formats() != null ? choices.formats() : config.output().formats();
        LocalDateTime now = LocalDateTime.now(clock);
        String stem = config.output().filenamePattern().replace("{timestamp}", TIMESTAMP.format(now));
        OutputSpec output = freeOutput(dir.toAbsolutePath().normalize(), stem, formats);
        String runId = TIMESTAMP.format(now) + "-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0x10000));
        AppConfig.Database db = config.database();
        RunRequest.Settings settings = new RunRequest.Settings(p.threadCount(), p.maxRetries(), p.retryDelay(),
                db.queryTimeout(), p.fetchSize(), !p.allowWrites());
        return new RunRequest(runId, input, template, renderer, plan, output, choices.idColumnOut(), settings);
    }

    /**
     * The output spec for {@code stem}, or {@code stem_2}, {@code stem_3}... when a file of that name
     * already exists: an existing file is never overwritten (issue #2, "Outputs").
     */
    private OutputSpec freeOutput(Path dir, String stem, Set<Format> formats) {
        for (int n = 1; ; n++) {
            String base = n == 1 ? stem : stem + "_" + n;
            OutputSpec spec = new OutputSpec(dir, base, formats, config.output().csvGzip(), FILE_MODE);
            boolean clash = false;
            for (Path f : spec.allFiles()) {
                clash |= Files.exists(f);
            }
            if (!clash) {
                return spec;
            }
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
