package dev.firmquery.localpg;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * The superuser role initdb creates and its password. The password is random, lives only in this
 * process's memory (and, for the moment initdb reads it, in a 0600 file of the private cluster
 * directory), and is required for every connection: another OS user on the host cannot connect to a
 * demo or test server (docs/reliability.md, "Shared host").
 *
 * @param name     the role name
 * @param password the role's password; never logged ({@link #toString()} leaves it out)
 */
record Superuser(String name, String password) {
    private static final SecureRandom RANDOM = new SecureRandom();

    /** {@code name} with a fresh password of 192 random bits. */
    static Superuser withRandomPassword(String name) {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return new Superuser(name, Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
    }

    @Override
    public String toString() {
        return name;
    }
}
