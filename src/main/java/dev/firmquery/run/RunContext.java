package dev.firmquery.run;

import dev.firmquery.db.ConnectionSource;
import dev.firmquery.run.store.RunDirectory;
import dev.firmquery.run.store.RunSession;

import java.util.random.RandomGenerator;

/**
 * What the parts of one executing run share: the request, the described statement, its folder and
 * open session, where connections come from, who hears of progress, the retry jitter and the stop
 * state.
 *
 * @param request     the run
 * @param described   the result columns and the ID column, learnt before any chunk ran
 * @param runDir      the run's folder
 * @param session     this process's session on it (journal, spool segments, lock)
 * @param connections where workers get connections (the pool)
 * @param listener    receives progress events
 * @param jitter      randomness for the retry backoff
 * @param control     cancel, stop and fault state
 */
record RunContext(RunRequest request, RunEngine.Described described, RunDirectory runDir, RunSession session,
                  ConnectionSource connections, RunListener listener, RandomGenerator jitter, RunControl control) {

    /** What the workers' sessions set {@code plan_cache_mode} to on this run's server. */
    PlanCacheMode planCacheMode() {
        return PlanCacheMode.choose(described.server(), request.settings().genericPlans());
    }
}
