package dev.firmquery.testing;

import dev.firmquery.localpg.PostgresServer;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Resolves test parameters from {@link TestPostgres}: a {@link TestPostgres.TestDatabase} is a fresh
 * empty database named after the test (or, with {@link DemoDatabase}, the shared demo database); a
 * {@link PostgresServer} is the shared server.
 * <pre>
 * &#64;ExtendWith(PostgresExtension.class)
 * class RunIT {
 *     &#64;Test void fullRun(&#64;DemoDatabase(firms = 20_000) TestDatabase db) { ... }
 * }
 * </pre>
 */
public final class PostgresExtension implements ParameterResolver {

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext extension) {
        Class<?> type = parameter.getParameter().getType();
        return type == TestPostgres.TestDatabase.class || type == PostgresServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext extension) {
        if (parameter.getParameter().getType() == PostgresServer.class) {
            return TestPostgres.server();
        }
        return parameter.findAnnotation(DemoDatabase.class)
                .map(demo -> TestPostgres.demoDatabase(demo.firms(), demo.seed()))
                .orElseGet(() -> TestPostgres.freshDatabase(
                        extension.getTestMethod().map(m -> m.getName()).orElse(extension.getDisplayName())));
    }
}
