package dev.firmquery.threads;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NamedThreadsTest {

    @Test
    @DisplayName("numbered threads are daemons named prefix-1, prefix-2, ...")
    void numbered() {
        NamedThreads f = NamedThreads.numbered("firmquery-worker");
        Thread a = f.newThread(() -> { });
        Thread b = f.newThread(() -> { });
        assertEquals(List.of("firmquery-worker-1", "firmquery-worker-2"), List.of(a.getName(), b.getName()));
        assertTrue(a.isDaemon() && b.isDaemon());
    }

    @Test
    @DisplayName("a single thread is named exactly as asked")
    void single() {
        assertEquals("firmquery-journal", NamedThreads.single("firmquery-journal").newThread(() -> { }).getName());
    }

    @Test
    @DisplayName("threads come only from the one factory: no new Thread( anywhere in src/main")
    void noHandMadeThreads() throws IOException {
        List<Path> found;
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            found = files.filter(p -> p.toString().endsWith(".java")).filter(p -> {
                try {
                    return Files.readString(p).contains("new Thread(");
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }).toList();
        }
        assertEquals(List.of(), found);
    }
}
