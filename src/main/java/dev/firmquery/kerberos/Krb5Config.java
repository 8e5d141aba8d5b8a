package dev.firmquery.kerberos;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The krb5.conf firmquery uses and the few things it needs from it: the default realm, the default
 * cache name, the KDCs of each realm and the host-to-realm mapping. Java reads the file itself (through
 * {@code java.security.krb5.conf}); this reading is for diagnosis ({@code firmquery check}, error hints).
 *
 * <p>Understands the MIT profile syntax: {@code [section]} headers, {@code key = value} relations,
 * {@code key = { ... }} subsections, {@code #} and {@code ;} comments. {@code include}/{@code includedir}
 * are not followed.
 *
 * @param path              the file
 * @param source            why this file: {@code kerberos.krb5_conf}, {@code KRB5_CONFIG} or the default
 * @param exists            whether the file exists
 * @param defaultRealm      {@code [libdefaults] default_realm}, or null
 * @param defaultCcacheName {@code [libdefaults] default_ccache_name}, or null
 * @param kdcs              {@code [realms] REALM = { kdc = host[:port] }}, realm upper-cased as written
 * @param domainRealm       {@code [domain_realm]}: host or {@code .domain} to realm
 * @param libdefaults       every {@code [libdefaults]} relation (last one wins), keys lower-cased
 */
public record Krb5Config(Path path, String source, boolean exists, String defaultRealm, String defaultCcacheName,
                         Map<String, List<String>> kdcs, Map<String, String> domainRealm,
                         Map<String, String> libdefaults) {

    /** The krb5.conf used when neither {@code kerberos.krb5_conf} nor {@code KRB5_CONFIG} names one. */
    public static final Path DEFAULT_PATH = Path.of("/etc/krb5.conf");

    public Krb5Config {
        kdcs = Map.copyOf(kdcs);
        domainRealm = Map.copyOf(domainRealm);
        libdefaults = Map.copyOf(libdefaults);
    }

    /** Where krb5.conf is and why, before reading it. */
    public record Location(Path path, String source, boolean explicit) {
    }

    /**
     * {@code kerberos.krb5_conf}, else the first file of {@code KRB5_CONFIG} (a colon-separated list, as
     * MIT reads it), else {@code /etc/krb5.conf}.
     */
    public static Location locate(String configured, Map<String, String> environment) {
        if (configured != null && !configured.isBlank()) {
            return new Location(Path.of(configured.trim()), "kerberos.krb5_conf", true);
        }
        String env = environment.get("KRB5_CONFIG");
        if (env != null && !env.isBlank()) {
            String first = env.split(":")[0].trim();
            if (!first.isEmpty()) {
                return new Location(Path.of(first), "KRB5_CONFIG", true);
            }
        }
        return new Location(DEFAULT_PATH, "default", false);
    }

    /** Reads the file at {@code location}; a missing file gives an empty configuration with {@code exists} false. */
    public static Krb5Config read(Location location) throws IOException {
        Path path = location.path();
        if (!Files.isRegularFile(path)) {
            return new Krb5Config(path, location.source(), false, null, null, Map.of(), Map.of(), Map.of());
        }
        return parse(path, location.source(), Files.readString(path, StandardCharsets.UTF_8));
    }

    /** Parses krb5.conf text. */
    static Krb5Config parse(Path path, String source, String text) {
        Map<String, String> libdefaults = new LinkedHashMap<>();
        Map<String, List<String>> kdcs = new LinkedHashMap<>();
        Map<String, String> domainRealm = new LinkedHashMap<>();
        String section = "";
        List<String> nesting = new ArrayList<>();
        for (String raw : text.split("\\R")) {
            String line = stripComment(raw).trim();
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("[") && line.endsWith("]") && nesting.isEmpty()) {
                section = line.substring(1, line.length() - 1).trim().toLowerCase(Locale.ROOT);
                continue;
            }
            if (line.equals("}")) {
                if (!nesting.isEmpty()) {
                    nesting.remove(nesting.size() - 1);
                }
                continue;
            }
            int eq = line.indexOf('=');
            if (eq < 0) {
                continue;
            }
            String key = line.substring(0, eq).trim();
            String value = line.substring(eq + 1).trim();
            if (value.endsWith("*")) {
                value = value.substring(0, value.length() - 1).trim(); // MIT's "final" marker
            }
            if (value.equals("{")) {
                nesting.add(key);
                continue;
            }
            if (value.startsWith("\"") && value.endsWith("\"") && value.length() >= 2) {
                value = value.substring(1, value.length() - 1);
            }
            switch (section) {
                case "libdefaults" -> {
                    if (nesting.isEmpty()) {
                        libdefaults.put(key.toLowerCase(Locale.ROOT), value);
                    }
                }
                case "realms" -> {
                    if (nesting.size() == 1 && key.equalsIgnoreCase("kdc")) {
                        kdcs.computeIfAbsent(nesting.get(0), r -> new ArrayList<>()).add(value);
                    }
                }
                case "domain_realm" -> {
                    if (nesting.isEmpty()) {
                        domainRealm.put(key.toLowerCase(Locale.ROOT), value);
                    }
                }
                default -> {
                    // other sections do not concern the client side of a connection
                }
            }
        }
        Map<String, List<String>> frozen = new LinkedHashMap<>();
        kdcs.forEach((realm, list) -> frozen.put(realm, List.copyOf(list)));
        return new Krb5Config(path, source, true, emptyToNull(libdefaults.get("default_realm")),
                emptyToNull(libdefaults.get("default_ccache_name")), frozen, domainRealm, libdefaults);
    }

    /**
     * The realm of a host as Java works it out: an exact {@code [domain_realm]} entry, else the longest
     * matching {@code .domain} entry, else the default realm (may be null).
     */
    public String realmOf(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        String exact = domainRealm.get(h);
        if (exact != null) {
            return exact;
        }
        String best = null;
        int bestLength = -1;
        for (Map.Entry<String, String> e : domainRealm.entrySet()) {
            String d = e.getKey();
            if (d.startsWith(".") && h.endsWith(d) && d.length() > bestLength) {
                best = e.getValue();
                bestLength = d.length();
            }
        }
        return best != null ? best : defaultRealm;
    }

    /** The {@code kdc} entries of a realm (as written, {@code host[:port]}), matched case-insensitively. */
    public List<String> kdcsOf(String realm) {
        if (realm == null) {
            return List.of();
        }
        for (Map.Entry<String, List<String>> e : kdcs.entrySet()) {
            if (e.getKey().equalsIgnoreCase(realm)) {
                return e.getValue();
            }
        }
        return List.of();
    }

    /** {@code udp_preference_limit = 1} (or any value ≤ 1): the client talks TCP to the KDC first. */
    public boolean prefersTcp() {
        String v = libdefaults.get("udp_preference_limit");
        try {
            return v != null && Integer.parseInt(v.trim()) <= 1;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static String stripComment(String line) {
        String t = line.stripLeading();
        return t.startsWith("#") || t.startsWith(";") ? "" : line;
    }

    private static String emptyToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
