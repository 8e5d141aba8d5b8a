package dev.firmquery.run;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code firmquery --version}: the version, the build and the Java runtime, from the build's resource. */
class VersionTest {
    @Test
    void theBuildFillsInTheVersion() {
        assertTrue(Version.current().matches("\\d+\\.\\d+\\.\\d+.*"), Version.current());
    }

    @Test
    void theCommitIsAGitCommitOrUnknownWithoutGit() {
        // A build in a clone names its commit; one without git (a source export) says unknown.
        assertTrue(Version.commit().matches("[0-9a-f]{7,40}(-dirty)?|unknown"), Version.commit());
        assertTrue(Version.commitTime().matches("\\d{4}-\\d\\d-\\d\\dT.*|unknown"), Version.commitTime());
    }

    @Test
    void theBuildTimeIsAnInstantInUtc() {
        assertTrue(Version.buildTime().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ"), Version.buildTime());
    }

    @Test
    void describeNamesTheVersionTheBuildAndTheJavaRuntimeInUse() {
        List<String> lines = Version.describe().lines().toList();
        assertEquals("firmquery " + Version.current(), lines.get(0));
        assertTrue(lines.get(1).startsWith("commit:  " + Version.commit()), lines::toString);
        assertEquals("built:   " + Version.buildTime(), lines.get(2));
        assertTrue(lines.get(3).startsWith("java:    " + System.getProperty("java.runtime.version")), lines::toString);
        assertTrue(lines.get(3).contains(System.getProperty("java.vm.name")), lines::toString);
        assertEquals("runtime: " + System.getProperty("java.home"), lines.get(4));
        assertEquals(5, lines.size());
    }
}
