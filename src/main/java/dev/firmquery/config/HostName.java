package dev.firmquery.config;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The rules for {@code database.host}: a host name, an IPv4 address or an IPv6 address in brackets,
 * and nothing else. pgjdbc's data source writes the host into the text of a JDBC URL without escaping
 * it, so anything beyond these forms is read as more URL: {@code db:26257/x?readOnlyMode=ignore&x=}
 * turns the read-only transaction off, {@code db?sslfactory=...NonValidatingFactory} skips the
 * certificate check, {@code db,evil} adds a failover host (docs/reliability.md, "Shared host").
 *
 * <p>Nothing here resolves a name: whether a host is this machine is decided from its text, since a
 * DNS answer is exactly what a man in the middle controls.
 */
public final class HostName {
    /** A DNS label as RFC 1123 allows it, plus '_' that some internal zones use. */
    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?");
    private static final Pattern IPV4 = Pattern.compile("(0|[1-9][0-9]{0,2})(\\.(0|[1-9][0-9]{0,2})){3}");
    private static final Pattern IPV6_CHARACTERS = Pattern.compile("[0-9A-Fa-f:.]+");
    private static final Pattern DIGITS_AND_DOTS = Pattern.compile("[0-9.]+");
    private static final int MAX_LENGTH = 253;

    /** What {@code database.host} allows, as an expectation. */
    static final String EXPECTED = "expected a host name (letters, digits, '-', '.'), an IPv4 address"
            + " such as 10.1.2.3 or an IPv6 address in brackets such as [fd00::1]";

    private HostName() {
    }

    /**
     * Why {@code host} is not a usable {@code database.host}, as an expectation for the message; empty
     * when it is one of the three allowed forms.
     */
    public static Optional<String> problem(String host) {
        if (host.isEmpty()) {
            return Optional.of("expected a value, not an empty string");
        }
        if (host.startsWith("[") || host.endsWith("]")) {
            return ipv6(host) != null ? Optional.empty()
                    : Optional.of(EXPECTED + "; the text in brackets is not an IPv6 address (zone IDs such as %eth0"
                    + " are not supported)");
        }
        if (host.indexOf(':') >= 0) {
            if (IPV6_CHARACTERS.matcher(host).matches() && ipv6("[" + host + "]") != null) {
                return Optional.of("expected an IPv6 address in brackets: write [" + host + "]");
            }
            return Optional.of(EXPECTED + ", without a port (that is database.port) or anything after it");
        }
        if (DIGITS_AND_DOTS.matcher(host).matches()) {
            return ipv4(host) != null ? Optional.empty()
                    : Optional.of(EXPECTED + "; this is not an IPv4 address (four numbers 0 to 255 without leading"
                    + " zeros)");
        }
        String name = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        if (name.length() > MAX_LENGTH) {
            return Optional.of(EXPECTED + "; a host name has at most " + MAX_LENGTH + " characters");
        }
        for (String label : name.split("\\.", -1)) {
            if (!LABEL.matcher(label).matches()) {
                return Optional.of(EXPECTED + unexpectedCharacter(host));
            }
        }
        return Optional.empty();
    }

    /**
     * Whether {@code host} names this machine by its text alone: {@code localhost}, an address in
     * 127.0.0.0/8, or {@code [::1]}. A host that fails {@link #problem} is not loopback.
     */
    public static boolean isLoopback(String host) {
        if (problem(host).isPresent()) {
            return false;
        }
        String lower = host.toLowerCase(Locale.ROOT);
        if (lower.equals("localhost") || lower.equals("localhost.")) {
            return true;
        }
        InetAddress address = host.startsWith("[") ? ipv6(host) : ipv4(host);
        return address != null && address.isLoopbackAddress();
    }

    private static String unexpectedCharacter(String host) {
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            if (!(Character.isLetterOrDigit(c) && c < 128) && c != '-' && c != '.' && c != '_') {
                String shown = Character.isISOControl(c) || Character.isWhitespace(c)
                        ? String.format(Locale.ROOT, "U+%04X", (int) c) : "'" + c + "'";
                return "; " + shown + " is not allowed in a host name (the driver would read it as part of the"
                        + " connection URL)";
            }
        }
        return "; each dot-separated part has 1 to 63 characters and does not start or end with '-'";
    }

    /** The address of an IPv4 literal in the strict dotted-quad form, or null. */
    private static InetAddress ipv4(String host) {
        if (!IPV4.matcher(host).matches()) {
            return null;
        }
        byte[] bytes = new byte[4];
        String[] parts = host.split("\\.");
        for (int i = 0; i < 4; i++) {
            int n = Integer.parseInt(parts[i]);
            if (n > 255) {
                return null;
            }
            bytes[i] = (byte) n;
        }
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** The address of a bracketed IPv6 literal, or null; never a DNS lookup. */
    private static InetAddress ipv6(String host) {
        if (host.length() < 4 || !host.startsWith("[") || !host.endsWith("]")) {
            return null;
        }
        String inner = host.substring(1, host.length() - 1);
        if (!IPV6_CHARACTERS.matcher(inner).matches() || inner.indexOf(':') < 0) {
            return null;
        }
        try {
            // A literal made of hex digits, ':' and '.' is parsed, never looked up.
            InetAddress a = InetAddress.getByName(inner);
            return a instanceof Inet6Address || a instanceof Inet4Address ? a : null;
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
