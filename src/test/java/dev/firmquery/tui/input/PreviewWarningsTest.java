package dev.firmquery.tui.input;

import dev.firmquery.config.AppConfig;
import dev.firmquery.tui.Sessions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Warnings that matter for the run come first in the preview, where a small terminal still shows them. */
class PreviewWarningsTest {
    @TempDir
    Path dir;

    private AppConfig lockedConfig() {
        AppConfig c = Sessions.session(dir).config();
        return new AppConfig(c.application(), c.database(), c.kerberos(), c.processing(), c.output(), c.logging(),
                new AppConfig.Policy(Path.of("/etc/firmquery/config.yaml"),
                        Set.of("processing.chunk_size", "output.formats"), List.of(), List.of()), c.metrics());
    }

    @Test
    @DisplayName("a low-disk warning and the locked settings come right after the errors, before the counts")
    void warningsFirst() {
        Preview p = new Preview(new InputSource.Pasted("1\n2\n"), "", "firm_names", null, null, null,
                List.of("No query chosen"), List.of("only 3 MB free in /data/out; ..."));
        List<String> lines = InputScreen.previewLines(p, lockedConfig());
        assertEquals("Error  No query chosen", lines.get(0));
        assertEquals("Warn   only 3 MB free in /data/out; ...", lines.get(1));
        assertEquals("Locked output.formats, processing.chunk_size by the policy (/etc/firmquery/config.yaml): this"
                + " run uses them as set there", lines.get(2));
    }

    @Test
    @DisplayName("with nothing locked and room on disk there is no warning line")
    void noWarnings() {
        Preview p = new Preview(new InputSource.Pasted("1\n"), "", "firm_names", null, null, null, List.of());
        List<String> lines = InputScreen.previewLines(p, Sessions.session(dir).config());
        assertTrue(lines.stream().noneMatch(l -> l.startsWith("Warn") || l.startsWith("Locked")), lines.toString());
    }
}
