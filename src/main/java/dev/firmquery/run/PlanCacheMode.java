package dev.firmquery.run;

import java.util.Objects;

/**
 * What a worker's session sets {@code plan_cache_mode} to, by server and
 * {@code processing.generic_plans}.
 *
 * <ul>
 *   <li>PostgreSQL 12 and later: {@code force_generic_plan}. The chunk statement is the same text for
 *       every full chunk; under the default {@code auto} PostgreSQL re-plans a 250-parameter IN list
 *       for every chunk because a custom plan looks cheaper (about 18 % of the server's CPU in the
 *       1M-ID benchmark). The setting exists from PostgreSQL 12 (release notes, E.x "Allow control
 *       over when generic plans are used for prepared statements"); older servers reject it.</li>
 *   <li>CockroachDB 23.2 and later: {@code auto}, not forced. CockroachDB's default is
 *       {@code force_custom_plan}; its generic plans replace scans with lookup joins and can be
 *       slower (CockroachDB docs, "Cost-Based Optimizer", Query plan type; known limitation
 *       cockroachdb/cockroach#128916), while {@code auto} uses a generic plan only when it costs no
 *       more than the custom ones. The setting came with generic query plans in v24.1 and was ported
 *       to v23.2 patch releases; an older 23.2 patch rejects it, which is logged once and harmless.</li>
 *   <li>Anything else, or {@code processing.generic_plans: false}: left as the server decides.</li>
 * </ul>
 */
public enum PlanCacheMode {
    FORCE_GENERIC_PLAN("force_generic_plan"),
    AUTO("auto"),
    /** Not set: the session keeps the server's default. */
    SERVER_DEFAULT("");

    private final String value;

    PlanCacheMode(String value) {
        this.value = value;
    }

    /** The value for {@code SET plan_cache_mode}; empty for {@link #SERVER_DEFAULT}. */
    public String value() {
        return value;
    }

    /** The {@code SET} statement, or {@code null} when nothing is set. */
    String setStatement() {
        return this == SERVER_DEFAULT ? null : "SET plan_cache_mode = " + value;
    }

    /** "force_generic_plan", "auto", or "server default". */
    public String label() {
        return this == SERVER_DEFAULT ? "server default" : value;
    }

    /** The decision table of the class comment. */
    public static PlanCacheMode choose(DatabaseServer server, boolean genericPlans) {
        Objects.requireNonNull(server, "server");
        if (!genericPlans) {
            return SERVER_DEFAULT;
        }
        return switch (server.kind()) {
            case POSTGRESQL -> server.atLeast(DatabaseServer.Kind.POSTGRESQL, 12, 0) ? FORCE_GENERIC_PLAN : SERVER_DEFAULT;
            case COCKROACHDB -> server.atLeast(DatabaseServer.Kind.COCKROACHDB, 23, 2) ? AUTO : SERVER_DEFAULT;
            case OTHER -> SERVER_DEFAULT;
        };
    }
}
