package dev.firmquery.db;

import dev.firmquery.exit.ExitCode;
import dev.firmquery.exit.FirmqueryException;
import dev.firmquery.threads.NamedThreads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code database.password_command}: runs a shell command ({@code /bin/sh -c}) and takes the first line of
 * its standard output as the database password, so that the password can live in {@code pass}, a keyring
 * ({@code secret-tool}) or a vault instead of a file in the clear.
 *
 * <p>What the command prints is never logged, shown or kept beyond the returned string: standard error is
 * discarded (it may echo what it read), the lines after the first are read and dropped, and a failure
 * names the command and its exit status only. Standard input is {@code /dev/null}, so a command that
 * would prompt fails at once instead of reading the UI's keystrokes. A command that does not finish
 * within its timeout is killed with its children.
 */
public final class PasswordCommand {
    private static final Logger log = LoggerFactory.getLogger(PasswordCommand.class);
    /** Longer than any password a server takes; what follows on the line is an error, not a password. */
    static final int MAX_LINE_BYTES = 4096;

    /** The password command failed; {@link ExitCode#CONNECT}, as any failure to authenticate. */
    public static final class Failure extends FirmqueryException {
        Failure(String message) {
            super(message);
        }

        @Override
        public ExitCode exitCode() {
            return ExitCode.CONNECT;
        }
    }

    private PasswordCommand() {
    }

    /**
     * Runs {@code command} with {@code /bin/sh -c}.
     *
     * @return the first line of its standard output, without the line end
     * @throws Failure it could not start, exited with a status other than 0, printed no or an empty first
     *                 line, or took longer than {@code timeout}; the message names the command and what
     *                 happened, never its output
     * @throws InterruptedException the calling thread was interrupted (the command is killed first)
     */
    public static String run(String command, Duration timeout) throws Failure, InterruptedException {
        return run(List.of("/bin/sh", "-c", command), command, timeout);
    }

    /** {@link #run(String, Duration)} for a command given as its argument list; {@code shown} names it in messages. */
    static String run(List<String> argv, String shown, Duration timeout) throws Failure, InterruptedException {
        String what = "database.password_command \"" + shown + "\"";
        ProcessBuilder builder = new ProcessBuilder(argv)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new Failure(what + " could not be started (" + e.getMessage() + "); check that /bin/sh exists");
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        FirstLine first = new FirstLine(process.getInputStream());
        Thread reader = NamedThreads.single("firmquery-password-command").newThread(first);
        reader.start();
        try {
            boolean exited = process.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (!exited) {
                kill(process);
                throw new Failure(what + " did not finish within " + seconds(timeout) + " s and was killed; raise "
                        + "database.password_command_timeout if it needs longer (a vault that is slow to answer), or "
                        + "check that it does not wait for input (it gets none)");
            }
            // A child it left behind may keep the pipe open; the first line is all that is needed.
            boolean read = first.done.await(Math.max(0, deadline - System.nanoTime()) + TimeUnit.SECONDS.toNanos(1),
                    TimeUnit.NANOSECONDS);
            int status = process.exitValue();
            if (status != 0) {
                throw new Failure(what + " exited with status " + status + "; run it yourself to see its messages "
                        + "(firmquery shows none of its output), e.g. to unlock the keyring or log in to the vault");
            }
            if (!read) {
                throw new Failure(what + " exited but a process it started keeps its output open, and no line "
                        + "ended within " + seconds(timeout) + " s; end the password with a newline");
            }
            if (first.tooLong) {
                throw new Failure(what + " printed a first line longer than " + MAX_LINE_BYTES + " bytes; it must "
                        + "print the password alone on the first line");
            }
            String password = first.line();
            if (password.isEmpty()) {
                throw new Failure(what + " exited with status 0 but printed " + (first.sawAnything ? "an empty first line"
                        : "nothing") + "; it must print the password on its first line");
            }
            log.debug("database password read from {} (first line, {} characters)", what, password.length());
            return password;
        } catch (InterruptedException e) {
            kill(process);
            throw e;
        } finally {
            if (process.isAlive()) {
                kill(process);
            }
            reader.interrupt();
        }
    }

    private static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? Long.toString(d.toSeconds()) : String.valueOf(d.toMillis() / 1000.0);
    }

    /** Reads up to the first line end, then drains the rest unread so that the command never blocks on a full pipe. */
    private static final class FirstLine implements Runnable {
        private final InputStream in;
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final CountDownLatch done = new CountDownLatch(1);
        volatile boolean tooLong;
        volatile boolean sawAnything;

        FirstLine(InputStream in) {
            this.in = in;
        }

        @Override
        public void run() {
            try (in) {
                int b;
                while ((b = in.read()) >= 0 && b != '\n') {
                    sawAnything = true;
                    if (bytes.size() >= MAX_LINE_BYTES) {
                        tooLong = true;
                        break;
                    }
                    bytes.write(b);
                }
                sawAnything |= b == '\n';
                done.countDown();
                byte[] discard = new byte[8192];
                while (in.read(discard) >= 0) {
                    // the rest is not the password: read so that the command can finish, and drop it
                }
            } catch (IOException e) {
                // The pipe closed (the process was killed): what was read is all there is.
            } finally {
                done.countDown();
            }
        }

        String line() {
            String line = bytes.toString(StandardCharsets.UTF_8);
            return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
        }
    }
}
