package dev.firmquery.tui.core;

import com.googlecode.lanterna.gui2.Interactable;

/**
 * What a window's controller may ask of the frame around it (the tabs, the key hints, the status bar).
 * Every method must be called on the GUI thread ({@link GuiThread#checkOn}).
 */
public interface Frame {

    /** Shows window {@code v} in the middle and focuses its first useful field. */
    void show(View v);

    /** The window shown now. */
    View view();

    /** Moves the focus to {@code component} of the window shown. */
    void focus(Interactable component);

    /** Draws the status bar and the key hints of the current window again (the state changed). */
    void refreshStatus();

    /** Whether the UI has closed or is shutting down (SIGTERM, SIGHUP, lost terminal): pop nothing up. */
    boolean closing();

    /** Closes the UI; the main loop then ends. */
    void close();
}
