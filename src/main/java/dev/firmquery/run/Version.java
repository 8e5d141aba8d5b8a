package dev.firmquery.run;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The firmquery version and build, from the build's {@code firmquery-version.properties} (for
 * {@code --version}, the report, the audit line, workbook metadata). The build fills in the commit with
 * {@code git describe --always --dirty}; a build without git, or classes run without the build's
 * resources, say {@code unknown} instead.
 */
public final class Version {
    private static final String UNKNOWN = "unknown";
    private static final Properties BUILD = load();

    private Version() {
    }

    /** E.g. {@code 0.1.0}; {@code unknown} when run from classes without the build's resources. */
    public static String current() {
        return value("version");
    }

    /** The commit the build was made from, e.g. {@code c96e960c9084} ({@code -dirty} with local changes). */
    public static String commit() {
        return value("commit");
    }

    /** The commit's time as git printed it (ISO 8601), or {@code unknown}. */
    public static String commitTime() {
        return value("commit_time");
    }

    /** When the build ran (UTC, ISO 8601), or {@code unknown}. */
    public static String buildTime() {
        return value("build_time");
    }

    /**
     * What {@code firmquery --version} prints: the version, the build and the Java runtime in use (its
     * version, vendor, VM and home, so a bundled runtime can be told from a system one), one per line.
     */
    public static String describe() {
        String commitTime = commitTime();
        return "firmquery " + current() + System.lineSeparator()
                + "commit:  " + commit() + (commitTime.equals(UNKNOWN) ? "" : " (" + commitTime + ")")
                + System.lineSeparator()
                + "built:   " + buildTime() + System.lineSeparator()
                + "java:    " + System.getProperty("java.runtime.version", System.getProperty("java.version"))
                + " (" + System.getProperty("java.vendor", UNKNOWN) + ", "
                + System.getProperty("java.vm.name", UNKNOWN) + ")" + System.lineSeparator()
                + "runtime: " + System.getProperty("java.home", UNKNOWN) + System.lineSeparator();
    }

    private static String value(String key) {
        String v = BUILD.getProperty(key, UNKNOWN).strip();
        // An unfiltered resource (classes built outside Maven) still holds the ${...} placeholders.
        return v.isEmpty() || v.contains("${") ? UNKNOWN : v;
    }

    private static Properties load() {
        Properties p = new Properties();
        try (InputStream s = Version.class.getResourceAsStream("/firmquery-version.properties")) {
            if (s != null) {
                p.load(s);
            }
        } catch (IOException e) {
            // No build information is not an error: every value reads as "unknown".
            p.clear();
        }
        return p;
    }
}
