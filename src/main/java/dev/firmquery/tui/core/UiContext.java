package dev.firmquery.tui.core;

import com.googlecode.lanterna.gui2.WindowBasedTextGUI;
import dev.firmquery.tui.widget.Glyphs;

import java.time.Clock;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * What every window's controller works with: the Lanterna GUI and its thread contract, the one
 * background executor, the timer, the dialogs, the glyphs and the clocks. One per UI; immutable.
 */
public final class UiContext {
    private final WindowBasedTextGUI gui;
    private final GuiThread guiThread;
    private final Background background;
    private final Scheduler scheduler;
    private final Dialogs dialogs;
    private final Glyphs glyphs;
    private final LongSupplier nanoTime;
    private final Clock clock;
    private final Supplier<LocalTime> timeOfDay;

    /**
     * @param gui        the Lanterna GUI; its GUI thread is the one the contract checks
     * @param glyphs     Unicode or ASCII
     * @param background the executor for everything that may block
     * @param scheduler  the timer (coalesced repaints, the status bar)
     * @param nanoTime   monotonic clock
     * @param clock      wall clock for file names and reports
     * @param timeOfDay  time of day for the event list
     */
    public UiContext(WindowBasedTextGUI gui, Glyphs glyphs, Background background, Scheduler scheduler,
                     LongSupplier nanoTime, Clock clock, Supplier<LocalTime> timeOfDay) {
        this.gui = gui;
        this.guiThread = new GuiThread(gui.getGUIThread());
        this.background = background;
        this.scheduler = scheduler;
        this.dialogs = new Dialogs(gui, guiThread);
        this.glyphs = glyphs;
        this.nanoTime = nanoTime;
        this.clock = clock;
        this.timeOfDay = timeOfDay;
    }

    /** A wall clock for the event list in the system's zone. */
    public static Supplier<LocalTime> systemTimeOfDay() {
        return () -> LocalTime.now(ZoneId.systemDefault());
    }

    public WindowBasedTextGUI gui() {
        return gui;
    }

    /** The GUI thread: {@code execute} is {@code invokeLater}; {@code checkOn}/{@code checkOff} check the contract. */
    public GuiThread onGui() {
        return guiThread;
    }

    public Background background() {
        return background;
    }

    public Scheduler scheduler() {
        return scheduler;
    }

    public Dialogs dialogs() {
        return dialogs;
    }

    public Glyphs glyphs() {
        return glyphs;
    }

    public LongSupplier nanoTime() {
        return nanoTime;
    }

    public Clock clock() {
        return clock;
    }

    public Supplier<LocalTime> timeOfDay() {
        return timeOfDay;
    }
}
