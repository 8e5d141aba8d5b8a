package dev.firmquery.config;

/**
 * Edit distances for "did you mean" suggestions, shared by the configuration keys and the command
 * line. Each caller keeps its own rule for how close is close enough.
 */
public final class EditDistance {
    private EditDistance() {
    }

    /** Levenshtein distance: the fewest insertions, deletions and substitutions that turn {@code a} into {@code b}. */
    public static int levenshtein(String a, String b) {
        return distance(a, b, false);
    }

    /**
     * Optimal-string-alignment distance: like {@link #levenshtein} but a swap of two adjacent characters
     * counts as one edit, so {@code hots} is one edit from {@code host}.
     */
    public static int optimalStringAlignment(String a, String b) {
        return distance(a, b, true);
    }

    private static int distance(String a, String b, boolean adjacentSwaps) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                int v = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (adjacentSwaps && i > 1 && j > 1
                        && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    v = Math.min(v, d[i - 2][j - 2] + 1);
                }
                d[i][j] = v;
            }
        }
        return d[a.length()][b.length()];
    }
}
