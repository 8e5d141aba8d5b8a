package dev.firmquery.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.firmquery.config.ConfigKey.APPLICATION_MAX_INPUT_IDS;
import static dev.firmquery.config.ConfigKey.APPLICATION_WARNING_THRESHOLD;
import static dev.firmquery.config.ConfigKey.DATABASE_AUTH;
import static dev.firmquery.config.ConfigKey.DATABASE_HOST;
import static dev.firmquery.config.ConfigKey.DATABASE_SSL_MODE;
import static dev.firmquery.config.ConfigKey.DATABASE_MAX_CONNECTIONS;
import static dev.firmquery.config.ConfigKey.KERBEROS_JAAS_CONF;
import static dev.firmquery.config.ConfigKey.KERBEROS_KEYTAB;
import static dev.firmquery.config.ConfigKey.KERBEROS_MODE;
import static dev.firmquery.config.ConfigKey.PROCESSING_ID_BINDING;
import static dev.firmquery.config.ConfigKey.PROCESSING_ID_PATTERN;
import static dev.firmquery.config.ConfigKey.PROCESSING_ID_TYPE;
import static dev.firmquery.config.ConfigKey.PROCESSING_THREAD_COUNT;

/**
 * The rules between keys, each checked after every key has passed its own {@link ValueType} check and
 * only over keys that did (a rule never repeats a key's own problem). None is checked when a source
 * could not be read, since its values might have satisfied them. The list in
 * {@code docs/configuration.md} ("Rules between keys") is {@link #doc()}, in this order.
 */
enum KeyRule {

    THREADS_WITHIN_POOL("`processing.thread_count` ≤ `database.max_connections`.", Map.of(
            PROCESSING_THREAD_COUNT, "at most `database.max_connections`",
            DATABASE_MAX_CONNECTIONS, "at least `processing.thread_count`")) {
        @Override
        void check(Values v) {
            if (v.valid(PROCESSING_THREAD_COUNT, DATABASE_MAX_CONNECTIONS)
                    && v.whole(PROCESSING_THREAD_COUNT) > v.whole(DATABASE_MAX_CONNECTIONS)) {
                v.problem(v.show(PROCESSING_THREAD_COUNT) + " is greater than " + v.show(DATABASE_MAX_CONNECTIONS)
                        + ": each worker needs its own connection; raise database.max_connections or lower "
                        + "processing.thread_count");
            }
        }
    },

    WARNING_WITHIN_MAXIMUM("`application.warning_threshold` ≤ `application.max_input_ids`.", Map.of(
            APPLICATION_WARNING_THRESHOLD, "at most `application.max_input_ids`",
            APPLICATION_MAX_INPUT_IDS, "at least `application.warning_threshold`")) {
        @Override
        void check(Values v) {
            if (v.valid(APPLICATION_MAX_INPUT_IDS, APPLICATION_WARNING_THRESHOLD)
                    && v.whole(APPLICATION_WARNING_THRESHOLD) > v.whole(APPLICATION_MAX_INPUT_IDS)) {
                v.problem(v.show(APPLICATION_WARNING_THRESHOLD) + " is greater than " + v.show(APPLICATION_MAX_INPUT_IDS)
                        + ": the warning would never be seen; lower application.warning_threshold or raise "
                        + "application.max_input_ids");
            }
        }
    },

    LITERAL_NEEDS_INTEGER_IDS("`processing.id_binding: literal` only with `processing.id_type: integer`.", Map.of(
            PROCESSING_ID_BINDING, "`literal` only with `processing.id_type: integer`")) {
        @Override
        void check(Values v) {
            if (v.valid(PROCESSING_ID_BINDING, PROCESSING_ID_TYPE) && v.text(PROCESSING_ID_BINDING).equals("literal")
                    && v.text(PROCESSING_ID_TYPE).equals("text")) {
                v.problem(v.show(PROCESSING_ID_BINDING) + ": literal binding writes the IDs into the SQL text and is "
                        + "only allowed with integer IDs, but " + v.show(PROCESSING_ID_TYPE)
                        + "; use bind or array, or set processing.id_type to integer");
            }
        }
    },

    TEXT_IDS_NEED_A_PATTERN("`processing.id_pattern` must not be empty when `processing.id_type` is `text`.", Map.of(
            PROCESSING_ID_PATTERN, "required with `processing.id_type: text`")) {
        @Override
        void check(Values v) {
            if (v.valid(PROCESSING_ID_PATTERN, PROCESSING_ID_TYPE) && v.text(PROCESSING_ID_TYPE).equals("text")
                    && v.text(PROCESSING_ID_PATTERN).isEmpty()) {
                v.problem(v.show(PROCESSING_ID_PATTERN) + ": a regular expression is required when processing.id_type "
                        + "is text, e.g. " + PROCESSING_ID_PATTERN.defaultValue());
            }
        }
    },

    PATTERN_IGNORED_WITH_INTEGER_IDS("An invalid `processing.id_pattern` is only a warning when `processing.id_type` "
            + "is `integer`, since it is not used (the default pattern stands in).", Map.of(
            PROCESSING_ID_PATTERN, "not used with `processing.id_type: integer`, where an invalid one is only a warning")) {
        @Override
        void check(Values v) {
            if (!v.valid(PROCESSING_ID_PATTERN) && v.valid(PROCESSING_ID_TYPE)
                    && v.text(PROCESSING_ID_TYPE).equals("integer")) {
                v.demote(PROCESSING_ID_PATTERN, "; it is not used with integer IDs, so it is ignored");
            }
        }
    },

    NO_PASSWORD_WITHOUT_TLS("With `database.auth: password` to a host that is not this machine, `database.ssl_mode` "
            + "must be `require`, `verify-ca` or `verify-full` (a mode that does not verify the certificate is a warning).",
            Map.of(DATABASE_SSL_MODE, "not `disable`, `allow` or `prefer` with a password to another machine")) {
        @Override
        void check(Values v) {
            if (!v.valid(DATABASE_AUTH, DATABASE_HOST, DATABASE_SSL_MODE)) {
                return;
            }
            AppConfig.AuthMode auth = v.text(DATABASE_AUTH).equals("password")
                    ? AppConfig.AuthMode.PASSWORD : AppConfig.AuthMode.KERBEROS;
            String host = v.text(DATABASE_HOST);
            String mode = v.text(DATABASE_SSL_MODE).isEmpty()
                    ? TransportSecurity.automaticSslMode(auth, host) : v.text(DATABASE_SSL_MODE);
            TransportSecurity.passwordExposure(auth, host, mode).ifPresentOrElse(
                    problem -> v.problem(v.show(DATABASE_SSL_MODE) + ": " + problem),
                    () -> {
                        if (!HostName.isLoopback(host)) {
                            TransportSecurity.unverifiedWarning(auth, host, mode)
                                    .ifPresent(w -> v.warning("database.ssl_mode: " + w));
                        }
                    });
        }
    },

    KEYTAB_MODE_NEEDS_KEYTAB("`kerberos.mode: keytab` needs `kerberos.keytab` when `database.auth` is `kerberos`.",
            Map.of(KERBEROS_KEYTAB, "required with `kerberos.mode: keytab`")) {
        @Override
        void check(Values v) {
            if (v.valid(DATABASE_AUTH, KERBEROS_MODE, KERBEROS_KEYTAB) && v.text(DATABASE_AUTH).equals("kerberos")
                    && v.text(KERBEROS_MODE).equals("keytab") && v.text(KERBEROS_KEYTAB).isEmpty()) {
                v.problem(v.show(KERBEROS_MODE) + " needs kerberos.keytab, which is empty: set kerberos.keytab to the "
                        + "keytab file, or use kerberos.mode ticket-cache after running kinit");
            }
        }
    },

    JAAS_MODE_NEEDS_JAAS_CONF("`kerberos.mode: jaas` needs `kerberos.jaas_conf` when `database.auth` is `kerberos`.",
            Map.of(KERBEROS_JAAS_CONF, "required with `kerberos.mode: jaas`")) {
        @Override
        void check(Values v) {
            if (v.valid(DATABASE_AUTH, KERBEROS_MODE, KERBEROS_JAAS_CONF) && v.text(DATABASE_AUTH).equals("kerberos")
                    && v.text(KERBEROS_MODE).equals("jaas") && v.text(KERBEROS_JAAS_CONF).isEmpty()) {
                v.problem(v.show(KERBEROS_MODE) + " needs kerberos.jaas_conf, which is empty: set kerberos.jaas_conf "
                        + "to your JAAS configuration file (and kerberos.jaas_entry to its entry), or use kerberos.mode "
                        + "ticket-cache, which needs no file");
            }
        }
    };

    private final String doc;
    private final Map<ConfigKey, String> constraints;

    /**
     * @param doc         the rule as one Markdown sentence
     * @param constraints what the rule means for each key it involves, as that key's reference shows it
     */
    KeyRule(String doc, Map<ConfigKey, String> constraints) {
        this.doc = doc;
        this.constraints = constraints;
    }

    /** The rule as one Markdown sentence, for the reference. */
    String doc() {
        return doc;
    }

    /** What the rules say about {@code key}, in rule order, e.g. {@code at most `database.max_connections`}. */
    static List<String> constraintsOn(ConfigKey key) {
        List<String> texts = new ArrayList<>();
        for (KeyRule rule : values()) {
            String text = rule.constraints.get(key);
            if (text != null) {
                texts.add(text);
            }
        }
        return texts;
    }

    /** Records a problem (or a warning) through {@code v} when the rule is broken. */
    abstract void check(Values v);

    /** What a rule sees: the checked values and where they came from. */
    interface Values {

        /** Whether every one of {@code keys} passed its own check. */
        boolean valid(ConfigKey... keys);

        /** A valid whole-number key's value. */
        int whole(ConfigKey key);

        /** A valid text, path or choice key's canonical value (a choice in lower case, as listed). */
        String text(ConfigKey key);

        /** {@code key = "value" (from origin)}, for messages. */
        String show(ConfigKey key);

        /** Adds a problem. */
        void problem(String text);

        /** Adds a warning. */
        void warning(String text);

        /** Turns {@code key}'s own problem into a warning, with {@code suffix} appended. */
        void demote(ConfigKey key, String suffix);
    }
}
