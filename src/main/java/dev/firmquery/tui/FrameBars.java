package dev.firmquery.tui;

import com.googlecode.lanterna.gui2.Direction;
import com.googlecode.lanterna.gui2.LinearLayout;
import com.googlecode.lanterna.gui2.Panel;
import dev.firmquery.config.AppConfig;
import dev.firmquery.db.ConnectionPool;
import dev.firmquery.run.Version;
import dev.firmquery.tui.core.Action;
import dev.firmquery.tui.core.GuiThread;
import dev.firmquery.tui.core.View;
import dev.firmquery.tui.widget.Bar;
import dev.firmquery.tui.widget.Fmt;
import dev.firmquery.tui.widget.Glyphs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The frame's bars: the window tabs in the first row, the current window's keys in the second row from
 * the bottom, and the status bar in the last row (the database, the run state, the auth mode with the
 * Kerberos principal and the ticket's time left, and the pool). The pool and the ticket are read on the
 * timer thread, never on the GUI thread (c3p0 and the Kerberos login take locks a busy run holds), and
 * handed over to be drawn.
 */
final class FrameBars {
    private static final Logger log = LoggerFactory.getLogger(FrameBars.class);

    private final GuiThread gui;
    private final Glyphs glyphs;
    private AppConfig.Database database;
    private String databaseLabel;
    private final Supplier<ConnectionPool.PoolState> poolState;
    private final Supplier<Optional<String>> credentialsStatus;
    private final Bar tabs = new Bar(false, "  ");
    private final Bar keys = new Bar(false, "  ");
    private final Bar bar;
    private ConnectionPool.PoolState pool;
    private String credentials = "";

    FrameBars(GuiThread gui, Glyphs glyphs, AppConfig.Database database, String databaseLabel,
              Supplier<ConnectionPool.PoolState> poolState, Supplier<Optional<String>> credentialsStatus) {
        this.gui = gui;
        this.glyphs = glyphs;
        this.database = database;
        this.databaseLabel = databaseLabel;
        this.poolState = poolState;
        this.credentialsStatus = credentialsStatus;
        this.bar = new Bar(true, " " + glyphs.vertical() + " ");
    }

    /** The first row. */
    Bar tabs() {
        return tabs;
    }

    /** The two bottom rows: the key hints above the status bar. */
    Panel bottom() {
        Panel bottom = new Panel(new LinearLayout(Direction.VERTICAL));
        bottom.addComponent(keys, LinearLayout.createLayoutData(LinearLayout.Alignment.Fill));
        bottom.addComponent(bar, LinearLayout.createLayoutData(LinearLayout.Alignment.Fill));
        return bottom;
    }

    /**
     * The tabs, {@code current} reversed: {@code F2/M-i Input  F8/M-p Progress ...}, with the version at
     * the end; only the F-keys when that does not fit in {@code width}.
     */
    void showTabs(View current, int width) {
        gui.checkOn("FrameBars.showTabs");
        List<Bar.Segment> full = new ArrayList<>();
        List<Bar.Segment> brief = new ArrayList<>();
        for (View v : View.values()) {
            full.add(new Bar.Segment(v.action().shortKeys() + " " + v.title(), v == current));
            brief.add(new Bar.Segment(v.action().primary() + " " + v.title(), v == current));
        }
        full.add(Bar.Segment.plain(Action.HELP.shortKeys() + " Help"));
        brief.add(Bar.Segment.plain(Action.HELP.shortKeys() + " Help"));
        full.add(Bar.Segment.plain("firmquery " + Version.current()));
        brief.add(Bar.Segment.plain("firmquery"));
        int fullWidth = 0;
        for (int i = 0; i < full.size() - 1; i++) {
            fullWidth += full.get(i).text().length() + 2;
        }
        tabs.setSegments(fullWidth <= width ? full : brief);
    }

    /**
     * The key hints: {@code F3/^O Browse  M-v Paste IDs ... Tab moves}, with the frame's keys (the run
     * history, the connection profiles: they open from every window) before {@code Tab moves} when the
     * whole row fits in {@code width}. When it does not, the row ends in {@code F1 all keys} instead of
     * {@code Tab moves}, after those frame keys that still fit: at 80 columns the input window's row is
     * {@code ... F10/q Quit  F1 all keys} (History alone would need 88 columns with Tab moves).
     */
    void showKeys(List<Action> actions, int width) {
        gui.checkOn("FrameBars.showKeys");
        List<Bar.Segment> s = new ArrayList<>();
        for (Action a : actions) {
            s.add(Bar.Segment.plain(a.shortKeys() + " " + a.hint()));
        }
        List<Bar.Segment> frame = new ArrayList<>();
        for (Action a : List.of(Action.HISTORY, Action.PROFILES)) {
            if (!actions.contains(a)) {
                frame.add(Bar.Segment.plain(a.shortKeys() + " " + a.hint()));
            }
        }
        List<Bar.Segment> whole = new ArrayList<>(s);
        whole.addAll(frame);
        whole.add(Bar.Segment.plain("Tab moves"));
        if (width(whole) <= width) {
            s = whole;
        } else {
            Bar.Segment more = Bar.Segment.plain(Action.HELP.primary() + " all keys");
            for (Bar.Segment k : frame) {
                List<Bar.Segment> with = new ArrayList<>(s);
                with.add(k);
                with.add(more);
                if (width(with) <= width) {
                    s.add(k);
                }
            }
            s.add(more);
        }
        keys.setSegments(s);
    }

    /** The columns {@code segments} take in a Bar: 1 before the first, 2 between two. */
    private static int width(List<Bar.Segment> segments) {
        int n = 1 - 2;
        for (Bar.Segment k : segments) {
            n += k.text().length() + 2;
        }
        return n;
    }

    /** The database the status bar names, after a switch to another environment. */
    void useDatabase(AppConfig.Database db, String label) {
        gui.checkOn("FrameBars.useDatabase");
        database = db;
        databaseLabel = label;
    }

    /** The pool as last {@link #read}; null before the first read. GUI thread. */
    ConnectionPool.PoolState pool() {
        gui.checkOn("FrameBars.pool");
        return pool;
    }

    /**
     * Timer thread: reads the pool and the credentials, then runs {@code then} on the GUI thread with them
     * in place.
     */
    void read(Runnable then) {
        gui.checkOff("reading the pool state and the Kerberos ticket");
        ConnectionPool.PoolState p;
        try {
            p = poolState.get();
        } catch (RuntimeException e) {
            log.warn("cannot read the pool state", e);
            p = new ConnectionPool.PoolState(-1, -1, -1, -1);
        }
        String c;
        try {
            c = credentialsStatus.get().orElse("");
        } catch (RuntimeException e) {
            log.warn("the credentials status failed", e);
            c = "credentials ?";
        }
        ConnectionPool.PoolState read = p;
        String cred = c;
        gui.execute(() -> {
            pool = read;
            credentials = cred;
            then.run();
        });
    }

    /**
     * Draws the status bar for a terminal {@code width} wide. When it is too wide, the pool is written shorter,
     * then the database label is cut in the middle, and only on a very narrow terminal does the pool go.
     */
    void showStatus(String state, int width) {
        gui.checkOn("FrameBars.showStatus");
        String auth = database.auth().name().toLowerCase(Locale.ROOT) + (credentials.isEmpty() ? "" : " " + credentials);
        String label = databaseLabel;
        List<String> pools = poolForms();
        String shown = pools.get(pools.size() - 1);
        for (String p : pools) {
            if (width(label, state, auth, p) <= width) {
                shown = p;
                break;
            }
        }
        int over = width(label, state, auth, shown) - width;
        if (over > 0) {
            label = Fmt.fitMiddle(label, Math.max(16, label.length() - over), glyphs);
        }
        // Least important last: what does not fit is dropped from the end.
        // A ticket about to end (or ended) is emphasised: it stops the run that outlives it.
        boolean ticketWarning = credentials.contains("kinit") || credentials.contains("EXPIRED");
        bar.setSegments(List.of(Bar.Segment.plain(label), Bar.Segment.plain(state),
                new Bar.Segment(auth, ticketWarning), Bar.Segment.plain(shown)));
    }

    private static int width(String... segments) {
        int n = 1;
        for (String s : segments) {
            n += s.length() + 3;
        }
        return n - 3;
    }

    /** The pool, longest form first: {@code pool 1 busy 1 idle of 2}, {@code pool 1/2 busy 1 idle}, {@code pool 1/2 busy}. */
    private List<String> poolForms() {
        ConnectionPool.PoolState p = pool;
        if (p == null) {
            return List.of("pool -");
        }
        if (p.total() < 0) {
            return List.of("pool unavailable", "pool ?");
        }
        int max = database.maxConnections();
        String waiting = p.waiting() > 0 ? ", " + p.waiting() + " waiting" : "";
        return List.of("pool " + p.active() + " busy " + p.idle() + " idle of " + max + waiting,
                "pool " + p.active() + "/" + max + " busy " + p.idle() + " idle" + waiting,
                "pool " + p.active() + "/" + max + " busy" + (p.waiting() > 0 ? " +" + p.waiting() : ""));
    }
}
