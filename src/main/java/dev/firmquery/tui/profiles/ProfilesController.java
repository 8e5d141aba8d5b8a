package dev.firmquery.tui.profiles;

import dev.firmquery.app.ConnectionCheck;
import dev.firmquery.app.SessionException;
import dev.firmquery.config.AppConfig;
import dev.firmquery.config.ConfigLoader;
import dev.firmquery.config.ConfigRequest;
import dev.firmquery.config.LoadedConfig;
import dev.firmquery.config.Setting;
import dev.firmquery.db.Database;
import dev.firmquery.tui.core.Action;
import dev.firmquery.tui.core.GuiThread;
import dev.firmquery.tui.core.UiContext;
import dev.firmquery.tui.widget.Fmt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The connection profiles ({@link Action#PROFILES}): lists the environments {@code --env} accepts
 * ({@link ConfigLoader#environments()}), shows what the chosen one changes (its configuration loaded as
 * {@code --env NAME} would load it, beside the session's), tests its connection with the steps of
 * {@code firmquery check} ({@link ConnectionCheck}) before it is used, and switches the session to it:
 * the database session is replaced (the old pool closed) and the configuration window and the next runs
 * take its values. Everything that reads files or the network runs on the background executor
 * ({@code firmquery-profiles-N}, {@code firmquery-check-N}, {@code firmquery-switch-N}); answers that come
 * back after the user moved on are dropped. All public methods on the GUI thread.
 */
public final class ProfilesController {
    private static final Logger log = LoggerFactory.getLogger(ProfilesController.class);
    private static final String KEYS = "t test  s switch  Tab text, PgDn scrolls  Esc closes";

    /** Replaces the session's database session by one for a configuration; blocks (a Kerberos login). */
    @FunctionalInterface
    public interface SessionSwitch {
        /**
         * @throws SessionException     the new session cannot be opened; the old one stays
         * @throws IllegalStateException a run is executing
         */
        void switchTo(AppConfig config) throws SessionException;
    }

    /**
     * The environment now in use.
     *
     * @param environment its name, or null for none
     * @param loaded      its configuration
     * @param label       the status bar's database label, e.g. {@code dev: localhost:5432/postgres}
     */
    public record InUse(String environment, LoadedConfig loaded, String label) {
    }

    private final UiContext ui;
    private final GuiThread gui;
    private final ConfigLoader loader;
    private final ConfigRequest request;
    private final Map<String, String> environment;
    private final SessionSwitch sessions;
    private final BooleanSupplier runActive;
    private final Consumer<InUse> switched;
    private final ProfilesDialog dialog;
    private InUse inUse;
    /** Counts what the window asked for: an answer for an older request is dropped. */
    private long asked;
    private Preview preview;
    private boolean testing;
    private boolean switching;

    /**
     * Where the profiles come from.
     *
     * @param loader      loads the configuration of another environment; null where there are no profiles
     *                    (the demo's own database)
     * @param request     the session's {@code --config} and {@code --set} (its {@code --env} is replaced)
     * @param environment the process environment, for the connection test's password and Kerberos variables
     * @param start       the environment the session started with
     */
    public record Source(ConfigLoader loader, ConfigRequest request, Map<String, String> environment, InUse start) {
        public Source {
            environment = Map.copyOf(environment);
        }
    }

    /**
     * @param sessions  replaces the database session
     * @param runActive whether a run is going (a switch is refused then)
     * @param switched  told on the GUI thread after a switch: the configuration and label to use now
     */
    public ProfilesController(UiContext ui, Source source, SessionSwitch sessions, BooleanSupplier runActive,
                              Consumer<InUse> switched) {
        this.ui = ui;
        this.gui = ui.onGui();
        this.loader = source.loader();
        this.request = source.request();
        this.environment = source.environment();
        this.sessions = sessions;
        this.runActive = runActive;
        this.switched = switched;
        this.dialog = new ProfilesDialog(ui.gui(), ui.glyphs());
        this.inUse = source.start();
    }

    /** The status bar's database label for {@code db} in {@code environment} (null: none). */
    public static String label(String environment, AppConfig.Database db) {
        return (environment == null ? "" : environment + ": ") + Database.describe(db);
    }

    /** The environment in use now. */
    public InUse inUse() {
        gui.checkOn("ProfilesController.inUse");
        return inUse;
    }

    /** Opens the window: lists the environments off the GUI thread, then shows them. */
    public void open() {
        gui.checkOn("ProfilesController.open");
        if (ui.dialogs().anyOpen()) {
            return;
        }
        if (loader == null) {
            ui.dialogs().message("Connection profiles", "This session runs on its own database (the demo's throwaway "
                    + "server): there are no environments to switch to. Start firmquery without demo, e.g. "
                    + "firmquery --env dev, to use the connection profiles.", () -> { });
            return;
        }
        ui.background().run("profiles", () -> {
            gui.checkOff("listing the environments");
            List<ConfigLoader.Overlay> overlays = loader.environments();
            gui.execute(() -> {
                if (!ui.dialogs().anyOpen()) {
                    dialog.open(overlays, inUse.environment(), new ProfilesDialog.Actions(this::chosen, this::test,
                            this::switchTo, this::escape, this::closed));
                }
            });
        });
    }

    private static String name(ConfigLoader.Overlay o) {
        return o.name().equals(ProfilesDialog.NONE) ? null : o.name();
    }

    /** The chosen entry moved: loads what it changes. */
    private void chosen(ConfigLoader.Overlay o) {
        long id = ++asked;
        testing = false;
        preview = null;
        String env = name(o);
        dialog.show("Loading " + o.name() + "...", List.of(), KEYS);
        Map<String, Setting> current = inUse.loaded().settings();
        ui.background().run("profiles", () -> {
            gui.checkOff("loading the configuration of an environment");
            Preview p = Preview.load(loader, request, env, current);
            gui.execute(() -> {
                if (id == asked && dialog.isOpen()) {
                    preview = p;
                    showPreview(o, p);
                }
            });
        });
    }

    private void showPreview(ConfigLoader.Overlay o, Preview p) {
        String title = dialog.isInUse(o) ? o.name() + " (in use)"
                : p.usable() ? "What " + o.name() + " changes: " + Fmt.plural(p.changes().size(), "setting", "settings")
                : o.name() + ": cannot be used";
        dialog.show(title, ProfilesDialog.describe(p), KEYS);
    }

    /** t: the connection test of the chosen environment, step by step. */
    private void test(ConfigLoader.Overlay o) {
        if (switching || o == null) {
            return;
        }
        Preview p = preview;
        if (p == null) {
            dialog.status("Still loading " + o.name() + "; press t again in a moment.");
            return;
        }
        if (!p.usable()) {
            dialog.status("Cannot test " + o.name() + ": fix its configuration errors first (above).");
            return;
        }
        long id = ++asked;
        testing = true;
        LoadedConfig loaded = p.loaded();
        dialog.show("Testing " + o.name() + ": " + ConnectionCheck.heading(loaded.config().database()), List.of(),
                "Testing... Esc abandons the test");
        ui.background().run("check", () -> {
            gui.checkOff("testing a connection");
            List<ConnectionCheck.Step> steps = new ConnectionCheck(environment, s -> gui.execute(() -> {
                if (id == asked && dialog.isOpen()) {
                    dialog.append(List.of(ProfilesDialog.step(s)));
                }
            })).run(loaded);
            gui.execute(() -> {
                if (id == asked && dialog.isOpen()) {
                    testing = false;
                    dialog.append(List.of("", ConnectionCheck.summary(steps)));
                    dialog.status(ConnectionCheck.summary(steps) + "  Esc closes");
                }
            });
        });
    }

    /** Esc: abandons a pending test (the window stays), else lets the window close; waits out a switch. */
    private boolean escape() {
        if (switching) {
            dialog.status("Switching... the window closes once the new connections are set up.");
            return true;
        }
        if (testing) {
            testing = false;
            ++asked;
            AppConfig.Database db = preview.loaded().config().database();
            dialog.append(List.of("", "Test abandoned. A connection attempt under way ends by itself within "
                    + Fmt.seconds(db.connectionTimeout()) + " (database.connection_timeout)."));
            dialog.status("Abandoned. " + KEYS);
            return true;
        }
        return false;
    }

    private void closed() {
        ++asked;
        testing = false;
        preview = null;
    }

    /** s / Enter: switches the session to the chosen environment, unless a run is going. */
    private void switchTo(ConfigLoader.Overlay o) {
        if (switching || o == null) {
            return;
        }
        if (runActive.getAsBoolean()) {
            // 75 characters: the whole message fits the window's 76-column status row at 80x24.
            dialog.status("A run is in progress: switch after it ends, or cancel it (Esc in Progress).");
            return;
        }
        Preview p = preview;
        if (p == null) {
            dialog.status("Still loading " + o.name() + "; press s again in a moment.");
            return;
        }
        if (!p.usable()) {
            dialog.status("Cannot switch to " + o.name() + ": fix its configuration errors first (above).");
            return;
        }
        if (dialog.isInUse(o)) {
            dialog.status(o.name() + " is already in use.");
            return;
        }
        ++asked;
        testing = false;
        switching = true;
        dialog.status("Switching to " + o.name() + ": closing the old connections, setting up the new ones...");
        LoadedConfig loaded = p.loaded();
        ui.background().run("switch", () -> {
            gui.checkOff("switching the database session");
            String error = null;
            try {
                sessions.switchTo(loaded.config());
            } catch (SessionException | IllegalStateException e) {
                log.warn("switching to environment {} failed", o.name(), e);
                error = e.getMessage();
            }
            String failed = error;
            gui.execute(() -> {
                switching = false;
                if (failed != null) {
                    if (dialog.isOpen()) {
                        dialog.status("Not switched: " + failed);
                        dialog.append(List.of("", "Not switched, still on " + inUse.label() + ": " + failed));
                    }
                    return;
                }
                inUse = new InUse(name(o), loaded, label(name(o), loaded.config().database()));
                log.info("switched to environment {}", o.name());
                switched.accept(inUse);
                if (dialog.isOpen()) {
                    dialog.inUse(inUse.environment());
                    List<String> lines = new ArrayList<>(dialog.lines());
                    lines.add("");
                    lines.add("Switched: the next runs use " + inUse.label() + ".");
                    dialog.show(o.name() + " (in use)", lines, "Switched to " + o.name() + ". " + KEYS);
                }
            });
        });
    }
}
