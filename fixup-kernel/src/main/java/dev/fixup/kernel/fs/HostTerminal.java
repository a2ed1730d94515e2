package dev.fixup.kernel.fs;

import dev.fixup.kernel.HostEvents;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The host terminal Fixup's standard input is, put in raw mode while a guest runs on it so that
 * every typed byte reaches the guest's {@link LineDiscipline} (which then does what the guest's
 * termios asks: line editing, echo, Ctrl-C as SIGINT to its foreground group). Only the output
 * flags (OPOST, ONLCR, ...) follow the guest's settings, since the guest's writes go straight to
 * the host terminal.
 *
 * <p>The JVM has no tcsetattr, so this runs stty(1) on the inherited descriptor 0: a process per
 * change, and changes are rare (raw mode once, the output flags when a guest switches them). That
 * needs no native library and prints nothing on the terminal. The saved settings come back on
 * {@link #restore}, from a shutdown hook when the JVM exits any other way (SIGTERM, SIGHUP, an
 * uncaught error), and the window size is re-read on SIGWINCH.
 */
final class HostTerminal {
    static final int OPOST = 1, OLCUC = 2, ONLCR = 4, OCRNL = 8, ONOCR = 0x10, ONLRET = 0x20;
    private static final int[] OUTPUT_BITS = {OPOST, ONLCR, OCRNL, ONOCR, ONLRET};
    private static final String[] OUTPUT_NAMES = {"opost", "onlcr", "ocrnl", "onocr", "onlret"};

    private final String saved;
    private final HostEvents events;
    private final Thread restoreHook = new Thread(this::restore, "fixup-tty-restore");
    private int oflag = -1;
    private volatile int rows, cols;
    private boolean restored;

    private HostTerminal(String saved, HostEvents events) {
        this.saved = saved;
        this.events = events;
    }

    /** Takes over the terminal on descriptor 0; null when descriptor 0 is not a terminal or stty is missing. */
    static HostTerminal attach(HostEvents events, int guestOflag) {
        String saved = stty("-g");
        if (saved == null || saved.isBlank()) return null;
        HostTerminal t = new HostTerminal(saved.trim(), events);
        try {
            Runtime.getRuntime().addShutdownHook(t.restoreHook);
        } catch (IllegalStateException e) {
            return null;                                     // the JVM is already exiting
        }
        if (stty("raw", "-echo") == null) {
            t.restore();
            return null;
        }
        t.setOutputFlags(guestOflag);
        t.readSize();
        t.watchWindow();
        return t;
    }

    /** Mirrors the guest's output flags onto the host terminal (only when they changed). */
    synchronized void setOutputFlags(int guestOflag) {
        if (restored) return;
        List<String> args = new ArrayList<>();
        for (int i = 0; i < OUTPUT_BITS.length; i++) {
            int bit = OUTPUT_BITS[i];
            if (oflag != -1 && (oflag & bit) == (guestOflag & bit)) continue;
            args.add(((guestOflag & bit) != 0 ? "" : "-") + OUTPUT_NAMES[i]);
        }
        oflag = guestOflag;
        if (!args.isEmpty()) stty(args.toArray(String[]::new));
    }

    /** The window size {rows, cols}; 24x80 if the terminal does not say. */
    int[] size() { return new int[] {rows > 0 ? rows : 24, cols > 0 ? cols : 80}; }

    /** Re-reads the window size (after SIGWINCH); whether it changed. */
    boolean readSize() {
        String s = stty("size");
        if (s == null) return false;
        String[] rc = s.trim().split("\\s+");
        if (rc.length != 2) return false;
        try {
            int r = Integer.parseInt(rc[0]), c = Integer.parseInt(rc[1]);
            boolean changed = r != rows || c != cols;
            rows = r;
            cols = c;
            return changed;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private void watchWindow() {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("WINCH"), s -> events.post(HostEvents.WINCH));
        } catch (IllegalArgumentException e) {
            // no SIGWINCH here: the size stays as read at start
        }
    }

    /** Gives the terminal back as it was; idempotent. */
    synchronized void restore() {
        if (restored) return;
        restored = true;
        stty(saved);
        try {
            Runtime.getRuntime().removeShutdownHook(restoreHook);
        } catch (IllegalStateException e) {
            // called from the hook itself while the JVM exits
        }
    }

    /** Runs stty on descriptor 0; its standard output, or null when it failed. */
    private static String stty(String... args) {
        List<String> cmd = new ArrayList<>(List.of("stty"));
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.INHERIT)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return null;
            }
            return p.exitValue() == 0 ? out : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
