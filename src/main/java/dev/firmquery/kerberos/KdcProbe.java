package dev.firmquery.kerberos;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether the KDCs krb5.conf names for a realm accept a TCP connection: the "is the KDC reachable" step
 * of {@code firmquery check}. UDP cannot be probed without speaking Kerberos; TCP on the same port is
 * what Java falls back to (and uses first with {@code udp_preference_limit = 1}).
 */
public final class KdcProbe {
    private KdcProbe() {
    }

    /**
     * @param kdc       as written in krb5.conf, {@code host[:port]}
     * @param reachable whether a TCP connection was accepted
     * @param detail    {@code accepts TCP connections} or the error
     */
    public record Reach(String kdc, boolean reachable, String detail) {
    }

    /** Tries each KDC of {@code realm} in {@code krb5}, each within {@code timeout}. */
    public static List<Reach> probe(Krb5Config krb5, String realm, Duration timeout) {
        List<Reach> result = new ArrayList<>();
        for (String kdc : krb5.kdcsOf(realm)) {
            result.add(probe(kdc, timeout));
        }
        return result;
    }

    static Reach probe(String kdc, Duration timeout) {
        String host = kdc.trim();
        int port = 88;
        if (host.startsWith("[")) {
            int close = host.indexOf(']');
            if (close > 0 && host.length() > close + 2 && host.charAt(close + 1) == ':') {
                port = parsePort(host.substring(close + 2), port);
            }
            host = host.substring(1, Math.max(1, close));
        } else if (host.indexOf(':') == host.lastIndexOf(':') && host.indexOf(':') > 0) {
            port = parsePort(host.substring(host.indexOf(':') + 1), port);
            host = host.substring(0, host.indexOf(':'));
        }
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), (int) Math.max(1, timeout.toMillis()));
            return new Reach(kdc, true, "accepts TCP connections on port " + port);
        } catch (IOException e) {
            return new Reach(kdc, false, "no TCP connection to " + host + ":" + port + " (" + e.getMessage() + ")");
        }
    }

    private static int parsePort(String s, int fallback) {
        try {
            return Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
