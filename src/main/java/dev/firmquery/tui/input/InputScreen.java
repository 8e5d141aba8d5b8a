package dev.firmquery.tui.input;

import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.gui2.Button;
import com.googlecode.lanterna.gui2.CheckBox;
import com.googlecode.lanterna.gui2.Component;
import com.googlecode.lanterna.gui2.Direction;
import com.googlecode.lanterna.gui2.Interactable;
import com.googlecode.lanterna.gui2.Label;
import com.googlecode.lanterna.gui2.LinearLayout;
import com.googlecode.lanterna.gui2.Panel;
import com.googlecode.lanterna.gui2.ProgressBar;
import com.googlecode.lanterna.gui2.TextBox;
import dev.firmquery.chunk.ChunkPlanner;
import dev.firmquery.config.AppConfig.Format;
import dev.firmquery.config.AppConfig;
import dev.firmquery.ids.IdLoadResult;
import dev.firmquery.ids.IdStats;
import dev.firmquery.ids.InvalidValue;
import dev.firmquery.sql.QueryInfo;
import dev.firmquery.sql.QueryTemplate;
import dev.firmquery.sql.TemplateException;
import dev.firmquery.tui.config.SessionSettings;
import dev.firmquery.tui.widget.Fmt;
import dev.firmquery.tui.widget.GlyphProgressRenderer;
import dev.firmquery.tui.widget.Glyphs;
import dev.firmquery.tui.widget.LinesView;
import dev.firmquery.tui.widget.PathCompletion;
import dev.firmquery.tui.widget.PathField;
import dev.firmquery.tui.widget.PickList;
import dev.firmquery.tui.widget.Rule;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The input window: the ID file (path with Tab completion, F3 browser) or pasted IDs, the ID column,
 * the query (list of named queries with descriptions, or a file path) with a preview of its SQL, the
 * output choices, and the preview of the loaded input. Loading itself happens elsewhere
 * ({@link InputLoader}); this class only shows and collects.
 */
final class InputScreen {
    private static final int LABEL_WIDTH = 10;

    /** What the input window asks its owner to do. */
    record Callbacks(Runnable browse, Runnable paste, Runnable load, Runnable run, Runnable inputChanged,
                     Runnable outputChanged, Runnable parametersChanged, Runnable sheet) {
    }

    private final Glyphs glyphs;
    private final Path cwd;
    private final Callbacks callbacks;
    private final Panel root = new Panel(new LinearLayout(Direction.VERTICAL));
    private final PathField idsPath;
    private final TextBox idColumn = new TextBox(new TerminalSize(14, 1));
    private final Label sourceNote = new Label("");
    /** Shown only when the loaded workbook has several sheets: opens the list of them. */
    private final Button sheetButton;
    /** The sheet chosen for the ID file in the path field, or null for its first; a new path forgets it. */
    private String sheet;
    private final PickList<QueryInfo> queries;
    /** The names of the queries marked with Space (several run one after the other over one input). */
    private final java.util.Set<String> marked = new java.util.HashSet<>();
    private final PathField queryPath;
    private final LinesView sql;
    private final ParameterForm parameters;
    private final PathField outDir;
    private final CheckBox csv = new CheckBox("CSV");
    private final CheckBox xlsx = new CheckBox("XLSX");
    private final CheckBox gzip = new CheckBox("gzip CSV");
    private final TextBox pattern = new TextBox(new TerminalSize(24, 1));
    private final Rule previewRule;
    private final LinesView preview;
    private final ProgressBar loadBar = new ProgressBar(0, 1000, 40);
    private final Button loadButton;
    private final Button runButton;
    private final Label message = new Label("");
    private String pasted;
    private boolean filling;

    InputScreen(Glyphs glyphs, Path cwd, Path home, List<QueryInfo> queryList, Callbacks callbacks) {
        this.glyphs = glyphs;
        this.cwd = cwd;
        this.callbacks = callbacks;
        this.idsPath = new PathField(40, cwd, home, false, this::showCandidates);
        this.queryPath = new PathField(40, cwd, home, false, this::showCandidates);
        this.outDir = new PathField(40, cwd, home, true, this::showCandidates);
        this.queries = new PickList<>(glyphs, 2, q -> (marked.isEmpty() ? "" : marked.contains(q.name()) ? "[x] "
                : "[ ] ") + describe(q, queryList));
        // Space marks the query under the cursor: F5 then runs every marked query over the one input.
        queries.extraKeys(k -> {
            if (k.getKeyType() != com.googlecode.lanterna.input.KeyType.Character || k.getCharacter() != ' '
                    || queries.selected() == null) {
                return false;
            }
            if (!marked.remove(queries.selected().name())) {
                marked.add(queries.selected().name());
            }
            int n = marked.size();
            setMessage(n == 0 ? "No query marked: F5 runs the selected one." : n == 1
                    ? "1 query marked (Space marks another): F5 runs the selected one."
                    : n + " queries marked (Space toggles): F5 runs them one after the other over this input.");
            return true;
        });
        this.sql = new LinesView(glyphs, 3, false);
        this.parameters = new ParameterForm(glyphs, callbacks.parametersChanged());
        this.preview = new LinesView(glyphs, 6, false).wrap(7);
        this.previewRule = new Rule(glyphs, "Preview");
        this.loadButton = new Button("Load F4", callbacks.load());
        this.runButton = new Button("Run F5/^R", callbacks.run());
        this.sheetButton = new Button("Sheet", callbacks.sheet());
        sheetButton.setVisible(false);
        loadBar.setRenderer(new GlyphProgressRenderer(glyphs));
        loadBar.setVisible(false);

        idsPath.onEnter(callbacks.load());
        queryPath.onEnter(callbacks.load());
        idsPath.setTextChangeListener((text, user) -> {
            if (user) {
                pasted = null;
                sheet = null;
                sheetButton.setVisible(false);
                updateSourceNote();
                changed();
            }
        });
        idColumn.setTextChangeListener((text, user) -> changed());
        queries.setItems(queryList, 0).onMove(q -> {
            if (!filling) {
                queryPath.setText("");
                queries.showPointer(true);
                showSql();
                changed();
            }
        }).onActivate(q -> callbacks.load().run());
        queryPath.setTextChangeListener((text, user) -> {
            queries.showPointer(text.isBlank());
            showSql();
            changed();
        });
        outDir.setTextChangeListener((t, user) -> outputChanged());
        pattern.setTextChangeListener((t, user) -> outputChanged());
        csv.addListener(c -> outputChanged());
        xlsx.addListener(c -> outputChanged());
        gzip.addListener(c -> outputChanged());

        Button browse = new Button("Browse F3", callbacks.browse());
        Button paste = new Button("Paste M-v", callbacks.paste());
        root.addComponent(row(label("IDs file"), grow(idsPath), browse));
        root.addComponent(row(label("ID column"), idColumn, grow(sourceNote), sheetButton, paste));
        root.addComponent(row(label("Query"), grow(queries)));
        root.addComponent(row(label("or file"), grow(queryPath)));
        root.addComponent(row(label("SQL"), grow(sql)));
        root.addComponent(parameters.panel());
        root.addComponent(row(label("Output"), grow(outDir)));
        root.addComponent(row(label("Formats"), csv, xlsx, gzip, new Label(" Name"), grow(pattern)));
        root.addComponent(previewRule, LinearLayout.createLayoutData(LinearLayout.Alignment.Fill));
        root.addComponent(loadBar, LinearLayout.createLayoutData(LinearLayout.Alignment.Fill));
        root.addComponent(preview, LinearLayout.createLayoutData(LinearLayout.Alignment.Fill,
                LinearLayout.GrowPolicy.CanGrow));
        root.addComponent(row(loadButton, runButton, grow(message)));
        updateSourceNote();
        showSql();
        preview.setLines(List.of("Choose an ID file (type a path, Tab completes; F3 browses) or paste IDs (M-v),",
                "pick a query, then load the input (F4 or Enter) to see what will run."));
    }

    Panel root() {
        return root;
    }

    /** Where the focus goes when the window opens: Run when it can run, else the ID file. */
    Interactable defaultFocus() {
        return runButton.isEnabled() ? runButton : idsPath;
    }

    Interactable idsField() {
        return idsPath;
    }

    // ---------------------------------------------------------------------------------------------
    // What the user chose

    /** The chosen input, or null when there is neither a path nor pasted text. */
    InputSource source() {
        String p = idsPath.getText().strip();
        if (!p.isEmpty()) {
            return new InputSource.File(PathCompletion.resolve(p, cwd, cwd), sheet);
        }
        return pasted != null ? new InputSource.Pasted(pasted) : null;
    }

    String idColumn() {
        return idColumn.getText().strip();
    }

    /** The queries marked with Space, in the list's order; empty when none is. */
    List<String> markedQueries() {
        return queries.items().stream().map(QueryInfo::name).filter(marked::contains).toList();
    }

    /** The query path if one is typed, else the chosen name; empty if neither. */
    String query() {
        String p = queryPath.getText().strip();
        if (!p.isEmpty()) {
            return PathCompletion.resolve(p, cwd, cwd).toString();
        }
        QueryInfo q = queries.selected();
        return q == null ? "" : q.name();
    }

    /** The output fields as typed: directory, pattern, CSV, XLSX, gzip. */
    SessionSettings.Parsed output(SessionSettings current, Path home) {
        return SessionSettings.parse(Integer.toString(current.chunkSize()), Integer.toString(current.maxRetries()),
                outDir.getText(), pattern.getText(), csv.isChecked(), xlsx.isChecked(),
                current.formats().contains(Format.JSONL), gzip.isChecked(), home);
    }

    /** The parameter form: the values to bind, their problems. */
    ParameterForm parameters() {
        return parameters;
    }

    String pastedText() {
        return pasted == null ? "" : pasted;
    }

    // ---------------------------------------------------------------------------------------------
    // Filling in

    /** Sets the ID file field (from the browser or a preselection); a workbook's first sheet until another is chosen. */
    void setIdsPath(Path path) {
        idsPath.setText(path.toString());
        idsPath.setCaretPosition(path.toString().length());
        pasted = null;
        sheet = null;
        updateSourceNote();
    }

    /** The sheet of the workbook in the path field to read ({@code null}: its first), chosen with the Sheet button. */
    void setSheet(String name) {
        sheet = name;
    }

    /**
     * The Sheet button for a loaded workbook of several sheets, naming the sheet read; hidden for any
     * other input (an invisible button takes no room and no Tab stop).
     */
    void showSheets(IdLoadResult loaded) {
        boolean several = loaded != null && loaded.sheets().size() > 1 && loaded.sheet() != null;
        sheetButton.setVisible(several);
        if (several) {
            String name = Fmt.printable(loaded.sheet());
            // 12 of the row's 80 columns: a longer name is cut, the list shows it whole.
            sheetButton.setLabel("Sheet " + (name.length() > 12 ? name.substring(0, 11) + "~" : name));
        }
        updateSourceNote();
    }

    /** Uses pasted text as the input; the path field is cleared. */
    void setPasted(String text) {
        idsPath.setText("");
        pasted = text;
        updateSourceNote();
        changed();
    }

    /** Chooses a query by name (from the list) or path (the file field). */
    void setQuery(String nameOrPath) {
        filling = true;
        try {
            int index = -1;
            List<QueryInfo> items = queries.items();
            for (int i = 0; i < items.size(); i++) {
                if (items.get(i).name().equals(nameOrPath)) {
                    index = i;
                }
            }
            if (index >= 0) {
                queries.setItems(items, index);
                queryPath.setText("");
                queries.showPointer(true);
            } else {
                queryPath.setText(nameOrPath);
                queries.showPointer(false);
            }
            showSql();
        } finally {
            filling = false;
        }
    }

    /** Shows the session's output values in the output fields. */
    void setOutput(SessionSettings s) {
        filling = true;
        try {
            if (!outDir.getText().equals(s.outputDirectory().toString())) {
                outDir.setText(s.outputDirectory().toString());
            }
            if (!pattern.getText().equals(s.filenamePattern())) {
                pattern.setText(s.filenamePattern());
            }
            csv.setChecked(s.formats().contains(Format.CSV));
            xlsx.setChecked(s.formats().contains(Format.XLSX));
            gzip.setChecked(s.csvGzip());
        } finally {
            filling = false;
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Showing state

    /** Loading: the progress bar and a line saying what is read. */
    void showLoading(String what, long done, long total) {
        loadBar.setVisible(true);
        loadBar.setValue(total > 0 ? (int) Math.min(1000, done * 1000 / total) : 0);
        previewRule.setTitle("Preview: loading");
        String amount = total > 0 ? Fmt.bytes(done) + " of " + Fmt.bytes(total) : Fmt.bytes(done);
        preview.setLines(List.of("Loading " + what + ": " + amount + " read; Esc stops loading."));
    }

    /** The loaded input: counts, invalid examples, plan, warnings, problems. */
    void showPreview(Preview p, AppConfig config) {
        loadBar.setVisible(false);
        previewRule.setTitle(p.runnable() ? "Preview: ready to run" : "Preview: cannot run yet");
        preview.setLines(previewLines(p, config));
        preview.scrollHome();
    }

    /** Plain text in the preview area (before anything is loaded, or after a change). */
    void showNote(String title, List<String> lines) {
        loadBar.setVisible(false);
        previewRule.setTitle(title);
        preview.setLines(lines);
        preview.scrollHome();
    }

    /** Enables Run, or disables it showing why not ({@code why}, e.g. "load first (F4)"). */
    void setRunEnabled(boolean enabled, String why) {
        runButton.setEnabled(enabled);
        runButton.setLabel(enabled ? "Run F5/^R" : "Run: " + why);
    }

    void setMessage(String text) {
        message.setText(Fmt.printable(text));
    }

    /**
     * The lines of the preview, most important first: errors, counts, plan, query, warnings, what F5
     * does, then the invalid examples (there may be twenty).
     */
    static List<String> previewLines(Preview p, AppConfig config) {
        List<String> l = new ArrayList<>();
        for (String problem : p.problems()) {
            l.add("Error  " + problem);
        }
        IdLoadResult in = p.input();
        // Warnings come right after the errors, above the counts: at 60x20 the preview shows about six
        // lines, and a warning below the fold is one nobody reads (docs/tui.md, "No traps").
        if (in != null) {
            for (String w : in.warnings()) {
                l.add("Warn   " + w);
            }
        }
        for (String w : p.warnings()) {
            l.add("Warn   " + w);
        }
        AppConfig.Policy policy = config.policy();
        if (!policy.locked().isEmpty()) {
            l.add("Locked " + String.join(", ", new java.util.TreeSet<>(policy.locked())) + " by the policy"
                    + (policy.file() != null ? " (" + policy.file() + ")" : "") + ": this run uses them as set there");
        }
        if (in != null) {
            IdStats s = in.stats();
            l.add("IDs    " + Fmt.count(s.valid()) + " valid, " + Fmt.count(s.duplicates()) + " duplicates, "
                    + Fmt.count(s.invalid()) + " invalid, " + Fmt.count(s.blank()) + " blank: "
                    + Fmt.plural(s.values(), "value", "values") + " on " + Fmt.plural(s.lines(), "line", "lines")
                    + (in.columnName() != null ? ", column " + in.columnName() : ""));
        }
        if (p.plan() != null) {
            l.add("Plan   " + ChunkPlanner.describe(p.plan()) + "; " + config.processing().threadCount()
                    + " workers, " + config.processing().idBinding().name().toLowerCase(Locale.ROOT) + " binding, "
                    + Fmt.plural(config.processing().maxRetries(), "retry", "retries") + " per chunk");
        }
        if (p.template() != null) {
            l.add("Query  " + p.template().name() + " (sha256 " + p.template().sha256().substring(0, 12) + ")");
        }
        if (p.runnable()) {
            l.add("Ready  F5 (or ^R) runs " + Fmt.plural(p.plan().idCount(), "ID", "IDs") + " into "
                    + config.output().defaultDirectory() + " as " + config.output().filenamePattern() + ".*");
        }
        if (in != null) {
            l.add("From   " + p.source().label());
            if (!in.invalidExamples().isEmpty()) {
                l.add("Invalid values" + (in.stats().invalid() > in.invalidExamples().size()
                        ? " (the first " + in.invalidExamples().size() + " of " + Fmt.count(in.stats().invalid())
                        + "; all are counted in the report):" : ":"));
                for (InvalidValue v : in.invalidExamples()) {
                    l.add("       line " + v.line() + ": '" + v.value() + "': " + v.reason());
                }
            }
        }
        return l;
    }

    // ---------------------------------------------------------------------------------------------

    private void changed() {
        if (!filling) {
            callbacks.inputChanged().run();
        }
    }

    private void outputChanged() {
        if (!filling) {
            callbacks.outputChanged().run();
        }
    }

    private void updateSourceNote() {
        if (pasted != null && idsPath.getText().isBlank()) {
            sourceNote.setText("using " + new InputSource.Pasted(pasted).label());
        } else if (sheetButton.isVisible()) {
            sourceNote.setText("blank: automatic");
        } else {
            sourceNote.setText("blank: firm_root_id or the only column");
        }
    }

    private void showCandidates(List<String> names) {
        if (names.isEmpty()) {
            message.setText("");
            return;
        }
        message.setText(Fmt.printable(Fmt.plural(names.size(), "match", "matches") + ": " + String.join("  ",
                names.subList(0, Math.min(names.size(), 30)))));
    }

    private void showSql() {
        String p = queryPath.getText().strip();
        Path file = null;
        if (!p.isEmpty()) {
            file = PathCompletion.resolve(p, cwd, cwd);
        } else if (queries.selected() != null) {
            file = queries.selected().path();
        }
        if (file == null) {
            sql.setLines(List.of("(no query: no .sql files found under sql/queries/; enter a file path above)"));
            parameters.show(List.of());
            return;
        }
        if (!Files.isRegularFile(file)) {
            sql.setLines(List.of("(" + file + " is not a file yet; Tab completes the path)"));
            parameters.show(List.of());
            return;
        }
        try {
            byte[] bytes = Files.readAllBytes(file);
            String text = new String(bytes, 0, Math.min(bytes.length, 64 * 1024), StandardCharsets.UTF_8);
            List<String> lines = new ArrayList<>();
            for (String line : text.split("\r?\n")) {
                if (!line.isBlank()) {
                    lines.add(line.replace('\t', ' '));
                }
            }
            sql.setLines(lines);
            sql.scrollHome();
            showParameters(file, text);
        } catch (IOException e) {
            sql.setLines(List.of("(cannot read " + file + ": " + e.getMessage() + ")"));
            parameters.show(List.of());
        }
    }

    /**
     * The form for the parameters {@code text} declares, as soon as the query is chosen (before any
     * load). A template that does not parse shows no form: loading it reports why.
     */
    private void showParameters(Path file, String text) {
        try {
            String name = file.getFileName().toString().replaceFirst("\\.sql$", "");
            parameters.show(QueryTemplate.parse(name, file, text, true).parameters());
        } catch (TemplateException | RuntimeException e) {
            parameters.show(List.of());
        }
    }

    private static String describe(QueryInfo q, List<QueryInfo> all) {
        int width = 0;
        for (QueryInfo i : all) {
            width = Math.max(width, i.name().length());
        }
        return Fmt.pad(q.name(), width) + "  " + (q.description().isEmpty() ? "(no description)" : q.description());
    }

    private static Label label(String text) {
        return new Label(Fmt.pad(text, LABEL_WIDTH));
    }

    private static Component grow(Component c) {
        c.setLayoutData(LinearLayout.createLayoutData(LinearLayout.Alignment.Fill, LinearLayout.GrowPolicy.CanGrow));
        return c;
    }

    private static Panel row(Component... components) {
        Panel p = new Panel(new LinearLayout(Direction.HORIZONTAL));
        for (Component c : components) {
            p.addComponent(c);
        }
        p.setLayoutData(LinearLayout.createLayoutData(LinearLayout.Alignment.Fill));
        return p;
    }
}
