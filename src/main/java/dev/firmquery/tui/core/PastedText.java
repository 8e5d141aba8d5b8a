package dev.firmquery.tui.core;

import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;

import java.util.function.Supplier;

/**
 * One whole bracketed paste as one key stroke (docs/tui.md, "Pasting IDs"), made by the frame's input
 * decoder. Its type is {@link KeyType#Unknown}, which no Lanterna component takes: the frame and the
 * paste dialog handle it before delivery.
 */
public final class PastedText extends KeyStroke {
    private final Supplier<String> source;
    private String text;

    /** A paste whose text {@code source} gives on first use (the decoder's queue). */
    public PastedText(Supplier<String> source) {
        super(KeyType.Unknown, false, false);
        this.source = source;
    }

    /** A paste of {@code text}. */
    public static PastedText of(String text) {
        return new PastedText(() -> text);
    }

    /** The pasted text, line breaks as {@code \n}. */
    public synchronized String text() {
        if (text == null) {
            String t = source.get();
            text = t == null ? "" : t;
        }
        return text;
    }
}
