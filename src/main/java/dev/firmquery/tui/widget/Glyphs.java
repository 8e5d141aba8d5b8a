package dev.firmquery.tui.widget;

import java.util.Locale;
import java.util.Map;

/**
 * The characters the UI draws with. Unicode line drawing when the terminal's locale is UTF-8 and the
 * terminal type is not a plain VT100-like one; otherwise plain ASCII, so that a C/POSIX locale (Java
 * 17 then writes US-ASCII) or a real VT100 never shows {@code ?} for a border.
 *
 * @param unicode    whether these are the Unicode glyphs
 * @param ellipsis   marks cut text
 * @param horizontal section rules
 * @param vertical   column separators
 * @param barDone    the done part of a progress bar
 * @param barLeft    the remaining part of a progress bar
 * @param pointer    marks the chosen entry of a list when it is not focused
 * @param arrow      "leads to"
 */
public record Glyphs(boolean unicode, String ellipsis, char horizontal, char vertical, char barDone, char barLeft,
                     char pointer, String arrow) {

    public static final Glyphs UNICODE = new Glyphs(true, "…", '─', '│', '█', '░', '▸', "→");
    public static final Glyphs ASCII = new Glyphs(false, "...", '-', '|', '#', '.', '>', "->");

    /** Terminal types that are not expected to draw Unicode line characters. */
    private static final java.util.Set<String> PLAIN_TERMS = java.util.Set.of("vt100", "vt102", "vt220", "dumb",
            "ansi", "vt52");

    /**
     * The glyphs for the environment: Unicode when {@code LC_ALL}, else {@code LC_CTYPE}, else
     * {@code LANG} names UTF-8 and {@code TERM} is not a plain terminal type; {@code FIRMQUERY_UI_ASCII=1}
     * forces ASCII.
     */
    public static Glyphs forEnvironment(Map<String, String> env) {
        if ("1".equals(env.get("FIRMQUERY_UI_ASCII"))) {
            return ASCII;
        }
        String term = env.getOrDefault("TERM", "").toLowerCase(Locale.ROOT);
        if (PLAIN_TERMS.contains(term)) {
            return ASCII;
        }
        return utf8Locale(env) ? UNICODE : ASCII;
    }

    /** Whether the locale variables name a UTF-8 character set (the first one set wins, as in POSIX). */
    public static boolean utf8Locale(Map<String, String> env) {
        for (String name : new String[] {"LC_ALL", "LC_CTYPE", "LANG"}) {
            String v = env.get(name);
            if (v != null && !v.isEmpty()) {
                String l = v.toLowerCase(Locale.ROOT);
                return l.contains("utf-8") || l.contains("utf8");
            }
        }
        return false;
    }

    /**
     * {@code s} with the typographic characters our own messages use (≤, …, →, line drawing) spelt in
     * ASCII when these are the ASCII glyphs; other text is left alone.
     */
    public String text(String s) {
        if (unicode || s == null) {
            return s;
        }
        boolean plain = true;
        for (int i = 0; i < s.length() && plain; i++) {
            plain = s.charAt(i) < 128;
        }
        if (plain) {
            return s;
        }
        return s.replace("≤", "<=").replace("≥", ">=").replace("…", "...").replace("→", "->").replace('─', '-')
                .replace('│', '|').replace('▸', '>').replace("×", "x");
    }

    /** A rule of {@code width} characters. */
    public String rule(int width) {
        return String.valueOf(horizontal).repeat(Math.max(0, width));
    }
}
