package dev.firmquery.kerberos;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** Kerberos encryption type numbers (RFC 3961 registry) by name, and which ones Java 17 uses by default. */
final class Enctypes {
    private static final Map<Integer, String> NAMES = Map.ofEntries(
            Map.entry(1, "des-cbc-crc"), Map.entry(3, "des-cbc-md5"), Map.entry(16, "des3-cbc-sha1"),
            Map.entry(17, "aes128-cts-hmac-sha1-96"), Map.entry(18, "aes256-cts-hmac-sha1-96"),
            Map.entry(19, "aes128-cts-hmac-sha256-128"), Map.entry(20, "aes256-cts-hmac-sha384-192"),
            Map.entry(23, "rc4-hmac"), Map.entry(24, "rc4-hmac-exp"), Map.entry(25, "camellia128-cts-cmac"),
            Map.entry(26, "camellia256-cts-cmac"));

    private Enctypes() {
    }

    static String name(int enctype) {
        return NAMES.getOrDefault(enctype, "enctype " + enctype);
    }

    static List<String> names(Collection<Integer> enctypes) {
        List<String> names = new ArrayList<>();
        for (int e : enctypes) {
            names.add(name(e));
        }
        return names;
    }

    /** AES: the only family Java 17 accepts without {@code allow_weak_crypto} (DES, 3DES and RC4 are disabled). */
    static boolean javaDefault(int enctype) {
        return enctype >= 17 && enctype <= 20;
    }

    static boolean anyJavaDefault(Collection<Integer> enctypes) {
        for (int e : enctypes) {
            if (javaDefault(e)) {
                return true;
            }
        }
        return false;
    }
}
