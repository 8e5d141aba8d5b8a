package dev.firmquery.run;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The firmquery version, from the build (for --version, the report, the audit line, workbook metadata). */
public final class Version {
    private static final String VALUE = load();

    private Version() {
    }

    /** E.g. {@code 0.1.0}; {@code unknown} when run from classes without the build's resources. */
    public static String current() {
        return VALUE;
    }

    private static String load() {
        Properties p = new Properties();
        try (InputStream s = Version.class.getResourceAsStream("/firmquery-version.properties")) {
            if (s != null) {
                p.load(s);
            }
        } catch (IOException e) {
            return "unknown";
        }
        String v = p.getProperty("version", "unknown");
        return v.contains("${") ? "unknown" : v;
    }
}
