package dev.firmquery.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The configuration keys firmquery knows, their environment-variable names, and "did you mean"
 * suggestions for misspelt keys. The single list of keys; {@code config/default.yaml} and
 * {@code docs/configuration.md} follow it.
 */
public final class ConfigKeys {

    /** The sections, in the order of {@code config/default.yaml}. */
    public static final List<String> SECTIONS =
            List.of("application", "database", "kerberos", "processing", "output", "logging");

    private static final List<String> KEYS = List.of(
            "application.max_input_ids",
            "application.warning_threshold",
            "database.host",
            "database.port",
            "database.database",
            "database.user",
            "database.auth",
            "database.ssl_mode",
            "database.connection_timeout",
            "database.query_timeout",
            "database.max_connections",
            "database.max_connection_age",
            "kerberos.mode",
            "kerberos.spn",
            "kerberos.krb5_conf",
            "kerberos.jaas_conf",
            "kerberos.jaas_entry",
            "kerberos.ticket_cache",
            "kerberos.keytab",
            "kerberos.principal",
            "kerberos.expired_wait",
            "kerberos.renew",
            "processing.chunk_size",
            "processing.max_query_length",
            "processing.max_retries",
            "processing.retry_delay",
            "processing.thread_count",
            "processing.id_type",
            "processing.id_pattern",
            "processing.id_binding",
            "processing.allow_writes",
            "processing.fetch_size",
            "processing.id_order",
            "processing.generic_plans",
            "processing.outage_wait",
            "output.default_directory",
            "output.filename_pattern",
            "output.formats",
            "output.csv_gzip",
            "output.csv_formula_guard",
            "output.file_mode",
            "logging.directory");

    /**
     * Keys whose empty value means "unset" or "work it out": they may be absent from every source.
     * Every other key must be set somewhere (normally in {@code config/default.yaml}).
     */
    static final Set<String> OPTIONAL_KEYS = Set.of(
            "database.user", "database.ssl_mode",
            "kerberos.spn", "kerberos.krb5_conf", "kerberos.jaas_conf", "kerberos.jaas_entry",
            "kerberos.ticket_cache", "kerberos.keytab", "kerberos.principal");

    /** The key that is refused everywhere: passwords never live in files or on the command line. */
    static final String PASSWORD_KEY = "database.password";

    static final String ENV_PREFIX = "FIRMQUERY_";

    /**
     * {@code FIRMQUERY_} variables that are not configuration keys but are read elsewhere (the launcher's
     * {@code FIRMQUERY_HOME} and {@code FIRMQUERY_OPTS}, the database password), so they are ignored
     * without a warning.
     */
    public static final Set<String> IGNORED_ENVIRONMENT_VARIABLES =
            Set.of("FIRMQUERY_HOME", "FIRMQUERY_DATABASE_PASSWORD", "FIRMQUERY_OPTS");

    private ConfigKeys() {
    }

    /** Every known key as {@code section.key}, in the order of {@code config/default.yaml}. */
    public static List<String> keys() {
        return KEYS;
    }

    /** Whether {@code key} is a configuration key ({@code section.key}). */
    public static boolean isKnown(String key) {
        return KEYS.contains(key);
    }

    /** The environment variable that sets {@code key}: {@code processing.chunk_size} → {@code FIRMQUERY_PROCESSING_CHUNK_SIZE}. */
    public static String environmentVariable(String key) {
        return ENV_PREFIX + key.replace('.', '_').toUpperCase(Locale.ROOT);
    }

    /**
     * The key an environment variable names, by matching a known section after {@code FIRMQUERY_} and
     * lowercasing the rest; the key may be unknown. Empty when no section matches.
     */
    static Optional<String> keyOfEnvironmentVariable(String variable) {
        if (!variable.startsWith(ENV_PREFIX)) {
            return Optional.empty();
        }
        String rest = variable.substring(ENV_PREFIX.length()).toUpperCase(Locale.ROOT);
        for (String section : SECTIONS) {
            String prefix = section.toUpperCase(Locale.ROOT) + "_";
            if (rest.startsWith(prefix) && rest.length() > prefix.length()) {
                return Optional.of(section + "." + rest.substring(prefix.length()).toLowerCase(Locale.ROOT));
            }
        }
        return Optional.empty();
    }

    /**
     * The known key closest to a misspelt one: by edit distance over the whole key (catches
     * {@code processing.chunksize}), else by the part after the section (catches a key put in the wrong
     * section or at the top level, e.g. {@code database.chunk_size} or {@code chunk_size}).
     */
    static Optional<String> suggestKey(String unknown) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String key : KEYS) {
            int d = EditDistance.optimalStringAlignment(unknown.toLowerCase(Locale.ROOT), key);
            if (d < bestDistance) {
                best = key;
                bestDistance = d;
            }
        }
        if (best != null && bestDistance <= tolerance(unknown)) {
            return Optional.of(best);
        }
        String lower = unknown.toLowerCase(Locale.ROOT);
        int dot = lower.indexOf('.');
        if (dot > 0 && dot < lower.length() - 1) {
            // A shortened or lengthened key in the right section: database.ssl, processing.chunk_size_ids.
            String section = lower.substring(0, dot + 1);
            String rest = lower.substring(dot + 1);
            for (String key : KEYS) {
                if (key.startsWith(section) && (key.startsWith(lower) || rest.startsWith(leaf(key)))) {
                    return Optional.of(key);
                }
            }
        }
        String leaf = leaf(unknown).toLowerCase(Locale.ROOT);
        best = null;
        bestDistance = Integer.MAX_VALUE;
        for (String key : KEYS) {
            int d = EditDistance.optimalStringAlignment(leaf, leaf(key));
            if (d < bestDistance) {
                best = key;
                bestDistance = d;
            }
        }
        return best != null && bestDistance <= Math.min(2, tolerance(leaf)) ? Optional.of(best) : Optional.empty();
    }

    /** Like {@link #suggestKey} for a {@code FIRMQUERY_...} variable, answering with a variable name. */
    static Optional<String> suggestEnvironmentVariable(String variable) {
        List<String> candidates = new ArrayList<>();
        for (String key : KEYS) {
            candidates.add(environmentVariable(key));
        }
        candidates.addAll(IGNORED_ENVIRONMENT_VARIABLES);
        String upper = variable.toUpperCase(Locale.ROOT);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            int d = EditDistance.optimalStringAlignment(upper, candidate);
            if (d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        if (best != null && bestDistance <= tolerance(variable.substring(Math.min(variable.length(), ENV_PREFIX.length())))) {
            return Optional.of(best);
        }
        Optional<String> key = keyOfEnvironmentVariable(upper);
        return key.flatMap(ConfigKeys::suggestKey).map(ConfigKeys::environmentVariable);
    }

    /** The keys of one section without the section prefix, for "the keys of section x are ..." hints. */
    static List<String> keysOfSection(String section) {
        List<String> result = new ArrayList<>();
        for (String key : KEYS) {
            if (key.startsWith(section + ".")) {
                result.add(key.substring(section.length() + 1));
            }
        }
        return result;
    }

    private static int tolerance(String s) {
        return Math.max(2, s.length() / 5);
    }

    private static String leaf(String key) {
        int dot = key.lastIndexOf('.');
        return dot < 0 ? key : key.substring(dot + 1);
    }
}
