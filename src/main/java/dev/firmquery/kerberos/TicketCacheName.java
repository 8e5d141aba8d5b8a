package dev.firmquery.kerberos;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Which Kerberos ticket cache a user's {@code kinit} filled, and whether Java can read it.
 *
 * <p>Looked up like MIT Kerberos does: {@code kerberos.ticket_cache}, else {@code KRB5CCNAME}, else
 * krb5.conf's {@code default_ccache_name}, else {@code FILE:/tmp/krb5cc_<uid>}. Java's Kerberos reads
 * {@code FILE:} caches only; RHEL and Fedora default to {@code KEYRING:persistent:<uid>} or {@code KCM:},
 * which it cannot read.
 *
 * @param name   the full name as given or defaulted, e.g. {@code KEYRING:persistent:1000}; a plain path gets {@code FILE:}
 * @param type   the cache type in upper case: {@code FILE}, {@code KEYRING}, {@code KCM}, {@code DIR}, {@code API}, {@code MEMORY}...
 * @param file   the file of a {@code FILE:} cache, else null
 * @param source where the name came from, for messages
 */
public record TicketCacheName(String name, String type, Path file, String source) {

    /**
     * @param configured  {@code kerberos.ticket_cache} (empty: not set)
     * @param environment the process environment ({@code KRB5CCNAME})
     * @param krb5        the krb5.conf in use ({@code default_ccache_name})
     * @param uid         the numeric user id, for {@code /tmp/krb5cc_<uid>} and {@code %{uid}}
     * @param userName    the user name, for {@code %{username}}
     */
    public static TicketCacheName resolve(String configured, Map<String, String> environment, Krb5Config krb5,
                                          long uid, String userName) {
        if (configured != null && !configured.isBlank()) {
            return of(configured.trim(), "kerberos.ticket_cache");
        }
        String env = environment.get("KRB5CCNAME");
        if (env != null && !env.isBlank()) {
            return of(env.trim(), "KRB5CCNAME");
        }
        if (krb5 != null && krb5.defaultCcacheName() != null) {
            return of(expand(krb5.defaultCcacheName(), uid, userName), "default_ccache_name in " + krb5.path());
        }
        return of("FILE:/tmp/krb5cc_" + uid, "default /tmp/krb5cc_<uid>");
    }

    /** A cache name with its type worked out; a name without a {@code TYPE:} prefix is a file. */
    public static TicketCacheName of(String name, String source) {
        int colon = name.indexOf(':');
        // A one-letter prefix would be a Windows drive, and a '/' before the colon makes it a path.
        if (colon > 1 && name.lastIndexOf('/', colon) < 0) {
            String type = name.substring(0, colon).toUpperCase(Locale.ROOT);
            String rest = name.substring(colon + 1);
            return new TicketCacheName(type + ":" + rest, type, type.equals("FILE") ? Path.of(rest) : null, source);
        }
        return new TicketCacheName("FILE:" + name, "FILE", Path.of(name), source);
    }

    /** Whether Java's Kerberos can read this cache. */
    public boolean javaCanRead() {
        return file != null;
    }

    /** E.g. {@code FILE:/tmp/krb5cc_1000 (from KRB5CCNAME)}. */
    public String describe() {
        return name + " (from " + source + ")";
    }

    /**
     * The fix for a cache Java cannot read, one line: switch to a file cache, or let the OS library read it.
     */
    public String unreadableHint() {
        return "the ticket cache " + describe() + " is a " + type + " cache, which Java cannot read (it reads FILE: "
                + "caches only); run: export KRB5CCNAME=FILE:/tmp/krb5cc_$(id -u); kinit  - or set kerberos.mode to "
                + "native to use the system's Kerberos library, which reads " + type + " caches";
    }

    /** MIT's {@code %{...}} tokens in {@code default_ccache_name} that matter on Linux. */
    static String expand(String template, long uid, String userName) {
        return template.replace("%{uid}", Long.toString(uid))
                .replace("%{euid}", Long.toString(uid))
                .replace("%{USERID}", Long.toString(uid))
                .replace("%{username}", userName == null ? "" : userName)
                .replace("%{TEMP}", "/tmp")
                .replace("%{null}", "");
    }
}
