package dev.firmquery.localpg;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Runs a short-lived helper (initdb, pg_ctl) with its output appended to the cluster's log. */
final class Commands {
    private Commands() {
    }

    /**
     * Runs {@code command} to completion and returns its exit code.
     *
     * @throws TimeoutException if it did not finish within {@code timeout} (it is then killed)
     */
    static int run(List<String> command, Path log, Duration timeout)
            throws IOException, InterruptedException, TimeoutException {
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        try {
            if (!process.waitFor(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS)) {
                throw new TimeoutException(String.join(" ", command) + " did not finish within " + timeout);
            }
            return process.exitValue();
        } finally {
            if (process.isAlive()) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
        }
    }
}
