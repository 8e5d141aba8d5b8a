package dev.firmquery.kerberos;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The numeric user id, which names the default ticket cache ({@code /tmp/krb5cc_<uid>}). */
final class Os {
    private Os() {
    }

    /** The process's user id; -1 when it cannot be found (not a Unix system). */
    static long uid() {
        try {
            return new com.sun.security.auth.module.UnixSystem().getUid();
        } catch (LinkageError | RuntimeException e) {
            try {
                Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
                return ((Number) uid).longValue();
            } catch (IOException | RuntimeException e2) {
                return -1;
            }
        }
    }
}
