package dev.firmquery.tui;

import com.googlecode.lanterna.input.DefaultKeyDecodingProfile;
import com.googlecode.lanterna.input.InputDecoder;
import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import dev.firmquery.tui.core.PastedText;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bracketed paste through Lanterna's own decoder: a paste is one key stroke, the keys around it stay keys. */
class BracketedPasteTest {
    private static final String START = "\033[200~";
    private static final String END = "\033[201~";

    private static InputDecoder decoder(BracketedPaste paste, InputStream in) {
        InputDecoder d = new InputDecoder(new InputStreamReader(paste.filter(in), StandardCharsets.UTF_8));
        d.addProfile(new DefaultKeyDecodingProfile());
        d.addProfile(paste.profile());
        return d;
    }

    private static List<KeyStroke> keys(String input) throws IOException {
        BracketedPaste paste = new BracketedPaste(StandardCharsets.UTF_8);
        InputDecoder d = decoder(paste, new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)));
        List<KeyStroke> keys = new ArrayList<>();
        for (KeyStroke k; (k = d.getNextCharacter(true)) != null && k.getKeyType() != KeyType.EOF; ) {
            keys.add(k);
        }
        return keys;
    }

    @Test
    @DisplayName("a paste between typed keys is one key stroke holding the whole text, CR line breaks as \\n")
    void oneKeyStroke() throws IOException {
        List<KeyStroke> keys = keys("a" + START + "101\r102\r\n103" + END + "b");
        assertEquals(3, keys.size(), keys.toString());
        assertEquals('a', keys.get(0).getCharacter());
        assertEquals("101\n102\n103", assertInstanceOf(PastedText.class, keys.get(1)).text());
        assertEquals('b', keys.get(2).getCharacter());
    }

    @Test
    @DisplayName("100,000 IDs pasted arrive whole and exact, in well under a second")
    void aHundredThousandIds() throws IOException {
        String ids = IntStream.rangeClosed(1, 100_000).mapToObj(i -> Integer.toString(10_000_000 + i))
                .collect(Collectors.joining("\r"));
        long t0 = System.nanoTime();
        List<KeyStroke> keys = keys(START + ids + END);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(1, keys.size());
        String text = assertInstanceOf(PastedText.class, keys.get(0)).text();
        assertEquals(100_000, text.split("\n").length);
        assertEquals(ids.replace('\r', '\n'), text);
        assertTrue(ms < 5_000, "took " + ms + " ms");
    }

    @Test
    @DisplayName("arrow keys, F-keys and an Esc typed alone are decoded as before")
    void otherEscapeSequencesPass() throws IOException {
        List<KeyStroke> keys = keys("\033[A\033OP\033[20~x");
        assertEquals(List.of(KeyType.ArrowUp, KeyType.F1, KeyType.F9, KeyType.Character),
                keys.stream().map(KeyStroke::getKeyType).toList());
    }

    @Test
    @DisplayName("an Esc typed alone is handed on at once, without waiting for the next key")
    void loneEscIsNotHeld() throws Exception {
        BracketedPaste paste = new BracketedPaste(StandardCharsets.UTF_8);
        PipedOutputStream typing = new PipedOutputStream();
        InputStream filtered = paste.filter(new PipedInputStream(typing));
        typing.write(27);
        typing.flush();
        assertEquals(1, filtered.available(), "the Esc is ready although no other byte follows");
        assertEquals(27, filtered.read());
        typing.close();
    }

    @Test
    @DisplayName("a paste of non-ASCII IDs is decoded once with the terminal's charset")
    void charset() throws IOException {
        List<KeyStroke> keys = keys(START + "Zürich-1\nМосква-2" + END);
        assertEquals("Zürich-1\nМосква-2", assertInstanceOf(PastedText.class, keys.get(0)).text());
    }
}
