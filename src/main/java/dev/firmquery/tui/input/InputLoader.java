package dev.firmquery.tui.input;

import dev.firmquery.chunk.ChunkPlan;
import dev.firmquery.config.AppConfig;
import dev.firmquery.ids.IdInputException;
import dev.firmquery.ids.IdLoadOptions;
import dev.firmquery.ids.IdLoadResult;
import dev.firmquery.ids.IdLoader;
import dev.firmquery.run.RunException;
import dev.firmquery.run.RunRequest;
import dev.firmquery.run.RunSetup;
import dev.firmquery.sql.QueryTemplate;
import dev.firmquery.tui.core.Background;
import dev.firmquery.tui.widget.Fmt;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Loads an input for the preview off the GUI thread: reads and cleans the IDs (with progress, and
 * stoppable), validates the template and plans the chunks, with the same rules as a headless run
 * ({@link RunSetup}). Nothing here touches the database.
 */
final class InputLoader {
    private final List<Path> queryRoots;
    private final Clock clock;

    InputLoader(List<Path> queryRoots, Clock clock) {
        this.queryRoots = List.copyOf(queryRoots);
        this.clock = clock;
    }

    /**
     * What to load.
     *
     * @param source   the IDs
     * @param idColumn the CSV column (name or 1-based number); blank for the default
     * @param query    a query name or path
     */
    record Request(InputSource source, String idColumn, String query) {
    }

    /** A load running on the UI's background executor. */
    static final class Task {
        private volatile boolean cancelled;

        /** Stops the load at its next progress report (about every MiB); its result is then dropped. */
        void cancel() {
            cancelled = true;
        }

        boolean isCancelled() {
            return cancelled;
        }
    }

    /**
     * Starts loading on {@code background} (as {@code firmquery-load-N}).
     *
     * @param progress called with (bytes read, total bytes) from the loading thread
     * @param done     called with the preview from the loading thread, unless the task was cancelled
     */
    Task start(Background background, Request request, AppConfig config, Progress progress, Consumer<Preview> done) {
        Task task = new Task();
        background.run("load", () -> {
            Preview p = load(request, config, progress, task::isCancelled);
            if (p != null && !task.isCancelled()) {
                done.accept(p);
            }
        });
        return task;
    }

    /** Bytes read so far out of a total (0 when unknown, e.g. pasted text). */
    interface Progress {
        void bytesRead(long done, long total);
    }

    /**
     * Loads synchronously.
     *
     * @return the preview, or null when {@code cancelled} became true while reading
     */
    Preview load(Request request, AppConfig config, Progress progress, BooleanSupplier cancelled) {
        List<String> problems = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        String column = request.idColumn() == null || request.idColumn().isBlank() ? null : request.idColumn().strip();
        AppConfig.Processing p = config.processing();
        AppConfig.Application a = config.application();
        String sheet = request.source() instanceof InputSource.File f ? f.sheet() : null;
        IdLoader loader = new IdLoader(new IdLoadOptions(p.idType(), p.idPattern(), column, a.maxInputIds(),
                a.warningThreshold(), sheet));
        IdLoadResult input = null;
        try {
            input = readIds(loader, request.source(), progress, cancelled);
        } catch (CancellationException e) {
            return null;
        } catch (IdInputException e) {
            problems.add(e.getMessage());
        } catch (BadSource e) {
            problems.add(e.getMessage());
        }
        if (cancelled.getAsBoolean()) {
            return null;
        }
        QueryTemplate template = null;
        RunSetup setup = new RunSetup(config, queryRoots, clock);
        String query = request.query() == null ? "" : request.query().strip();
        if (query.isEmpty()) {
            problems.add("No query chosen: pick one from the query list or enter the path of a .sql file");
        } else {
            try {
                template = setup.loadTemplate(query);
            } catch (RunException e) {
                problems.add(e.getMessage());
            }
        }
        ChunkPlan plan = null;
        if (input != null && input.ids().isEmpty()) {
            problems.add("No valid IDs in " + request.source().label() + " (" + Fmt.count(input.stats().invalid())
                    + " invalid, " + Fmt.count(input.stats().blank()) + " blank): nothing to query. Check the file, "
                    + "or name the ID column in the ID column field");
        } else if (input != null && template != null) {
            plan = plan(setup, request, input, template, problems, warnings);
        }
        return new Preview(request.source(), column == null ? "" : column, query, input, template, plan, problems,
                warnings);
    }

    /** The same input and template planned again, e.g. after the chunk size was changed. */
    Preview replan(Preview preview, AppConfig config) {
        if (preview.input() == null || preview.template() == null || preview.input().ids().isEmpty()) {
            return preview;
        }
        List<String> problems = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        Request request = new Request(preview.source(), preview.idColumn(), preview.query());
        ChunkPlan plan = plan(new RunSetup(config, queryRoots, clock), request, preview.input(), preview.template(),
                problems, warnings);
        return new Preview(preview.source(), preview.idColumn(), preview.query(), preview.input(), preview.template(),
                plan, problems, warnings);
    }

    private static ChunkPlan plan(RunSetup setup, Request request, IdLoadResult input, QueryTemplate template,
                                  List<String> problems, List<String> warnings) {
        try {
            // The plan does not depend on the parameter values (they are bound, not written into the
            // SQL), and the form checks them as they are typed: a required one not filled in yet must
            // not make the preview say "cannot run", so the plan uses an example for it.
            RunRequest planned = setup.prepare(choices(request, input).withParams(planValues(template)), input, template);
            RunSetup.freeSpaceWarning(planned.output().directory(), input.ids().size()).ifPresent(warnings::add);
            return planned.plan();
        } catch (RunException e) {
            problems.add(e.getMessage());
            return null;
        }
    }

    private static java.util.Map<String, String> planValues(QueryTemplate template) {
        java.util.Map<String, String> m = new java.util.LinkedHashMap<>();
        for (dev.firmquery.sql.TemplateParameter p : template.parameters()) {
            if (!p.hasDefault()) {
                m.put(p.name(), dev.firmquery.sql.ParameterValues.example(p.type()));
            }
        }
        return m;
    }

    /** The {@link RunSetup.Choices} for a request; output choices come from the session later. */
    static RunSetup.Choices choices(Request request, IdLoadResult input) {
        Path ids = request.source() instanceof InputSource.File f ? f.path() : null;
        String sheet = request.source() instanceof InputSource.File f ? f.sheet() : null;
        String column = request.idColumn() == null || request.idColumn().isBlank() ? null : request.idColumn();
        return RunSetup.Choices.of(ids, request.query(), null).withIdColumn(column).withSheet(sheet);
    }

    private static IdLoadResult readIds(IdLoader loader, InputSource source, Progress progress,
                                        BooleanSupplier cancelled) throws IdInputException, BadSource {
        if (source instanceof InputSource.Pasted pasted) {
            if (pasted.text().isBlank()) {
                throw new BadSource("The paste window is empty: paste or type IDs there (M-v), or choose an ID file (F3)");
            }
            IdLoadResult r = loader.loadText(pasted.text());
            progress.bytesRead(pasted.text().length(), pasted.text().length());
            return r;
        }
        Path file = ((InputSource.File) source).path();
        if (Files.isDirectory(file)) {
            throw new BadSource(file + " is a directory; choose an ID file in it (F3 browses, Tab completes)");
        }
        if (!Files.isRegularFile(file)) {
            throw new BadSource("ID file " + file + " does not exist; check the path (Tab completes, F3 browses)");
        }
        long total;
        try {
            total = Files.size(file);
        } catch (IOException e) {
            total = 0;
        }
        long size = total;
        progress.bytesRead(0, size);
        return loader.load(file, bytes -> {
            if (cancelled.getAsBoolean()) {
                throw new CancellationException("loading " + file + " cancelled");
            }
            progress.bytesRead(bytes, size);
        });
    }

    /** An input that cannot be read at all, with what to do about it. */
    private static final class BadSource extends Exception {
        BadSource(String message) {
            super(message);
        }
    }
}
