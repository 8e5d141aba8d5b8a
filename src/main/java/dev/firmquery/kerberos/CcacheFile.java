package dev.firmquery.kerberos;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a {@code FILE:} ticket cache holds: its principal and each ticket's times and flags (never keys
 * or ticket data). Lets {@code firmquery check} and the login tell "no ticket", "expired ticket" and
 * "another principal's ticket" apart before Java's login fails with one generic message.
 *
 * <p>Reads the MIT ccache format versions 3 and 4 (what {@code kinit} writes since krb5 1.x).
 *
 * @param principal   the cache's default principal, e.g. {@code alice@EXAMPLE.COM}
 * @param credentials the tickets, in file order; configuration entries ({@code X-CACHECONF:}) are left out
 */
public record CcacheFile(String principal, List<Credential> credentials) {

    /** RFC 4120 ticket flag "renewable" as MIT stores flags (bit 8 counted from the most significant bit). */
    static final int FLAG_RENEWABLE = 0x00800000;

    public CcacheFile {
        credentials = List.copyOf(credentials);
    }

    /** One ticket's metadata. Times are null when zero in the file. */
    public record Credential(String client, String server, int keyType, Instant authTime, Instant startTime,
                             Instant endTime, Instant renewTill, int flags) {
        /** A ticket-granting ticket: {@code krbtgt/REALM@REALM}. */
        public boolean isTgt() {
            return server.startsWith("krbtgt/");
        }

        /** Whether the ticket has the renewable flag and a renew-till time after {@code now}. */
        public boolean renewableAt(Instant now) {
            return (flags & FLAG_RENEWABLE) != 0 && renewTill != null && renewTill.isAfter(now);
        }

        /** The start time, or the authentication time when the ticket has no separate start. */
        public Instant effectiveStart() {
            return startTime != null ? startTime : authTime;
        }
    }

    /**
     * The ticket-granting ticket of the cache's principal in its own realm, the one valid longest if the
     * cache holds several; empty when there is none.
     */
    public Optional<Credential> tgt() {
        String realm = principal.substring(principal.lastIndexOf('@') + 1);
        Credential best = null;
        for (Credential c : credentials) {
            if (c.isTgt() && c.client().equals(principal) && c.server().equals("krbtgt/" + realm + "@" + realm)
                    && (best == null || (c.endTime() != null && best.endTime() != null
                    && c.endTime().isAfter(best.endTime())))) {
                best = c;
            }
        }
        if (best == null) {
            for (Credential c : credentials) {
                if (c.isTgt() && c.client().equals(principal)) {
                    return Optional.of(c);
                }
            }
        }
        return Optional.ofNullable(best);
    }

    /**
     * Reads a cache file.
     *
     * @throws IOException when it cannot be read or is not a ticket cache this reader understands (the
     *                     message says which)
     */
    public static CcacheFile read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(new DataInputStream(in), file.toString());
        }
    }

    private static CcacheFile read(DataInputStream in, String where) throws IOException {
        try {
            int version = in.readUnsignedShort();
            if (version != 0x0503 && version != 0x0504) {
                throw new IOException(where + " is not a ticket cache of a known format (version 0x"
                        + Integer.toHexString(version) + "; expected 0x0503 or 0x0504)");
            }
            if (version == 0x0504) {
                int headerLength = in.readUnsignedShort();
                in.skipNBytes(headerLength);
            }
            String principal = principal(in);
            List<Credential> credentials = new ArrayList<>();
            while (true) {
                String client;
                try {
                    client = principal(in);
                } catch (EOFException end) {
                    break;
                }
                String server = principal(in);
                int keyType = in.readUnsignedShort();
                if (version == 0x0503) {
                    in.readUnsignedShort(); // v3 repeats the enctype
                }
                skipData(in, in.readInt());
                Instant auth = time(in.readInt());
                Instant start = time(in.readInt());
                Instant end = time(in.readInt());
                Instant renewTill = time(in.readInt());
                in.readUnsignedByte(); // is_skey
                int flags = in.readInt();
                int addresses = in.readInt();
                for (int i = 0; i < addresses; i++) {
                    in.readUnsignedShort();
                    skipData(in, in.readInt());
                }
                int authData = in.readInt();
                for (int i = 0; i < authData; i++) {
                    in.readUnsignedShort();
                    skipData(in, in.readInt());
                }
                skipData(in, in.readInt()); // ticket
                skipData(in, in.readInt()); // second ticket
                if (!server.endsWith("@X-CACHECONF:")) {
                    credentials.add(new Credential(client, server, keyType, auth, start, end, renewTill, flags));
                }
            }
            return new CcacheFile(principal, credentials);
        } catch (EOFException e) {
            throw new IOException(where + " ends in the middle of an entry: it is damaged or not a ticket cache; "
                    + "run kinit again", e);
        }
    }

    private static String principal(DataInputStream in) throws IOException {
        in.readInt(); // name type
        int components = in.readInt();
        if (components < 0 || components > 64) {
            throw new IOException("implausible principal with " + components + " components");
        }
        String realm = string(in);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < components; i++) {
            if (i > 0) {
                sb.append('/');
            }
            sb.append(string(in));
        }
        return sb.append('@').append(realm).toString();
    }

    private static String string(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > 65_536) {
            throw new IOException("implausible string length " + length);
        }
        return new String(in.readNBytes(length), java.nio.charset.StandardCharsets.UTF_8);
    }

    private static void skipData(DataInputStream in, int length) throws IOException {
        if (length < 0 || length > 16 * 1024 * 1024) {
            throw new IOException("implausible data length " + length);
        }
        in.skipNBytes(length);
    }

    private static Instant time(int seconds) {
        long unsigned = Integer.toUnsignedLong(seconds);
        return unsigned == 0 ? null : Instant.ofEpochSecond(unsigned);
    }
}
