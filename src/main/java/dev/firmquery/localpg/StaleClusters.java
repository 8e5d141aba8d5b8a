package dev.firmquery.localpg;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes throwaway clusters left behind by a JVM that died without closing them (kill -9, a test
 * run killed by a CI timeout), so that they do not pile up in the temp directory holding memory and
 * ports. Best effort: anything that cannot be removed is logged and left alone.
 */
final class StaleClusters {
    private static final Logger LOG = LoggerFactory.getLogger(StaleClusters.class);

    private StaleClusters() {
    }

    static void reap(Path tempBase) {
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(tempBase, ClusterDirectory.PREFIX + "*")) {
            for (Path dir : dirs) {
                ClusterDirectory cluster = ClusterDirectory.existing(dir);
                // No owner file yet: another JVM may be creating it right now; leave it.
                boolean stale = cluster.owner().map(owner -> !owner.isAlive()).orElse(false);
                if (stale) {
                    reapOne(cluster);
                }
            }
        } catch (IOException e) {
            LOG.debug("Could not scan {} for stale PostgreSQL clusters: {}", tempBase, e.toString());
        }
    }

    private static void reapOne(ClusterDirectory cluster) {
        LOG.info("Removing the throwaway PostgreSQL cluster {} left behind by a JVM that no longer runs", cluster);
        stopPostmaster(cluster.postmasterPid(), Duration.ofSeconds(5));
        try {
            cluster.delete();
        } catch (IOException e) {
            LOG.warn("Could not remove the stale PostgreSQL cluster directory {}: {}; remove it by hand", cluster, e.toString());
        }
    }

    /**
     * Makes sure a postmaster is gone, by pid, if it still runs and really is a postgres process:
     * a short wait (it may be exiting after a clean stop), then SIGTERM (a "smart" shutdown, quick
     * when nobody is connected), then SIGKILL after {@code grace}.
     */
    static void stopPostmaster(OptionalLong pid, Duration grace) {
        if (pid.isEmpty()) {
            return;
        }
        ProcessHandle.of(pid.getAsLong())
                .filter(ProcessHandle::isAlive)
                .filter(StaleClusters::isPostgres)
                .ifPresent(handle -> {
                    if (awaitExit(handle, Duration.ofMillis(500))) {
                        return;
                    }
                    handle.destroy();
                    if (!awaitExit(handle, grace)) {
                        LOG.warn("PostgreSQL postmaster {} did not stop within {}; killing it", handle.pid(), grace);
                        handle.descendants().forEach(ProcessHandle::destroyForcibly);
                        handle.destroyForcibly();
                    }
                });
    }

    /** Polls, because onExit() of a process that is not our child polls with long back-off. */
    private static boolean awaitExit(ProcessHandle handle, Duration timeout) {
        long end = System.nanoTime() + timeout.toNanos();
        while (handle.isAlive()) {
            if (System.nanoTime() - end > 0) {
                return false;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return !handle.isAlive();
            }
        }
        return true;
    }

    private static boolean isPostgres(ProcessHandle handle) {
        // Without a command line we cannot tell a reused pid from our postmaster; leave it alone.
        return handle.info().command().map(c -> c.endsWith("/postgres") || c.endsWith("/postmaster")).orElse(false);
    }
}
