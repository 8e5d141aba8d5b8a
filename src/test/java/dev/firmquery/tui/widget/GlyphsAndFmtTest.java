package dev.firmquery.tui.widget;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/** Small value helpers: glyph choice and formatting. */
class GlyphsAndFmtTest {
    @Test
    @DisplayName("Unicode glyphs need a UTF-8 locale and a terminal type other than a VT100")
    void glyphs() {
        assertSame(Glyphs.UNICODE, Glyphs.forEnvironment(Map.of("LANG", "en_US.UTF-8", "TERM", "tmux-256color")));
        assertSame(Glyphs.UNICODE, Glyphs.forEnvironment(Map.of("LC_ALL", "C.utf8", "TERM", "screen-256color")));
        assertSame(Glyphs.ASCII, Glyphs.forEnvironment(Map.of("LANG", "en_US.UTF-8", "TERM", "vt100")));
        assertSame(Glyphs.ASCII, Glyphs.forEnvironment(Map.of("LC_ALL", "C", "LANG", "en_US.UTF-8")));
        assertSame(Glyphs.ASCII, Glyphs.forEnvironment(Map.of("TERM", "xterm-256color")));
        assertSame(Glyphs.ASCII, Glyphs.forEnvironment(Map.of("LANG", "C.UTF-8", "FIRMQUERY_UI_ASCII", "1")));
    }

    @Test
    @DisplayName("numbers, sizes, durations and cut text")
    void formatting() {
        assertEquals("1,234,567", Fmt.count(1_234_567));
        assertEquals("1 chunk", Fmt.plural(1, "chunk", "chunks"));
        assertEquals("1:02:03", Fmt.clock(Duration.ofSeconds(3723)));
        assertEquals("0:07", Fmt.clock(Duration.ofSeconds(7)));
        assertEquals("4.8 s", Fmt.seconds(Duration.ofMillis(4800)));
        assertEquals("35.8 KB", Fmt.bytes(36_614));
        assertEquals("99%", Fmt.percent(999, 1000));
        assertEquals("100%", Fmt.percent(1000, 1000));
        assertEquals("abc...", Fmt.fit("abcdefghij", 6, Glyphs.ASCII));
        assertEquals("…/b/c.csv", Fmt.fitStart("/a/b/c.csv", 9, Glyphs.UNICODE));
        assertEquals("cockro…firms", Fmt.fitMiddle("cockroach.example:26257/firms", 12, Glyphs.UNICODE));
        assertEquals("a?b c", Fmt.printable("a\u001bb\tc"));
    }
}
