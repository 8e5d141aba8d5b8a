package dev.firmquery.testing;

import dev.firmquery.config.AppConfig;
import dev.firmquery.config.ConfigException;
import dev.firmquery.config.ConfigLoader;
import dev.firmquery.config.ConfigRequest;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Effective configurations for tests, loaded the way users get theirs: defaults plus overrides. */
public final class TestConfigs {
    private TestConfigs() {
    }

    /** The project directory (surefire sets {@code firmquery.home}). */
    public static Path home() {
        String h = System.getProperty("firmquery.home");
        return h == null ? Paths.get("").toAbsolutePath() : Paths.get(h);
    }

    /** The environment a user would set to reach {@code db} with password auth. */
    public static Map<String, String> environment(TestPostgres.TestDatabase db) {
        Map<String, String> env = new HashMap<>();
        env.put("FIRMQUERY_DATABASE_HOST", db.host());
        env.put("FIRMQUERY_DATABASE_PORT", Integer.toString(db.port()));
        env.put("FIRMQUERY_DATABASE_DATABASE", db.name());
        env.put("FIRMQUERY_DATABASE_USER", db.user());
        env.put("FIRMQUERY_DATABASE_AUTH", "password");
        env.put("FIRMQUERY_DATABASE_SSL_MODE", "disable");
        if (db.password() != null) {
            env.put("FIRMQUERY_DATABASE_PASSWORD", db.password());
        }
        return env;
    }

    /**
     * The configuration for {@code db} with {@code overrides} ({@code section.key=value}) applied.
     *
     * @param userHome a directory without a user config file (a test's temp dir)
     */
    public static AppConfig forDatabase(TestPostgres.TestDatabase db, Path userHome, String... overrides) {
        try {
            return new ConfigLoader(home(), environment(db), userHome)
                    .load(new ConfigRequest(null, null, List.of(overrides))).config();
        } catch (ConfigException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }
}
