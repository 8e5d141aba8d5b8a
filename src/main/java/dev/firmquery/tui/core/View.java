package dev.firmquery.tui.core;

/** The windows the middle of the screen can show, in the order of the tabs in the first row. */
public enum View {
    INPUT("Input", Action.INPUT),
    PROGRESS("Progress", Action.PROGRESS),
    RESULTS("Results", Action.RESULTS),
    CONFIG("Config", Action.CONFIG);

    private final String title;
    private final Action action;

    View(String title, Action action) {
        this.title = title;
        this.action = action;
    }

    /** The tab's title, e.g. {@code Progress}. */
    public String title() {
        return title;
    }

    /** The action (and so the keys) that shows the window. */
    public Action action() {
        return action;
    }
}
