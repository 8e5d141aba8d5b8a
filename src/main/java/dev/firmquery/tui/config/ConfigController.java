package dev.firmquery.tui.config;

import com.googlecode.lanterna.gui2.Interactable;
import com.googlecode.lanterna.gui2.Panel;
import dev.firmquery.config.AppConfig;
import dev.firmquery.config.LoadedConfig;
import dev.firmquery.config.Setting;
import dev.firmquery.tui.core.Action;
import dev.firmquery.tui.core.GuiThread;
import dev.firmquery.tui.core.UiContext;
import dev.firmquery.tui.core.WindowController;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The configuration window (F7) and the session's values it edits: chunk size, retries and the output
 * choices, which the input window shows too. They apply to the next runs of this session only; the
 * loaded configuration is never written back. All methods on the GUI thread.
 */
public final class ConfigController implements WindowController {
    private final GuiThread gui;
    private AppConfig base;
    private Map<String, Setting> all;
    private List<String> warnings;
    private final Path home;
    private SessionSettings configured;
    private SessionSettings initial;
    private final Runnable onApplied;
    /** The keys the administrator's policy locks: read-only here. */
    private final java.util.Set<String> locked;
    private final ConfigScreen screen;
    private SessionSettings settings;

    /**
     * @param base      the loaded configuration
     * @param all       every key's value and source, as shown in the window
     * @param warnings  configuration warnings to show
     * @param initial   the session's values at start: the configured ones with the start's choices
     *                  ({@link #withChoices})
     * @param cwd       what relative paths are relative to
     * @param home      what {@code ~} stands for
     * @param onApplied called after Apply and Reset (the loaded input is planned again)
     */
    public ConfigController(UiContext ui, AppConfig base, Map<String, Setting> all, List<String> warnings,
                            SessionSettings initial, Path cwd, Path home, Runnable onApplied) {
        this.gui = ui.onGui();
        this.base = base;
        this.all = all;
        this.warnings = warnings;
        this.home = home;
        this.configured = SessionSettings.of(base);
        this.initial = initial;
        this.onApplied = onApplied;
        this.settings = initial;
        this.locked = lockedKeys(all);
        this.screen = new ConfigScreen(ui.glyphs(), cwd, home, locked, this::apply, this::reset);
    }

    /**
     * {@code s} with the output directory and formats chosen at start ({@code firmquery demo --out}),
     * each where not null.
     */
    public static SessionSettings withChoices(SessionSettings s, Path outDir, Set<AppConfig.Format> formats) {
        return new SessionSettings(s.chunkSize(), s.maxRetries(), outDir != null ? outDir : s.outputDirectory(),
                s.filenamePattern(), formats != null ? formats : s.formats(), s.csvGzip());
    }

    @Override
    public Panel root() {
        return screen.root();
    }

    @Override
    public void shown() {
        gui.checkOn("ConfigController.shown");
        screen.setValues(settings);
        showSettings();
    }

    @Override
    public Interactable defaultFocus() {
        return screen.defaultFocus();
    }

    @Override
    public List<Action> keys() {
        return List.of(Action.APPLY, Action.RESET, Action.INPUT, Action.QUIT);
    }

    /** The session's values now. */
    public SessionSettings settings() {
        gui.checkOn("ConfigController.settings");
        return settings;
    }

    /** Takes {@code s} as the session's values (the output choices of the input window). */
    public void use(SessionSettings s) {
        gui.checkOn("ConfigController.use");
        settings = s;
    }

    /** The configuration the next run uses: the loaded one with the session's values. */
    public AppConfig currentConfig() {
        gui.checkOn("ConfigController.currentConfig");
        return settings.applyTo(base);
    }

    /** The folder whose unfinished runs are listed: the session's output directory, as runs write it. */
    public Path outputFolder() {
        gui.checkOn("ConfigController.outputFolder");
        return settings.outputDirectory().toAbsolutePath().normalize();
    }

    /**
     * Takes another environment's configuration as the loaded one (a connection profile switched to): its
     * values, their sources and its warnings. The session's values go back to its configured ones, except
     * the output folder and formats chosen at start, which stay; then the loaded input is planned again.
     */
    public void rebase(LoadedConfig loaded) {
        gui.checkOn("ConfigController.rebase");
        SessionSettings next = SessionSettings.of(loaded.config());
        SessionSettings kept = withChoices(next,
                initial.outputDirectory().equals(configured.outputDirectory()) ? null : initial.outputDirectory(),
                initial.formats().equals(configured.formats()) ? null : initial.formats());
        base = loaded.config();
        all = loaded.settings();
        warnings = loaded.warnings();
        configured = next;
        initial = kept;
        settings = kept;
        screen.setValues(settings);
        showSettings();
        screen.setMessage("");
        onApplied.run();
    }

    /** Apply (M-a) and Reset (M-z), which act only while the configuration window is {@code shown}. */
    public void key(Action action, boolean shown) {
        if (shown && action == Action.APPLY) {
            apply();
        } else if (shown && action == Action.RESET) {
            reset();
        }
    }

    /** Apply (M-a): takes the edited values, or says what is wrong with them. */
    public void apply() {
        gui.checkOn("ConfigController.apply");
        SessionSettings.Parsed parsed = screen.values(home);
        if (!parsed.ok()) {
            screen.setMessage(String.join("; ", parsed.problems()));
            return;
        }
        // A read-only field cannot be typed into; its value is still taken from what the policy fixed.
        settings = parsed.settings().keeping(locked, configured);
        showSettings();
        screen.setMessage("Applied to the next runs of this session.");
        onApplied.run();
    }

    /** Reset (M-z): back to the values the session started with. */
    public void reset() {
        gui.checkOn("ConfigController.reset");
        settings = initial;
        screen.setValues(settings);
        showSettings();
        screen.setMessage("Back to the configured values.");
        onApplied.run();
    }

    private static java.util.Set<String> lockedKeys(Map<String, Setting> all) {
        java.util.Set<String> keys = new java.util.HashSet<>();
        for (Setting s : all.values()) {
            if (s.locked()) {
                keys.add(s.key());
            }
        }
        return java.util.Set.copyOf(keys);
    }

    private void showSettings() {
        screen.setSettings(all, settings.differencesFrom(configured), warnings);
    }
}
