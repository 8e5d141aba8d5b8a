package dev.firmquery.tui;

import dev.firmquery.config.AppConfig;
import dev.firmquery.config.AppConfig.Format;
import dev.firmquery.config.ConfigLoader;
import dev.firmquery.config.ConfigRequest;
import dev.firmquery.config.LoadedConfig;
import dev.firmquery.config.Setting;
import dev.firmquery.db.Database;
import dev.firmquery.tui.profiles.ProfilesController;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Everything the full-screen UI is started with; immutable.
 *
 * @param config            the effective configuration (the demo's points at its own database)
 * @param settings          every key's value and where it came from, for the configuration window
 * @param configWarnings    configuration warnings to show there
 * @param environment       the process environment (terminal type and locale decide the glyphs)
 * @param queryRoots        where named queries are found ({@code sql/queries} of the app home and the
 *                          current directory)
 * @param workingDirectory  what relative paths are relative to, and where the file browser starts
 * @param userHome          what {@code ~} stands for
 * @param preselect         what the input window starts with
 * @param databaseLabel     the database target as shown in the status bar, e.g. {@code db.example:26257/firms}
 * @param credentialsStatus the Kerberos hook (docs/kerberos.md, "For developers"): principal and
 *                          ticket time left, e.g. {@code ana@CORP.EXAMPLE 7h12m left}; empty when there is nothing to show. Called
 *                          about once a second on the UI's timer thread, never on the GUI thread; it must
 *                          not block for long and must not throw.
 * @param configSource      how the configuration was loaded, for the connection profiles (another
 *                          {@code --env} loaded the same way); null where the session's database is not the
 *                          configured one (the demo's throwaway server)
 */
public record TuiSession(AppConfig config, Map<String, Setting> settings, List<String> configWarnings,
                         Map<String, String> environment, List<Path> queryRoots, Path workingDirectory, Path userHome,
                         Preselection preselect, String databaseLabel, Supplier<Optional<String>> credentialsStatus,
                         ConfigSource configSource) {

    /**
     * The loader and the command line's request ({@code --config}, {@code --env}, {@code --set}) the
     * session's configuration came from.
     */
    public record ConfigSource(ConfigLoader loader, ConfigRequest request) {
        public ConfigSource {
            java.util.Objects.requireNonNull(loader, "loader");
            java.util.Objects.requireNonNull(request, "request");
        }
    }

    public TuiSession {
        settings = java.util.Collections.unmodifiableMap(new TreeMap<>(settings));
        configWarnings = List.copyOf(configWarnings);
        environment = Map.copyOf(environment);
        queryRoots = List.copyOf(queryRoots);
    }

    /**
     * What the input window is filled with at start; every field may be null.
     *
     * @param ids     an ID file; loaded at once when the query is known too
     * @param query   a query name or path
     * @param outDir  the output directory (overrides {@code output.default_directory} for the session)
     * @param formats the output formats (override {@code output.formats} for the session)
     */
    public record Preselection(Path ids, String query, Path outDir, Set<Format> formats) {
        public Preselection {
            formats = formats == null ? null : Set.copyOf(formats);
        }

        /** Nothing chosen yet. */
        public static Preselection none() {
            return new Preselection(null, null, null, null);
        }
    }

    /**
     * A session for a loaded configuration, with no credentials status (until Kerberos fills the hook).
     */
    public static TuiSession of(LoadedConfig loaded, Map<String, String> environment, List<Path> queryRoots,
                                Path workingDirectory, Path userHome, Preselection preselect) {
        return new TuiSession(loaded.config(), loaded.settings(), loaded.warnings(), environment, queryRoots,
                workingDirectory, userHome, preselect, Database.describe(loaded.config().database()), Optional::empty, null);
    }

    /**
     * This session pointed at another database (the demo's throwaway server): the configuration, the
     * settings shown with {@code source} as their origin, and the status bar label.
     */
    public TuiSession withDatabase(AppConfig.Database db, String source, String label) {
        AppConfig c = new AppConfig(config.application(), db, config.kerberos(), config.processing(), config.output(),
                config.logging(), config.policy(), config.metrics());
        Map<String, Setting> s = new LinkedHashMap<>(settings);
        put(s, "database.host", db.host(), source);
        put(s, "database.port", Integer.toString(db.port()), source);
        put(s, "database.database", db.database(), source);
        put(s, "database.user", db.user(), source);
        put(s, "database.auth", db.auth().name().toLowerCase(Locale.ROOT), source);
        put(s, "database.ssl_mode", db.sslMode(), source);
        // Another environment would leave the demo's own server: no connection profiles here.
        return new TuiSession(c, s, configWarnings, environment, queryRoots, workingDirectory, userHome, preselect,
                label, credentialsStatus, null);
    }

    /** This session with the Kerberos status hook filled in (docs/kerberos.md, "For developers"). */
    public TuiSession withCredentialsStatus(Supplier<Optional<String>> status) {
        return new TuiSession(config, settings, configWarnings, environment, queryRoots, workingDirectory, userHome,
                preselect, databaseLabel, status, configSource);
    }

    /** This session with the connection profiles: other environments are loaded by {@code loader} like {@code request}. */
    public TuiSession withConfigSource(ConfigLoader loader, ConfigRequest request) {
        return new TuiSession(config, settings, configWarnings, environment, queryRoots, workingDirectory, userHome,
                preselect, databaseLabel, credentialsStatus, new ConfigSource(loader, request));
    }

    /**
     * What the connection profiles start from: the loader and request of the session's configuration
     * (none in the demo) and the environment in use, labelled for the status bar.
     */
    public ProfilesController.Source profiles() {
        String env = configSource == null ? null : configSource.request().environment();
        String label = configSource == null ? databaseLabel : ProfilesController.label(env, config.database());
        return new ProfilesController.Source(configSource == null ? null : configSource.loader(),
                configSource == null ? null : configSource.request(), environment,
                new ProfilesController.InUse(env, new LoadedConfig(config, configWarnings, settings), label));
    }

    private static void put(Map<String, Setting> s, String key, String value, String source) {
        s.put(key, new Setting(key, value, source));
    }
}
