package dev.firmquery.cli;

import dev.firmquery.exit.ExitCode;

import java.util.Locale;

/**
 * The text of {@code firmquery --help}; kept in step with the CLI reference in README.md. The exit
 * codes come from {@link ExitCode}, the only place that knows their numbers.
 */
final class Help {
    private Help() {
    }

    static final String TEXT = """
            firmquery - run a SQL template over up to 1,000,000 firm_root_id values, in chunks,
            on two pooled connections, and write CSV, Excel, the missing IDs and a report.

            Usage:
              firmquery [common options]   the full-screen UI (needs a terminal; F1 lists its keys)
              firmquery run --ids FILE|- --query NAME|FILE [options]
              firmquery run --resume RUN-DIR | --retry-failed RUN-DIR
              firmquery run --ids FILE|- --query A --query B ... [options]
                                           several queries over one ID list: the IDs are read once,
                                           each query is a run of its own (files, missing list, report);
                                           interrupted, it goes on with batch --resume (the summary says)
              firmquery batch FILE.yaml [--keep-work] [--metrics-file PATH]
                                           the jobs of a batch file (query, params, name, ids); exit
                                           status the worst job's (docs/operations.md, "Several queries")
              firmquery batch --resume <out>/.firmquery/batch-<id>
                                           go on with an interrupted batch (or run --query A --query B):
                                           jobs that ended are not run again
              firmquery demo [--headless] [--size N] [--sample N] [--seed N] [--out DIR]
              firmquery queries            list the named queries with their parameters, where each came
                                           from, which ones another of the same name hides, any the policy
                                           refuses and any that do not validate (with the error)
              firmquery queries show NAME  one query: its file, SHA-256, parameters and text
              firmquery config             show the effective configuration and where each value came from
                                           (--describe: what each key does, allows and defaults to)
              firmquery check              diagnose Kerberos and the database connection, step by step,
                                           with the fix for each failure (exit %d all good, %d otherwise)
              firmquery explain --query NAME|FILE --ids FILE|- [--param NAME=VALUE]... [--chunk N|slowest]
                                           the plan of one chunk as a run would send it: EXPLAIN
                                           (ANALYZE, BUFFERS) in a read-only transaction, its time and
                                           rows, a warning for a large sequential scan; slowest: the
                                           chunk of the highest estimated cost (PostgreSQL)
              firmquery --help | --version

            run options:
              --ids FILE|-          IDs: .txt (any whitespace, comma or semicolon separated), .csv/.tsv
                                    or .xlsx (ID column by header), or - for standard input
              --sheet NAME          the .xlsx sheet to read (default: the first)
              --query NAME|FILE     a template with {ID_PLACEHOLDER} (repeatable: one job per query, run one
                                    after the other; --param goes to each query that declares it); NAME is looked up as **/NAME.sql
                                    in ./sql/queries, ~/.config/firmquery/queries,
                                    /etc/firmquery/queries, the installation's sql/queries, built in
              --param NAME=VALUE    a value for the template's -- @param NAME TYPE (repeatable; a list
                                    is comma-separated: --param countries=DE,FR); always bound, never
                                    written into the SQL. A resume takes the values the run started with
              --out DIR             output directory (default: output.default_directory)
              --format LIST         csv, xlsx, jsonl or a list such as csv,xlsx (default: output.formats)
              --id-column X         input ID column: header name or 1-based number (default firm_root_id)
              --id-column-out X     result column holding the ID (default: the input's ID column name,
                                    else firm_root_id; refused when the result has neither)
              --resume RUN-DIR      finish an interrupted run (Ctrl-C, kill, lost SSH session, outage):
                                    re-runs only chunks not done; RUN-DIR is <out>/.firmquery/<run-id>
              --retry-failed RUN-DIR  re-run only the chunks that failed in a finished partial run
              --keep-work           keep the run directory even when the run completes
              --metrics-file PATH   write Prometheus metrics there every 5 s and at the end, for
                                    node_exporter's textfile collector (output.metrics_file)
              --metrics-port N      serve Prometheus metrics on http://127.0.0.1:N/metrics during the
                                    run (metrics.port; metrics.address for another address)

            demo options:
              --headless            run at once without the full-screen UI (scripts, CI)
              --size N              firms in the generated database (default 200000)
              --sample N            IDs in the generated sample file (default 50000, or what
                                    --size holds: 95 %% of them exist in the table)
              --seed N              seed for the generated data (default 42)

            common options:
              --config FILE         user configuration (default ~/.config/firmquery/config.yaml if present)
              --env NAME            environment overlay config/environments/NAME.yaml
              --set KEY=VALUE       override one key, e.g. --set processing.chunk_size=500 (repeatable)
              --verbose             DEBUG lines in the application log

            Environment: FIRMQUERY_<SECTION>_<KEY> overrides a key (FIRMQUERY_DATABASE_HOST=...);
            FIRMQUERY_DATABASE_PASSWORD, database.password_command, PGPASSWORD, else ~/.pgpass, for
            password auth. /etc/firmquery/config.yaml (FIRMQUERY_SYSTEM_CONFIG) is the administrator's
            layer; its policy may lock keys and approve queries (docs/operations.md).
            Kerberos (database.auth kerberos, the default): run kinit first; KRB5CCNAME and KRB5_CONFIG
            are honoured. See docs/kerberos.md.

            Full-screen UI: F3 browse, F4 load, F5 or Ctrl-R run, Esc or Ctrl-C cancel (asks first),
            F6 re-run failed chunks, F1 or ? help, F10 or q quit; every F-key has a Ctrl/Alt twin.

            Exit codes:
            %s""".formatted(ExitCode.COMPLETED.code(), ExitCode.CONNECT.code(), exitCodes());

    /** One line per {@link ExitCode}: number and meaning. */
    private static String exitCodes() {
        StringBuilder sb = new StringBuilder();
        for (ExitCode c : ExitCode.values()) {
            sb.append(String.format(Locale.ROOT, "  %-4d %s%n", c.code(), c.meaning()));
        }
        return sb.toString();
    }
}
