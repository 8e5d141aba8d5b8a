package dev.firmquery.tui;

import dev.firmquery.config.ConfigException;
import dev.firmquery.config.ConfigLoader;
import dev.firmquery.config.ConfigRequest;
import dev.firmquery.config.LoadedConfig;
import dev.firmquery.run.RunSetup;
import dev.firmquery.testing.TestConfigs;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** UI sessions for tests: the shipped defaults and queries, a temp home and working directory. */
public final class Sessions {
    private Sessions() {
    }

    /** A terminal environment: UTF-8 locale, xterm. */
    public static Map<String, String> terminal() {
        Map<String, String> env = new HashMap<>();
        env.put("LANG", "C.UTF-8");
        env.put("TERM", "xterm-256color");
        return env;
    }

    /**
     * A session over {@code dir} (working directory and home), with {@code env} added to the terminal
     * environment and {@code sets} as {@code --set} overrides.
     */
    public static TuiSession session(Path dir, Map<String, String> env, TuiSession.Preselection preselect, String... sets) {
        return session(dir, null, env, preselect, sets);
    }

    /** As {@link #session(Path, Map, TuiSession.Preselection, String...)}, with {@code home}'s {@code sql/queries} in the query list too (null: none). */
    public static TuiSession session(Path dir, Path home, Map<String, String> env, TuiSession.Preselection preselect,
                                     String... sets) {
        Map<String, String> all = terminal();
        all.putAll(env);
        all.putIfAbsent("FIRMQUERY_LOGGING_DIRECTORY", dir.resolve("logs").toString());
        return build(dir, home, null, all, null, preselect, sets);
    }

    /**
     * A session started with {@code --env environment} (null: none) over {@code appHome}'s configuration
     * (its {@code config/environments}), {@code env} being the whole process environment; with the
     * connection profiles, as the real UI has them.
     */
    public static TuiSession session(Path dir, Path appHome, Map<String, String> env, String environment,
                                     TuiSession.Preselection preselect, String... sets) {
        return build(dir, null, appHome, env, environment, preselect, sets);
    }

    private static TuiSession build(Path dir, Path queryHome, Path appHome, Map<String, String> env, String environment,
                                    TuiSession.Preselection preselect, String... sets) {
        ConfigLoader loader = new ConfigLoader(appHome == null ? TestConfigs.home() : appHome, env, dir);
        ConfigRequest request = new ConfigRequest(null, environment, List.of(sets));
        LoadedConfig loaded;
        try {
            loaded = loader.load(request);
        } catch (ConfigException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        return TuiSession.of(loaded, env, RunSetup.queryRoots(TestConfigs.home(), queryHome), dir, dir, preselect)
                .withConfigSource(loader, request);
    }

    public static TuiSession session(Path dir, String... sets) {
        return session(dir, Map.of(), TuiSession.Preselection.none(), sets);
    }
}
