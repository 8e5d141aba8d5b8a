package dev.firmquery.cli;

import dev.firmquery.testing.OtherOsUser;
import dev.firmquery.testing.TestConfigs;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code bin/firmquery} on a shared host, run by a second OS user: it builds a missing jar only from a
 * checkout that is entirely that user's, and never starts code that someone else could have written.
 * Maven and Java are stand-ins on the PATH that record that they ran, so the tests see whether the
 * launcher would have executed the checkout's code.
 */
class LauncherTest {
    @TempDir
    Path tmp;

    private Path checkout;
    private Path markers;
    private Path tools;

    @BeforeEach
    void aCheckoutAndStandInTools() throws IOException {
        OtherOsUser.require();
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        checkout = Files.createDirectories(tmp.resolve("checkout"));
        Path bin = Files.createDirectories(checkout.resolve("bin"));
        Files.copy(TestConfigs.home().resolve("bin/firmquery"), bin.resolve("firmquery"), StandardCopyOption.COPY_ATTRIBUTES);
        Files.setPosixFilePermissions(bin.resolve("firmquery"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(checkout.resolve("pom.xml"), "<project/>\n");
        Files.writeString(Files.createDirectories(checkout.resolve("src/main/java")).resolve("App.java"), "class App {}\n");
        Files.writeString(Files.createDirectories(checkout.resolve("config")).resolve("default.yaml"), "{}\n");

        markers = Files.createDirectories(tmp.resolve("markers"));
        Files.setPosixFilePermissions(markers, PosixFilePermissions.fromString("rwxrwxrwx"));
        tools = Files.createDirectories(tmp.resolve("tools"));
        // The build's stand-in: what running the checkout's pom would do, recorded.
        tool(tools, "mvn", "echo \"$(id -un)\" > \"$MARKERS/mvn-ran\"; mkdir -p target; echo jar > target/firmquery.jar");
        tool(tools, "java", "echo \"$(id -un)\" > \"$MARKERS/java-ran\"; echo \"java $*\"");
    }

    @Test
    void aMissingJarIsBuiltFromACheckoutThatIsEntirelyTheUsers() throws IOException {
        OtherOsUser.own(checkout);

        OtherOsUser.Result r = launch();

        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("building " + checkout.resolve("target/firmquery.jar")), r.output());
        assertEquals(OtherOsUser.NAME + "\n", Files.readString(markers.resolve("mvn-ran")), "Maven ran, as the user");
        assertTrue(Files.exists(markers.resolve("java-ran")));
    }

    @Test
    void aCheckoutOfAnotherUserIsNeverBuilt() throws IOException {
        // The checkout belongs to root, as an install someone else made.
        OtherOsUser.Result r = launch();

        assertEquals(2, r.exitCode(), r.output());
        assertTrue(r.output().contains("is missing, and building it would run Maven on files you do not control"),
                r.output());
        assertTrue(r.output().contains(checkout + " belongs to root, not to you"), r.output());
        assertTrue(r.output().contains("ask root to build it (cd " + checkout + " && mvn -B -DskipTests package)"),
                r.output());
        assertNothingRan();
        assertFalse(Files.exists(checkout.resolve("target")), "nothing was built");
    }

    @Test
    void aSourceFileOthersCanWriteStopsTheBuild() throws IOException {
        OtherOsUser.own(checkout);
        Path source = checkout.resolve("src/main/java/App.java");
        Files.setPosixFilePermissions(source, PosixFilePermissions.fromString("rw-rw-r--"));

        OtherOsUser.Result r = launch();

        assertEquals(2, r.exitCode(), r.output());
        assertTrue(r.output().contains(source + " is writable by group or others (mode 664)"), r.output());
        assertTrue(r.output().contains("chmod -R go-w " + checkout), r.output());
        assertNothingRan();
    }

    @Test
    void aSourceFilePlantedByAnotherUserStopsTheBuild() throws IOException {
        OtherOsUser.own(checkout);
        Path planted = Files.writeString(checkout.resolve("src/main/java/Evil.java"), "class Evil {}\n"); // root's

        OtherOsUser.Result r = launch();

        assertEquals(2, r.exitCode(), r.output());
        assertTrue(r.output().contains(planted + " belongs to root, not to you"), r.output());
        assertNothingRan();
    }

    @Test
    void aClassPlantedInTargetStopsTheBuild() throws IOException {
        OtherOsUser.own(checkout);
        Path planted = Files.writeString(Files.createDirectories(checkout.resolve("target/classes")).resolve("X.class"), "");
        OtherOsUser.own(checkout.resolve("target"));
        Files.setOwner(planted, java.nio.file.FileSystems.getDefault().getUserPrincipalLookupService()
                .lookupPrincipalByName("root"));

        OtherOsUser.Result r = launch();

        assertEquals(2, r.exitCode(), r.output());
        assertTrue(r.output().contains(planted + " belongs to root"), r.output());
        assertNothingRan();
    }

    @Test
    void aStaleJarInAnotherUsersInstallRunsAsItIsWithAWarning() throws IOException {
        Path jar = Files.writeString(Files.createDirectories(checkout.resolve("target")).resolve("firmquery.jar"), "jar\n");
        Files.setLastModifiedTime(jar, FileTime.from(Instant.now().minusSeconds(3600))); // older than the sources

        OtherOsUser.Result r = launch();

        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("warning: the sources in " + checkout + " are newer than " + jar
                + ", but it is not rebuilt"), r.output());
        assertFalse(Files.exists(markers.resolve("mvn-ran")), "Maven did not run");
        assertTrue(Files.exists(markers.resolve("java-ran")), "the installed jar did");
    }

    @Test
    void aJarOthersCouldHaveReplacedIsNotStarted() throws IOException {
        Path jar = Files.writeString(Files.createDirectories(checkout.resolve("target")).resolve("firmquery.jar"), "jar\n");
        Files.setPosixFilePermissions(jar, PosixFilePermissions.fromString("rw-rw-rw-"));

        OtherOsUser.Result r = launch();

        assertEquals(2, r.exitCode(), r.output());
        assertTrue(r.output().contains("refusing to run " + jar + ": " + jar + " is writable by group or others"),
                r.output());
        assertNothingRan();
    }

    @Test
    void theCheckoutsOwnClassDataScriptIsSourced() throws IOException {
        aBuiltJarAndAClassDataScript("rw-r--r--");

        OtherOsUser.Result r = launch();

        assertEquals(0, r.exitCode(), r.output());
        assertEquals(OtherOsUser.NAME + "\n", Files.readString(markers.resolve("cds-sourced")), r.output());
        assertTrue(Files.exists(markers.resolve("java-ran")));
    }

    @Test
    void aClassDataScriptOthersCanWriteIsNeverSourcedButTheJarStillRuns() throws IOException {
        aBuiltJarAndAClassDataScript("rw-rw-rw-");

        OtherOsUser.Result r = launch();

        assertEquals(0, r.exitCode(), r.output());
        assertFalse(Files.exists(markers.resolve("cds-sourced")), "a script others could have changed must not run");
        assertTrue(Files.exists(markers.resolve("java-ran")), "the JVM starts without an archive, as before");
    }

    /** A checkout of the user's with its jar built, and src/dist/lib/cds.bash that records being sourced. */
    private void aBuiltJarAndAClassDataScript(String mode) throws IOException {
        Path script = Files.writeString(Files.createDirectories(checkout.resolve("src/dist/lib")).resolve("cds.bash"),
                "echo \"$(id -un)\" > \"$MARKERS/cds-sourced\"\ncds_plan() { :; }\n");
        Path jar = Files.writeString(Files.createDirectories(checkout.resolve("target")).resolve("firmquery.jar"), "jar\n");
        Files.setLastModifiedTime(jar, FileTime.from(Instant.now().plusSeconds(60))); // newer than the sources
        OtherOsUser.own(checkout);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString(mode));
    }

    @Test
    void theJvmRunsWithTheParallelCollectorByDefault() throws IOException {
        OtherOsUser.own(checkout);

        OtherOsUser.Result r = launch();

        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("java -XX:CompileThresholdScaling=4 -XX:+UseParallelGC "), r.output());
    }

    @Test
    void aCollectorChosenInJavaOptionsReplacesTheDefault() throws IOException {
        OtherOsUser.own(checkout);

        OtherOsUser.Result r = launch("JAVA_OPTS=-Xmx256m -XX:+UseG1GC");

        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("-XX:+UseG1GC"), r.output());
        assertFalse(r.output().contains("UseParallelGC"), "the JVM refuses two collectors: " + r.output());
    }

    private OtherOsUser.Result launch(String environment) throws IOException {
        return OtherOsUser.runAs(List.of("env", "PATH=" + tools + ":/usr/bin:/bin", "MARKERS=" + markers,
                environment, checkout.resolve("bin/firmquery").toString(), "--version"));
    }

    private OtherOsUser.Result launch() throws IOException {
        return OtherOsUser.runAs(List.of("env", "PATH=" + tools + ":/usr/bin:/bin", "MARKERS=" + markers,
                checkout.resolve("bin/firmquery").toString(), "--version"));
    }

    private void assertNothingRan() {
        assertFalse(Files.exists(markers.resolve("mvn-ran")), "Maven must not run");
        assertFalse(Files.exists(markers.resolve("java-ran")), "no jar may start");
    }

    private static void tool(Path dir, String name, String body) throws IOException {
        Path p = Files.writeString(dir.resolve(name), "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
