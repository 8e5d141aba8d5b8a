package dev.firmquery.kerberos;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Java's Kerberos configuration is process-wide (system properties that a Kerberos login sets). This
 * extension puts them back after each test class, so tests elsewhere in the same surefire JVM see the
 * JVM as it was. Kerberos test classes also share the resource lock {@value #LOCK}, so they never run
 * at the same time even if parallel execution is switched on.
 */
public final class KerberosGlobals implements BeforeAllCallback, AfterAllCallback {
    /** The {@code @ResourceLock} of every class that logs in to Kerberos. */
    public static final String LOCK = "java-kerberos-configuration";

    static final List<String> PROPERTIES = List.of("java.security.krb5.conf", "sun.security.jgss.native",
            "javax.security.auth.useSubjectCredsOnly", "sun.security.krb5.debug");

    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(KerberosGlobals.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        Map<String, String> saved = new HashMap<>();
        for (String p : PROPERTIES) {
            saved.put(p, System.getProperty(p));
        }
        context.getStore(NS).put("saved", saved);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        @SuppressWarnings("unchecked")
        Map<String, String> saved = context.getStore(NS).get("saved", Map.class);
        if (saved != null) {
            saved.forEach(KerberosLab::restoreProperty);
        }
    }
}
