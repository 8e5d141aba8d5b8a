package dev.firmquery.kerberos;

import javax.sql.DataSource;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * The driver's data source with every connection opened inside the session's Subject, so the GSSAPI
 * handshake uses the ticket firmquery logged in with. The pool (c3p0) opens connections through it
 * from its own threads.
 *
 * <p>A failed connection whose cause is recognised (unknown service principal, clock skew, user-name
 * mismatch, TLS required...) is rethrown with the cause and fix as its message and the driver's
 * SQLState; the driver's exception is kept as a suppressed exception, so the pool's error message,
 * which shows the innermost SQL error, shows ours.
 */
final class SubjectDataSource implements DataSource {
    private final DataSource driver;
    private final KerberosSession session;
    private final String sslMode;

    SubjectDataSource(DataSource driver, KerberosSession session) {
        this.driver = driver;
        this.session = session;
        this.sslMode = driver instanceof org.postgresql.ds.common.BaseDataSource b ? b.getSslMode() : null;
    }

    @Override
    public Connection getConnection() throws SQLException {
        try {
            return session.callAs(driver::getConnection);
        } catch (SQLException e) {
            throw explained(e);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new SQLException("opening a connection inside the Kerberos login failed: " + e, "08001", e);
        }
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        // The user comes from the configuration or the principal; a pool asking for another is a bug.
        throw new SQLFeatureNotSupportedException("Kerberos connections use the configured user; call getConnection()");
    }

    private SQLException explained(SQLException e) {
        Optional<Diagnosis> d = KerberosErrors.diagnose(e, session.errorContext(sslMode));
        if (d.isEmpty()) {
            return e;
        }
        Throwable nonSql = e.getCause();
        while (nonSql instanceof SQLException) {
            nonSql = nonSql.getCause();
        }
        SQLException explained = new SQLException(d.get().line(), e.getSQLState(), nonSql);
        explained.addSuppressed(e);
        return explained;
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return driver.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        driver.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        driver.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return driver.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return driver.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        return driver.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return iface.isInstance(this) || driver.isWrapperFor(iface);
    }
}
