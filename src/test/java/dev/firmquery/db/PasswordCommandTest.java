package dev.firmquery.db;

import dev.firmquery.exit.ExitCode;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code database.password_command}, run as a real {@code /bin/sh} process. */
@DisplayName("The password command")
class PasswordCommandTest {
    @TempDir
    Path tmp;

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final String SECRET = "Tr0ub4dor&3 with spaces";

    private static PasswordCommand.Failure failure(String command, Duration timeout) {
        return assertThrows(PasswordCommand.Failure.class, () -> PasswordCommand.run(command, timeout));
    }

    @Test
    @DisplayName("gives the first line of the output, without its line end; later lines are dropped")
    void firstLine() throws Exception {
        assertEquals(SECRET, PasswordCommand.run("printf '%s\\n' '" + SECRET + "' 'second line'", TIMEOUT));
    }

    @Test
    @DisplayName("a line ended by CR LF or by the end of the output is the password")
    void lineEnds() throws Exception {
        assertEquals("pw1", PasswordCommand.run("printf 'pw1\\r\\nrest'", TIMEOUT));
        assertEquals("pw2", PasswordCommand.run("printf pw2", TIMEOUT));
    }

    @Test
    @DisplayName("a non-zero exit fails with the command and its status, never its output (exit 3)")
    void nonZeroExit() throws Exception {
        Path script = Files.writeString(tmp.resolve("vault.sh"),
                "echo '" + SECRET + "'\necho 'gpg: decryption failed' >&2\nexit 4\n");

        PasswordCommand.Failure e = failure("sh " + script, TIMEOUT);

        assertEquals("database.password_command \"sh " + script + "\" exited with status 4; run it yourself to see its"
                + " messages (firmquery shows none of its output), e.g. to unlock the keyring or log in to the vault",
                e.getMessage());
        assertFalse(e.getMessage().contains(SECRET) || e.getMessage().contains("decryption"), e.getMessage());
        assertEquals(ExitCode.CONNECT, e.exitCode());
    }

    @Test
    @DisplayName("a command that does not finish in time is killed and fails naming the timeout")
    void timeout() {
        long t0 = System.nanoTime();

        PasswordCommand.Failure e = failure("sleep 30", Duration.ofMillis(500));

        assertTrue(e.getMessage().contains("did not finish within 0.5 s and was killed; raise "
                + "database.password_command_timeout"), e.getMessage());
        assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(10).toNanos(), "not killed at the timeout");
    }

    @Test
    @DisplayName("no output, or an empty first line, is a failure")
    void emptyOutput() {
        assertTrue(failure("true", TIMEOUT).getMessage().contains("exited with status 0 but printed nothing"));
        assertTrue(failure("echo; echo later", TIMEOUT).getMessage().contains("printed an empty first line"));
    }

    @Test
    @DisplayName("the command gets no input: one that would prompt sees end of file at once")
    void noInput() throws Exception {
        assertEquals("none", PasswordCommand.run("read -r line || echo none", TIMEOUT));
    }

    @Test
    @DisplayName("a command that cannot run reports the shell's status 127")
    void missingProgram() {
        assertTrue(failure("/nonexistent/vault kv get x", TIMEOUT).getMessage().contains("exited with status 127"));
    }

    @Test
    @DisplayName("a very long first line is refused rather than sent as a password")
    void tooLong() {
        PasswordCommand.Failure e = failure("head -c 10000 /dev/zero | tr '\\0' x; echo", TIMEOUT);

        assertTrue(e.getMessage().contains("printed a first line longer than 4096 bytes"), e.getMessage());
    }
}
