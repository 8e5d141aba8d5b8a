package dev.firmquery.run.store;

import dev.firmquery.testing.TestConfigs;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Data flows one way: the engine ({@code run}) uses the run store, the store uses the writers of
 * final files ({@code export}), never the other way round (docs/architecture.md).
 */
class LayeringTest {
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?dev\\.firmquery\\.([\\w.]+);",
            Pattern.MULTILINE);

    private static List<String> importsOf(String pkg, String forbiddenPrefix, Pattern allowed) throws IOException {
        Path dir = TestConfigs.home().resolve("src/main/java/dev/firmquery").resolve(pkg.replace('.', '/'));
        List<String> offending = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                Matcher m = IMPORT.matcher(Files.readString(f));
                while (m.find()) {
                    String target = m.group(1);
                    if (target.startsWith(forbiddenPrefix) && !allowed.matcher(target).matches()) {
                        offending.add(f.getFileName() + ": " + target);
                    }
                }
            }
        }
        return offending;
    }

    @Test
    void theRunStoreDoesNotUseTheEngine() throws IOException {
        assertEquals(List.of(), importsOf("run.store", "run.", Pattern.compile("run\\.store\\..*")));
    }

    @Test
    void theWritersOfFinalFilesUseNeitherTheEngineNorTheStore() throws IOException {
        assertEquals(List.of(), importsOf("export", "run.", Pattern.compile("(?!)")));
    }

    @Test
    void theSpoolFormatsLiveInTheStoreNotInExport() {
        Path export = TestConfigs.home().resolve("src/main/java/dev/firmquery/export");
        for (String gone : List.of("ChunkSpool.java", "CsvPartWriter.java")) {
            assertTrue(Files.notExists(export.resolve(gone)), gone + " belongs to run/store");
        }
    }
}
