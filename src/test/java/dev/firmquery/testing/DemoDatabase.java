package dev.firmquery.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * On a {@link TestPostgres.TestDatabase} parameter resolved by {@link PostgresExtension}: inject the
 * shared, read-only database with this demo data instead of a fresh empty one.
 */
@Target(ElementType.PARAMETER)
@Retention(RetentionPolicy.RUNTIME)
public @interface DemoDatabase {
    int firms();

    long seed() default 42;
}
