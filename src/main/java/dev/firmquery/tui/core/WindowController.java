package dev.firmquery.tui.core;

import com.googlecode.lanterna.gui2.Interactable;
import com.googlecode.lanterna.gui2.Panel;

import java.util.List;

/** One window of the frame (input, progress, results, configuration); all methods on the GUI thread. */
public interface WindowController {

    /** The window's components. */
    Panel root();

    /** Called each time the frame shows the window, before it is drawn: fill in what may have changed. */
    void shown();

    /** The component focused when the window is shown. */
    Interactable defaultFocus();

    /** The actions the key bar shows for this window, now (e.g. cancel only while a run is active). */
    List<Action> keys();
}
