package dev.firmquery.kerberos;

import java.util.Locale;

/** Where the Kerberos credentials come from ({@code kerberos.mode}). */
public enum KerberosMode {
    /** The user's {@code kinit} ticket cache; Java reads {@code FILE:} caches only. */
    TICKET_CACHE("ticket-cache"),
    /** A keytab and a principal, for cron and batch jobs: firmquery gets and renews its own tickets. */
    KEYTAB("keytab"),
    /** The operating system's GSS library (MIT krb5), which reads any cache type (KEYRING, KCM, DIR). */
    NATIVE("native"),
    /** A JAAS configuration file the site already has ({@code kerberos.jaas_conf}, {@code kerberos.jaas_entry}). */
    JAAS("jaas");

    private final String configName;

    KerberosMode(String configName) {
        this.configName = configName;
    }

    /** The name used in the configuration, e.g. {@code ticket-cache}. */
    public String configName() {
        return configName;
    }

    /**
     * The mode a configuration value names (case-insensitive, {@code _} for {@code -}).
     *
     * @throws IllegalArgumentException for anything else (the configuration validator refuses it first)
     */
    public static KerberosMode of(String configName) {
        String wanted = configName == null ? "" : configName.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        for (KerberosMode m : values()) {
            if (m.configName.equals(wanted)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown kerberos.mode '" + configName
                + "'; expected ticket-cache, keytab, native or jaas");
    }
}
