package dev.firmquery.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * "Did you mean" suggestions for misspelt keys and {@code FIRMQUERY_} variables, over the keys of
 * {@link ConfigKey}.
 */
final class KeySuggestions {

    private KeySuggestions() {
    }

    /**
     * The known key closest to a misspelt one: by edit distance over the whole key (catches
     * {@code processing.chunksize}), else by the part after the section (catches a key put in the wrong
     * section or at the top level, e.g. {@code database.chunk_size} or {@code chunk_size}).
     */
    static Optional<String> suggestKey(String unknown) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String key : ConfigKey.names()) {
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
            for (String key : ConfigKey.names()) {
                if (key.startsWith(section) && (key.startsWith(lower) || rest.startsWith(leaf(key)))) {
                    return Optional.of(key);
                }
            }
        }
        String leaf = leaf(unknown).toLowerCase(Locale.ROOT);
        best = null;
        bestDistance = Integer.MAX_VALUE;
        for (String key : ConfigKey.names()) {
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
        for (String key : ConfigKey.names()) {
            candidates.add(ConfigKey.environmentVariable(key));
        }
        candidates.addAll(ConfigKey.IGNORED_ENVIRONMENT_VARIABLES);
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
        if (best != null && bestDistance <= tolerance(variable.substring(Math.min(variable.length(), ConfigKey.ENV_PREFIX.length())))) {
            return Optional.of(best);
        }
        Optional<String> key = ConfigKey.keyOfEnvironmentVariable(upper);
        return key.flatMap(KeySuggestions::suggestKey).map(ConfigKey::environmentVariable);
    }

    /** The keys of one section without the section prefix, for "the keys of section x are ..." hints. */
    static List<String> keysOfSection(String section) {
        List<String> result = new ArrayList<>();
        for (ConfigKey key : ConfigKey.ofSection(section)) {
            result.add(key.leaf());
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
