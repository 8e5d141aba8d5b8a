package dev.firmquery.kerberos;

import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * One check a mode makes before Java's login, which fails with one generic message for many causes
 * (docs/decisions.md, "Kerberos"): when {@code violated} holds for the facts, the login is refused
 * with the {@code diagnosis} (cause and fix). A mode's checks are a list of rules, tried in order.
 *
 * @param <T> the facts the rule looks at (a path, a parsed cache or keytab)
 */
record LoginRule<T>(Predicate<T> violated, Function<T, Diagnosis> diagnosis) {

    static <T> LoginRule<T> refuse(Predicate<T> violated, Function<T, Diagnosis> diagnosis) {
        return new LoginRule<>(violated, diagnosis);
    }

    /** @throws KerberosException with the diagnosis of the first rule {@code facts} violate */
    static <T> void checkAll(List<LoginRule<T>> rules, T facts) throws KerberosException {
        for (LoginRule<T> rule : rules) {
            if (rule.violated().test(facts)) {
                throw new KerberosException(rule.diagnosis().apply(facts), null);
            }
        }
    }
}
