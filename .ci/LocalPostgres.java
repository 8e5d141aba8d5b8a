import dev.firmquery.localpg.PostgresServer;

/**
 * A throwaway PostgreSQL server for .ci/tui-e2e.sh, from the jar's own launcher (the same rules as the
 * demo's: installed server binaries as root, run as the postgres OS user, else the bundled ones):
 * prints one line "HOST PORT DATABASE USER PASSWORD" and stops the server when its standard input ends.
 *
 *   java -cp target/firmquery.jar .ci/LocalPostgres.java < fifo > server.line
 */
public class LocalPostgres {
    public static void main(String[] args) throws Exception {
        try (PostgresServer server = PostgresServer.start(PostgresServer.Options.defaults())) {
            System.out.println(server.host() + " " + server.port() + " " + server.database() + " " + server.user()
                    + " " + server.password());
            System.out.flush();
            while (System.in.read() >= 0) {
                // The script holds the other end open while the UI needs the server.
            }
        }
    }
}
