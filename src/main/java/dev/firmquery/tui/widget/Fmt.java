package dev.firmquery.tui.widget;

import dev.firmquery.text.TerminalText;

import java.time.Duration;
import java.util.Locale;

/** Number, size, duration and width formatting for the screens; pure functions. */
public final class Fmt {
    private Fmt() {
    }

    /** {@code 1,234,567}. */
    public static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** {@code 3 chunks} / {@code 1 chunk}. */
    public static String plural(long n, String singular, String plural) {
        return count(n) + " " + (n == 1 ? singular : plural);
    }

    /** {@code 0:07}, {@code 12:05}, {@code 1:02:03}. */
    public static String clock(Duration d) {
        long s = Math.max(0, d.toSeconds());
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }

    /** {@code 0.4 s}, {@code 12.0 s}, {@code 2:05}: short durations with a tenth of a second. */
    public static String seconds(Duration d) {
        long ms = Math.max(0, d.toMillis());
        return ms < 60_000 ? String.format(Locale.ROOT, "%.1f s", ms / 1000.0) : clock(d);
    }

    /** {@code 812 B}, {@code 35.8 KB}, {@code 1.2 MB}, {@code 2.05 GB}. */
    public static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        if (n < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f KB", n / 1024.0);
        }
        if (n < 1024L * 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f MB", n / (1024.0 * 1024));
        }
        return String.format(Locale.ROOT, "%.2f GB", n / (1024.0 * 1024 * 1024));
    }

    /** {@code 950}, {@code 12k}, {@code 1.2M}: rates in a narrow column. */
    public static String compact(double n) {
        if (n >= 1_000_000) {
            return String.format(Locale.ROOT, "%.1fM", n / 1_000_000);
        }
        if (n >= 10_000) {
            return String.format(Locale.ROOT, "%.0fk", n / 1000);
        }
        return String.format(Locale.ROOT, "%,.0f", n);
    }

    /** {@code 62%}; never shows 100% before {@code done == total}. */
    public static String percent(long done, long total) {
        if (total <= 0) {
            return "0%";
        }
        long p = done * 100 / total;
        return (done < total ? Math.min(p, 99) : 100) + "%";
    }

    /**
     * {@code text} cut to {@code width} columns with an ellipsis at the end; {@code glyphs} decides
     * whether the ellipsis is {@code …} or {@code ...}.
     */
    public static String fit(String text, int width, Glyphs glyphs) {
        if (width <= 0) {
            return "";
        }
        if (text.length() <= width) {
            return text;
        }
        String e = glyphs.ellipsis();
        if (width <= e.length()) {
            return text.substring(0, width);
        }
        return text.substring(0, width - e.length()) + e;
    }

    /** {@code text} cut to {@code width} columns keeping its end: {@code …/output/firm_query.csv}. */
    public static String fitStart(String text, int width, Glyphs glyphs) {
        if (width <= 0) {
            return "";
        }
        if (text.length() <= width) {
            return text;
        }
        String e = glyphs.ellipsis();
        if (width <= e.length()) {
            return text.substring(text.length() - width);
        }
        return e + text.substring(text.length() - (width - e.length()));
    }

    /** {@code text} cut in the middle to {@code width}: {@code cockroach-pr…:26257/firms}. */
    public static String fitMiddle(String text, int width, Glyphs glyphs) {
        if (text.length() <= width) {
            return text;
        }
        String e = glyphs.ellipsis();
        int keep = width - e.length();
        if (keep < 2) {
            return fit(text, width, glyphs);
        }
        int head = (keep + 1) / 2;
        return text.substring(0, head) + e + text.substring(text.length() - (keep - head));
    }

    /** {@code text} padded with blanks to {@code width}, or cut. */
    public static String pad(String text, int width) {
        if (text.length() >= width) {
            return text.substring(0, Math.max(0, width));
        }
        return text + " ".repeat(width - text.length());
    }

    /** Replaces control characters (a tab, a stray escape) that would garble the screen: {@link TerminalText#printable}. */
    public static String printable(String text) {
        return TerminalText.printable(text);
    }
}
