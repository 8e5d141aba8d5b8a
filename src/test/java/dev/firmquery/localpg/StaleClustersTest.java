package dev.firmquery.localpg;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("Reaping clusters left behind by dead JVMs")
class StaleClustersTest {
    @TempDir
    Path tmp;

    private static long pidOfFinishedProcess() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        return p.pid();
    }

    private Path clusterOwnedBy(String ownerLine) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve(ClusterDirectory.PREFIX + ownerLine.hashCode()).resolve("data"))
                .getParent();
        Files.writeString(dir.resolve(ClusterDirectory.OWNER_FILE), ownerLine + "\n");
        Files.writeString(dir.resolve("data/PG_VERSION"), "15\n");
        return dir;
    }

    @Test
    void removes_the_directory_of_a_jvm_that_no_longer_runs() throws Exception {
        Path stale = clusterOwnedBy(pidOfFinishedProcess() + " 2000-01-01T00:00:00Z");

        StaleClusters.reap(tmp);

        assertFalse(Files.exists(stale));
    }

    @Test
    void keeps_the_directory_of_a_running_jvm() throws Exception {
        ProcessHandle me = ProcessHandle.current();
        Path live = clusterOwnedBy(me.pid() + " " + me.info().startInstant().orElseThrow());

        StaleClusters.reap(tmp);

        assertTrue(Files.exists(live));
    }

    @Test
    void treats_a_reused_pid_with_another_start_time_as_dead() throws Exception {
        Path reused = clusterOwnedBy(ProcessHandle.current().pid() + " 2000-01-01T00:00:00Z");

        StaleClusters.reap(tmp);

        assertFalse(Files.exists(reused));
    }

    @Test
    void keeps_a_directory_whose_owner_is_not_yet_recorded() throws Exception {
        Path creating = Files.createDirectories(tmp.resolve(ClusterDirectory.PREFIX + "123"));

        StaleClusters.reap(tmp);

        assertTrue(Files.exists(creating));
    }
}
