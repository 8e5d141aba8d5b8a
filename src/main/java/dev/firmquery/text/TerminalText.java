package dev.firmquery.text;

/**
 * Text from elsewhere (server error messages, input values, file names) made safe to print on a
 * terminal: a control character in it could move the cursor, rewrite earlier lines, change the
 * window title or forge a line of firmquery's own output. Shared by the full-screen UI and headless
 * output, so both show the same text.
 */
public final class TerminalText {
    private TerminalText() {
    }

    /**
     * {@code text} with every C0 control (including CR, LF and ESC), DEL and C1 control replaced: a tab
     * by a blank, anything else by {@code ?}. Null gives the empty string. Returns {@code text} itself
     * when nothing needs replacing.
     */
    public static String printable(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder b = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)) {
                if (b == null) {
                    b = new StringBuilder(text.length());
                    b.append(text, 0, i);
                }
                b.append(c == '\t' ? ' ' : '?');
            } else if (b != null) {
                b.append(c);
            }
        }
        return b == null ? text : b.toString();
    }
}
