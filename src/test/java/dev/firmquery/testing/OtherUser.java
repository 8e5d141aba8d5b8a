package dev.firmquery.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A second OS user, as on a shared jump host: another account whose files the tests plant and as
 * which they run commands. Created with {@code useradd} on first use when the tests run as root (CI
 * and the build machines do); without root the multi-user tests are skipped, since only root can make
 * a file someone else's.
 */
public final class OtherUser {
    /** The account's name. */
    public static final String NAME = "fq-second";

    private static OtherUser instance;

    private final UserPrincipal principal;

    private OtherUser(UserPrincipal principal) {
        this.principal = principal;
    }

    /** The second user, created if needed; skips the calling test when not running as root. */
    public static synchronized OtherUser get() {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root to create and act as a second OS user");
        if (instance == null) {
            try {
                if (run(List.of("id", "-u", NAME), null).exitCode() != 0) {
                    Result r = run(List.of("useradd", "--system", "--no-create-home", "--shell", "/bin/sh", NAME), null);
                    if (r.exitCode() != 0 && run(List.of("id", "-u", NAME), null).exitCode() != 0) {
                        throw new IllegalStateException("useradd " + NAME + " failed: " + r.output());
                    }
                }
                instance = new OtherUser(FileSystems.getDefault().getUserPrincipalLookupService()
                        .lookupPrincipalByName(NAME));
            } catch (IOException e) {
                throw new IllegalStateException("cannot set up the second OS user " + NAME, e);
            }
        }
        return instance;
    }

    /** The user, to give files to ({@link Files#setOwner}). */
    public UserPrincipal principal() {
        return principal;
    }

    /** Gives {@code path} and everything under it to this user (links themselves, never followed). */
    public void own(Path path) throws IOException {
        try (Stream<Path> all = Files.walk(path)) {
            for (Path p : all.toList()) {
                Files.getFileAttributeView(p, java.nio.file.attribute.PosixFileAttributeView.class,
                        java.nio.file.LinkOption.NOFOLLOW_LINKS).setOwner(principal);
            }
        }
    }

    /** Runs {@code command} as this user ({@code runuser}) with exactly {@code environment}, in {@code dir}. */
    public Result run(Path dir, Map<String, String> environment, String... command) throws IOException {
        List<String> argv = new ArrayList<>(List.of("runuser", "-u", NAME, "--", "env", "-i"));
        environment.forEach((k, v) -> argv.add(k + "=" + v));
        argv.addAll(List.of(command));
        return run(argv, dir);
    }

    /** How a command ended: its exit code and its output (stdout and stderr together). */
    public record Result(int exitCode, String output) {
    }

    private static Result run(List<String> argv, Path dir) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true);
        if (dir != null) {
            pb.directory(dir.toFile());
        }
        Process p = pb.start();
        try {
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(argv + " did not end within 60 s");
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IOException("interrupted while running " + argv, e);
        }
    }
}
