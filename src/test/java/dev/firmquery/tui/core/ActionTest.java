package dev.firmquery.tui.core;

import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The key bindings: every action reachable without F-keys, no key bound twice. */
class ActionTest {

    @Test
    @DisplayName("every action has a Ctrl or Alt key, since F-keys may not reach the program")
    void everyActionHasAControlOrAltKey() {
        for (Action a : Action.values()) {
            assertTrue(a.allKeys().contains("Ctrl-") || a.allKeys().contains("Alt-"), a + ": " + a.allKeys());
        }
    }

    @Test
    @DisplayName("no key stroke is bound to two actions")
    void noKeyIsBoundTwice() {
        Map<String, Action> seen = new HashMap<>();
        for (Action a : Action.values()) {
            for (String k : a.allKeys().split(", ")) {
                Action before = seen.put(k, a);
                assertNull(before, k + " is bound to " + before + " and " + a);
            }
        }
    }

    @Test
    @DisplayName("F-keys, Ctrl and Alt keys map to their actions")
    void commands() {
        assertEquals(Optional.of(Action.RUN), Action.command(new KeyStroke(KeyType.F5)));
        assertEquals(Optional.of(Action.RUN), Action.command(new KeyStroke('r', true, false)));
        assertEquals(Optional.of(Action.RUN), Action.command(new KeyStroke('R', false, true)));
        assertEquals(Optional.of(Action.CANCEL), Action.command(new KeyStroke(KeyType.Escape)));
        assertEquals(Optional.of(Action.CANCEL), Action.command(new KeyStroke('c', true, false)));
        assertEquals(Optional.of(Action.CONFIG), Action.command(new KeyStroke('c', false, true)));
        assertEquals(Optional.of(Action.QUIT), Action.command(new KeyStroke(KeyType.F10)));
        assertEquals(Optional.of(Action.HELP), Action.command(new KeyStroke(KeyType.F1)));
        assertEquals(Optional.of(Action.PASTE), Action.command(new KeyStroke('v', false, true)));
    }

    @Test
    @DisplayName("plain characters are not commands (a field may want them), only fallbacks")
    void plainCharacters() {
        assertFalse(Action.command(new KeyStroke('q', false, false)).isPresent());
        assertFalse(Action.command(new KeyStroke('?', false, false)).isPresent());
        assertEquals(Optional.of(Action.QUIT), Action.plain(new KeyStroke('q', false, false)));
        assertEquals(Optional.of(Action.HELP), Action.plain(new KeyStroke('?', false, false)));
        assertFalse(Action.plain(new KeyStroke('x', false, false)).isPresent());
    }

    @Test
    @DisplayName("the short forms read as shown in the key bars")
    void shortForms() {
        assertEquals("F5/^R", Action.RUN.shortKeys());
        assertEquals("F1/?", Action.HELP.shortKeys());
        assertEquals("Esc/^C", Action.CANCEL.shortKeys());
        assertEquals("M-v", Action.PASTE.shortKeys());
        assertEquals("M-n/^N", Action.NEW_RUN.shortKeys());
        assertEquals("F10, q, Alt-Q", Action.QUIT.allKeys());
    }
}
