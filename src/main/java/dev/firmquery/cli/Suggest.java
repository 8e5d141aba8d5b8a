package dev.firmquery.cli;

import dev.firmquery.config.EditDistance;

import java.util.Collection;

/** "Did you mean" for mistyped options and commands. */
final class Suggest {
    private Suggest() {
    }

    /** The candidate closest to {@code word} by edit distance, if it is close enough to be a typo. */
    static String closest(String word, Collection<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String c : candidates) {
            int d = EditDistance.levenshtein(word, c);
            if (d < bestDistance) {
                bestDistance = d;
                best = c;
            }
        }
        return best != null && bestDistance <= Math.max(2, word.length() / 3) ? best : null;
    }
}
