package dev.firmquery.run;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The database server a run talks to, recognised from {@code version()}: PostgreSQL prints
 * "PostgreSQL 16.4 (Debian 16.4-1) on x86_64-pc-linux-gnu, ..." (a development build
 * "PostgreSQL 18devel"), CockroachDB "CockroachDB CCL v24.1.4 (x86_64-pc-linux-gnu, built ...)".
 *
 * @param kind    which server
 * @param major   its major version (0 when not recognised)
 * @param minor   its minor version (0 when not printed)
 * @param version the {@code version()} text as the server printed it, first line
 */
public record DatabaseServer(Kind kind, int major, int minor, String version) {

    /** Before the server was asked (a report written before the describe step). */
    public static final DatabaseServer UNKNOWN = new DatabaseServer(Kind.OTHER, 0, 0, "");

    private static final Pattern COCKROACH = Pattern.compile("CockroachDB\\b.*?\\bv(\\d+)\\.(\\d+)");
    private static final Pattern POSTGRES = Pattern.compile("^PostgreSQL (\\d+)(?:\\.(\\d+))?");

    /** The server kinds whose settings differ. */
    public enum Kind {
        POSTGRESQL("PostgreSQL"), COCKROACHDB("CockroachDB"), OTHER("unrecognised server");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        /** The product's name as its vendor writes it. */
        public String label() {
            return label;
        }
    }

    public DatabaseServer {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(version, "version");
        if (major < 0 || minor < 0) {
            throw new IllegalArgumentException("version numbers must not be negative: " + major + "." + minor);
        }
    }

    /**
     * Recognises {@code version()}'s text. CockroachDB is tested first: its text does not start with
     * "PostgreSQL", but servers that speak the protocol and print "PostgreSQL 11.2-YB-..." (YugabyteDB)
     * are taken for the PostgreSQL major they print, which is the feature set they claim.
     */
    public static DatabaseServer parse(String versionText) {
        String text = versionText == null ? "" : versionText.strip().lines().findFirst().orElse("");
        Matcher c = COCKROACH.matcher(text);
        if (c.find()) {
            return new DatabaseServer(Kind.COCKROACHDB, Integer.parseInt(c.group(1)), Integer.parseInt(c.group(2)), text);
        }
        Matcher p = POSTGRES.matcher(text);
        if (p.find()) {
            return new DatabaseServer(Kind.POSTGRESQL, Integer.parseInt(p.group(1)),
                    p.group(2) == null ? 0 : Integer.parseInt(p.group(2)), text);
        }
        return new DatabaseServer(Kind.OTHER, 0, 0, text);
    }

    /** Whether this is {@code kind} at version {@code major.minor} or later. */
    public boolean atLeast(Kind kind, int major, int minor) {
        return this.kind == kind && (this.major > major || this.major == major && this.minor >= minor);
    }

    /** "PostgreSQL 16.4", "CockroachDB 24.1", or "unrecognised server" (with its text when it printed one). */
    public String label() {
        return switch (kind) {
            case POSTGRESQL, COCKROACHDB -> String.format(Locale.ROOT, "%s %d.%d", kind.label(), major, minor);
            case OTHER -> version.isEmpty() ? kind.label() : kind.label() + " (" + version + ")";
        };
    }
}
