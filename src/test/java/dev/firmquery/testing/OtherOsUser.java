package dev.firmquery.testing;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A second OS account on this host, for tests of what another local user can do to ours: the
 * attacker of docs/reliability.md, "Shared host". Created with {@code useradd} (no home, no login
 * shell) when the tests run as root, as CI and the development machines do; without root the test
 * is skipped with the reason, since nothing else can create a real second user.
 */
public final class OtherOsUser {
    /** The account's name. */
    public static final String NAME = "firmquery-other";
    private static final long TIMEOUT_SECONDS = 120;

    private OtherOsUser() {
    }

    /** The account's name, creating it if needed; skips the calling test when that is impossible. */
    public static synchronized String require() {
        Assumptions.assumeTrue(isRoot(), "SKIPPED: a test as a second OS user needs root to create it (useradd);"
                + " these tests run as root in CI");
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/sbin/runuser")) || Files.isExecutable(Path.of("/sbin/runuser")),
                "SKIPPED: runuser (util-linux) is not installed");
        if (run(List.of("id", "-u", NAME)).exitCode() != 0) {
            Result created = run(List.of("useradd", "--system", "--no-create-home", "--home-dir", "/nonexistent",
                    "--shell", "/usr/sbin/nologin", "--user-group", NAME));
            // Another test JVM may have created it meanwhile.
            if (created.exitCode() != 0 && run(List.of("id", "-u", NAME)).exitCode() != 0) {
                throw new IllegalStateException("useradd " + NAME + " failed (exit " + created.exitCode() + "): "
                        + created.output());
            }
        }
        return NAME;
    }

    /** Runs {@code command} as the other user ({@code runuser -u}), with no environment of ours. */
    public static Result runAs(List<String> command) {
        List<String> full = new ArrayList<>(List.of("runuser", "-u", require(), "--", "env", "-i",
                "PATH=/usr/bin:/bin", "HOME=/nonexistent", "LANG=C.UTF-8"));
        full.addAll(command);
        return run(full);
    }

    /**
     * A directory the other user can read (0755 under {@code java.io.tmpdir}) for programs it should
     * run; the caller deletes it with {@link #deleteShared}.
     */
    public static Path sharedDirectory() throws IOException {
        Path dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "firmquery-shared-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        return dir;
    }

    /** Deletes a directory made by {@link #sharedDirectory}. */
    public static void deleteShared(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** How a command ended: its exit code and its output (stdout and stderr). */
    public record Result(int exitCode, String output) {
    }

    private static boolean isRoot() {
        Result id = run(List.of("id", "-u"));
        return id.exitCode() == 0 && id.output().strip().equals("0");
    }

    private static Result run(List<String> command) {
        Path output = null;
        try {
            // Output to a file, so that a command that hangs cannot block the read: the timeout ends it.
            output = Files.createTempFile("firmquery-run-", ".out");
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw new IllegalStateException(command + " did not finish within " + TIMEOUT_SECONDS + " s");
            }
            return new Result(p.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new Result(127, command.get(0) + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command, e);
        } finally {
            if (output != null) {
                try {
                    Files.deleteIfExists(output);
                } catch (IOException e) {
                    // a temp file of our own; the OS cleans /tmp
                }
            }
        }
    }
}
