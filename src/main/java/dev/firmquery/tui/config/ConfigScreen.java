package dev.firmquery.tui.config;

import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.gui2.Button;
import com.googlecode.lanterna.gui2.CheckBox;
import com.googlecode.lanterna.gui2.Component;
import com.googlecode.lanterna.gui2.Direction;
import com.googlecode.lanterna.gui2.Interactable;
import com.googlecode.lanterna.gui2.Label;
import com.googlecode.lanterna.gui2.LinearLayout;
import com.googlecode.lanterna.gui2.Panel;
import com.googlecode.lanterna.gui2.TextBox;
import dev.firmquery.config.AppConfig.Format;
import dev.firmquery.config.ConfigKey;
import dev.firmquery.config.Setting;
import dev.firmquery.tui.widget.Fmt;
import dev.firmquery.tui.widget.Glyphs;
import dev.firmquery.tui.widget.LinesView;
import dev.firmquery.tui.widget.PathField;
import dev.firmquery.tui.widget.Rule;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The configuration window: the session's editable values (chunk size, retries, output directory,
 * formats, file name pattern) and every effective setting with where it came from. Edits apply to the
 * runs of this session only; the configuration files are never written. A value the administrator's
 * policy locks ({@code policy.locked}) is shown read-only, marked "locked by policy".
 */
final class ConfigScreen {
    private static final int LABEL_WIDTH = 11;

    private final Panel root = new Panel(new LinearLayout(Direction.VERTICAL));
    private final TextBox chunkSize = new TextBox(new TerminalSize(7, 1));
    private final TextBox retries = new TextBox(new TerminalSize(7, 1));
    private final PathField outDir;
    private final CheckBox csv = new CheckBox("CSV");
    private final CheckBox xlsx = new CheckBox("XLSX");
    private final CheckBox gzip = new CheckBox("gzip CSV");
    private final TextBox pattern = new TextBox(new TerminalSize(24, 1));
    private final Label message = new Label("");
    private final LinesView settings;

    /**
     * @param locked  the keys the policy locks: their fields are read-only
     * @param onApply called with the parsed form when Apply is pressed
     * @param onReset called when Reset is pressed
     */
    ConfigScreen(Glyphs glyphs, Path cwd, Path home, java.util.Set<String> locked, Runnable onApply, Runnable onReset) {
        this.outDir = new PathField(40, cwd, home, true, names -> message.setText(
                names.isEmpty() ? "" : Fmt.printable(String.join("  ", names))));
        this.settings = new LinesView(glyphs, 6, false);
        chunkSize.setValidationPattern(Pattern.compile("[0-9_,]*"));
        retries.setValidationPattern(Pattern.compile("[0-9]*"));
        root.addComponent(new Rule(glyphs, "Session values: used by the next runs of this session, never saved"),
                fill());
        root.addComponent(row(label("Chunk size"), chunkSize, new Label(hint(ConfigKey.PROCESSING_CHUNK_SIZE, locked))));
        root.addComponent(row(label("Retries"), retries, new Label(hint(ConfigKey.PROCESSING_MAX_RETRIES, locked))));
        root.addComponent(row(label("Output dir"), grow(outDir)));
        root.addComponent(row(label("Formats"), csv, xlsx, gzip, new Label(" Name"), grow(pattern)));
        root.addComponent(row(new Button("Apply M-a", onApply), new Button("Reset M-z", onReset), grow(message)));
        root.addComponent(new Rule(glyphs, "Effective configuration: value (where it came from)"), fill());
        root.addComponent(settings, LinearLayout.createLayoutData(LinearLayout.Alignment.Fill,
                LinearLayout.GrowPolicy.CanGrow));
        lock(locked);
    }

    /** Makes the fields of the locked keys read-only (a text box) or disabled (a check box). */
    private void lock(java.util.Set<String> locked) {
        chunkSize.setReadOnly(locked.contains(ConfigKey.PROCESSING_CHUNK_SIZE.key()));
        retries.setReadOnly(locked.contains(ConfigKey.PROCESSING_MAX_RETRIES.key()));
        outDir.setReadOnly(locked.contains(ConfigKey.OUTPUT_DEFAULT_DIRECTORY.key()));
        pattern.setReadOnly(locked.contains(ConfigKey.OUTPUT_FILENAME_PATTERN.key()));
        boolean formats = locked.contains(ConfigKey.OUTPUT_FORMATS.key());
        csv.setEnabled(!formats);
        xlsx.setEnabled(!formats);
        gzip.setEnabled(!locked.contains(ConfigKey.OUTPUT_CSV_GZIP.key()));
    }

    Panel root() {
        return root;
    }

    Interactable defaultFocus() {
        return chunkSize;
    }

    /** JSON Lines as the shown settings had it: the form has no box for it, so it is kept as it was. */
    private boolean jsonl;

    /** Fills the form from {@code s}. */
    void setValues(SessionSettings s) {
        chunkSize.setText(Integer.toString(s.chunkSize()));
        retries.setText(Integer.toString(s.maxRetries()));
        outDir.setText(s.outputDirectory().toString());
        pattern.setText(s.filenamePattern());
        csv.setChecked(s.formats().contains(Format.CSV));
        xlsx.setChecked(s.formats().contains(Format.XLSX));
        gzip.setChecked(s.csvGzip());
        jsonl = s.formats().contains(Format.JSONL);
    }

    /** The form as typed. */
    SessionSettings.Parsed values(Path home) {
        return SessionSettings.parse(chunkSize.getText(), retries.getText(), outDir.getText(), pattern.getText(),
                csv.isChecked(), xlsx.isChecked(), jsonl, gzip.isChecked(), home);
    }

    void setMessage(String text) {
        message.setText(Fmt.printable(text));
    }

    /**
     * Lists every setting; keys in {@code session} show the session's value and "this session".
     *
     * @param warnings configuration warnings, listed after the settings
     */
    void setSettings(Map<String, Setting> all, Map<String, String> session, List<String> warnings) {
        settings.setLines(settingLines(all, session, warnings));
    }

    /** The lines of the settings list; also used by tests. */
    static List<String> settingLines(Map<String, Setting> all, Map<String, String> session, List<String> warnings) {
        int width = 0;
        for (String k : all.keySet()) {
            width = Math.max(width, k.length());
        }
        List<String> l = new ArrayList<>();
        for (Setting s : all.values()) {
            String value = session.containsKey(s.key()) ? session.get(s.key()) : s.value();
            String source = session.containsKey(s.key()) ? "edited in this session" : s.source();
            l.add(Fmt.pad(s.key(), width) + " = " + value + "   (" + source + ")" + (s.locked() ? "  locked by policy" : ""));
        }
        for (String w : warnings) {
            l.add("warning: " + w);
        }
        return l;
    }

    /** What a whole-number field means and takes: {@code IDs per statement, 1 to 10,000 (processing.chunk_size)}. */
    static String hint(ConfigKey key) {
        return key.plainDescription() + ", " + SessionSettings.range(key) + " (" + key + ")";
    }

    /** {@link #hint(ConfigKey)}, or that the policy locks it. */
    static String hint(ConfigKey key, java.util.Set<String> locked) {
        return locked.contains(key.key()) ? "locked by policy, read-only (" + key + ")" : hint(key);
    }

    private static Label label(String text) {
        return new Label(Fmt.pad(text, LABEL_WIDTH));
    }

    private static Component grow(Component c) {
        c.setLayoutData(LinearLayout.createLayoutData(LinearLayout.Alignment.Fill, LinearLayout.GrowPolicy.CanGrow));
        return c;
    }

    private static com.googlecode.lanterna.gui2.LayoutData fill() {
        return LinearLayout.createLayoutData(LinearLayout.Alignment.Fill);
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
