package dev.fixup.kernel.fs;

import dev.fixup.kernel.Bytes;
import dev.fixup.kernel.Errno;
import dev.fixup.kernel.proc.WaitQueue;
import dev.fixup.kernel.signal.Signal;

import java.io.ByteArrayOutputStream;
import java.util.ArrayDeque;

/**
 * The terminal's line discipline (Linux's N_TTY, the parts programs notice), run on the bytes
 * typed at the host while the host terminal is in raw mode, so that the guest's termios decides
 * everything: ISIG turns VINTR/VQUIT/VSUSP into SIGINT/SIGQUIT/SIGTSTP for the foreground process
 * group; ICANON collects a line with VERASE, VWERASE, VKILL, VREPRINT, VLNEXT and VEOF; ECHO with
 * ECHOE/ECHOK/ECHOKE/ECHOCTL/ECHONL; ICRNL, INLCR, IGNCR, ISTRIP; non-canonical reads with VMIN and
 * VTIME. Output processing (OPOST, ONLCR) stays with the host terminal, set to match.
 */
final class LineDiscipline implements OpenFile.Tty.Input {
    static final int ISTRIP = 0x20, INLCR = 0x40, IGNCR = 0x80, ICRNL = 0x100, IXON = 0x400, IUTF8 = 0x4000;
    static final int ISIG = 1, ICANON = 2, ECHO = 8, ECHOE = 0x10, ECHOK = 0x20, ECHONL = 0x40, NOFLSH = 0x80,
            ECHOCTL = 0x200, ECHOKE = 0x800, IEXTEN = 0x8000;
    static final int VINTR = 0, VQUIT = 1, VERASE = 2, VKILL = 3, VEOF = 4, VTIME = 5, VMIN = 6, VSTART = 8, VSTOP = 9,
            VSUSP = 10, VEOL = 11, VREPRINT = 12, VWERASE = 14, VLNEXT = 15, VEOL2 = 16;
    private static final int CC = 17;

    /** Where the discipline's effects go: signals for the foreground group, echo to the terminal. */
    interface Host {
        void signalForeground(int sig);
        void echo(byte[] bytes);
        void wake(WaitQueue q);
    }

    private final byte[] termios;
    private final Host host;
    final WaitQueue queue = new WaitQueue();
    /** Canonical mode: finished lines (a line ended by VEOF has no terminator; an empty one reads as end of file). */
    private final ArrayDeque<byte[]> lines = new ArrayDeque<>();
    private int firstLineUsed;
    /** The line being edited (canonical), or the bytes waiting for a read (non-canonical). */
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private boolean literalNext;
    private boolean hungUp;
    /** The VTIME timer of the read in progress (System.nanoTime()), 0 = none. */
    private long timeDeadline;

    /** termios is the terminal's settings array, read live (TCSETS writes it). */
    LineDiscipline(byte[] termios, Host host) {
        this.termios = termios;
        this.host = host;
    }

    private int iflag() { return Bytes.get32(termios, 0); }
    private int lflag() { return Bytes.get32(termios, 12); }
    private int cc(int i) { return termios[CC + i] & 0xFF; }
    private boolean l(int bit) { return (lflag() & bit) != 0; }
    private boolean is(int c, int index) { return cc(index) != 0 && c == cc(index); }

    /** Bytes typed at the host. */
    void receive(byte[] typed) {
        for (byte b : typed) receive(b & 0xFF);
        host.wake(queue);
    }

    /** The host's input ended (the terminal hung up): reads get 0 from now on. */
    void hangUp() { hungUp = true; }

    private void receive(int c) {
        int iflag = iflag();
        if ((iflag & ISTRIP) != 0) c &= 0x7F;
        if (literalNext) {
            literalNext = false;
            store(c);                                        // echoed over the ^ that VLNEXT showed
            return;
        }
        if (l(ISIG)) {
            int sig = is(c, VINTR) ? Signal.SIGINT : is(c, VQUIT) ? Signal.SIGQUIT : is(c, VSUSP) ? Signal.SIGTSTP : 0;
            if (sig != 0) {
                if (!l(NOFLSH)) flush();
                if (l(ECHO)) echoChar(c);
                host.signalForeground(sig);
                return;
            }
        }
        if ((iflag & IXON) != 0 && (is(c, VSTART) || is(c, VSTOP))) return;   // flow control is the host terminal's
        if (c == '\r') {
            if ((iflag & IGNCR) != 0) return;
            if ((iflag & ICRNL) != 0) c = '\n';
        } else if (c == '\n' && (iflag & INLCR) != 0) c = '\r';
        if (l(ICANON)) {
            if (is(c, VERASE) || (l(IEXTEN) && is(c, VWERASE)) || is(c, VKILL)) { erase(c); return; }
            if (l(IEXTEN) && is(c, VLNEXT)) {
                literalNext = true;
                if (l(ECHO)) echo(l(ECHOCTL) ? new byte[] {'^', 8} : new byte[0]);
                return;
            }
            if (l(IEXTEN) && is(c, VREPRINT)) {
                if (l(ECHO)) { echoChar(c); echo(new byte[] {'\n'}); echo(pending.toByteArray()); }
                return;
            }
            if (is(c, VEOF)) { endLine(); return; }
            if (c == '\n' || is(c, VEOL) || is(c, VEOL2)) {
                if (l(ECHO) || (c == '\n' && l(ECHONL))) echoChar(c);
                pending.write(c);
                endLine();
                return;
            }
        }
        store(c);
    }

    private void store(int c) {
        if (l(ECHO)) echoChar(c);
        pending.write(c);
    }

    private void endLine() {
        lines.addLast(pending.toByteArray());
        pending.reset();
    }

    /** VERASE, VWERASE, VKILL: remove characters from the line being edited, and from the screen as ECHOE/ECHOK/ECHOKE say. */
    private void erase(int c) {
        byte[] line = pending.toByteArray();
        int end = line.length;
        boolean kill = is(c, VKILL), word = !kill && is(c, VWERASE);
        if (end == 0) return;
        if (kill && !(l(ECHOK) && l(ECHOKE) && l(ECHOE))) {
            pending.reset();
            if (l(ECHO)) {
                echoChar(c);
                if (l(ECHOK)) echo(new byte[] {'\n'});
            }
            return;
        }
        ByteArrayOutputStream rub = new ByteArrayOutputStream();
        boolean seenWord = false;
        while (end > 0) {
            int start = end - 1;
            if ((iflag() & IUTF8) != 0) while (start > 0 && (line[start] & 0xC0) == 0x80) start--;
            int ch = line[start] & 0xFF;
            if (word) {
                boolean space = ch == ' ' || ch == '\t';
                if (space && seenWord) break;
                seenWord |= !space;
            }
            int width = ch < 0x20 && ch != '\t' || ch == 0x7F ? (l(ECHOCTL) ? 2 : 0) : 1;
            for (int i = 0; i < width; i++) rub.writeBytes(new byte[] {8, ' ', 8});
            end = start;
            if (!kill && !word) break;
        }
        pending.reset();
        pending.write(line, 0, end);
        if (l(ECHO)) echo(l(ECHOE) ? rub.toByteArray() : echoForm(c));
    }

    /** Input is thrown away: the line being edited, finished lines, unread bytes (a signal character without NOFLSH, TCSETSF, TCFLSH). */
    void flush() {
        lines.clear();
        firstLineUsed = 0;
        pending.reset();
        literalNext = false;
    }

    private void echoChar(int c) { echo(echoForm(c)); }

    /** How ECHO shows a character: control characters as ^X with ECHOCTL (not tab or newline). */
    private byte[] echoForm(int c) {
        if (l(ECHOCTL) && (c < 0x20 && c != '\t' && c != '\n' || c == 0x7F)) return new byte[] {'^', (byte) (c ^ 0x40)};
        return new byte[] {(byte) c};
    }

    private void echo(byte[] b) { if (b.length > 0) host.echo(b); }

    /** The mode changed (TCSETS): a partly typed line becomes readable bytes when ICANON goes off, and back. */
    void modeChanged(boolean wasCanonical) {
        boolean canonical = l(ICANON);
        if (wasCanonical && !canonical) {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            boolean first = true;
            for (byte[] line : lines) {
                all.write(line, first ? firstLineUsed : 0, line.length - (first ? firstLineUsed : 0));
                first = false;
            }
            all.writeBytes(pending.toByteArray());
            lines.clear();
            firstLineUsed = 0;
            pending.reset();
            pending.writeBytes(all.toByteArray());
        }
        timeDeadline = 0;
        host.wake(queue);
    }

    // ---- the guest's side

    @Override public int read(byte[] buf, int len) {
        if (l(ICANON)) {
            byte[] line = lines.peekFirst();
            if (line == null) return hungUp ? 0 : -Errno.EAGAIN;
            int n = Math.min(len, line.length - firstLineUsed);
            System.arraycopy(line, firstLineUsed, buf, 0, n);
            firstLineUsed += n;
            if (firstLineUsed == line.length) {
                lines.removeFirst();
                firstLineUsed = 0;
            }
            return n;
        }
        int avail = pending.size();
        int min = cc(VMIN), time = cc(VTIME);
        boolean timedOut = timeDeadline != 0 && timeDeadline - System.nanoTime() <= 0;
        boolean enough = avail > 0 && avail >= Math.min(Math.max(min, 1), len);
        if (enough || (min == 0 && time == 0) || timedOut || hungUp || len == 0) {
            timeDeadline = 0;
            return take(buf, Math.min(len, avail));
        }
        if (time > 0 && timeDeadline == 0 && (min == 0 || avail > 0)) {
            timeDeadline = System.nanoTime() + time * 100_000_000L;
            if (timeDeadline == 0) timeDeadline = 1;
        }
        return -Errno.EAGAIN;
    }

    private int take(byte[] buf, int n) {
        byte[] all = pending.toByteArray();
        System.arraycopy(all, 0, buf, 0, n);
        pending.reset();
        pending.write(all, n, all.length - n);
        return n;
    }

    @Override public int available() {
        if (!l(ICANON)) return pending.size();
        int n = -firstLineUsed;
        for (byte[] line : lines) n += line.length;
        return n;
    }

    @Override public int poll() {
        if (hungUp) return OpenFile.POLLIN | OpenFile.POLLHUP;
        if (l(ICANON)) return lines.isEmpty() ? 0 : OpenFile.POLLIN;
        int need = cc(VTIME) == 0 && cc(VMIN) > 0 ? cc(VMIN) : 1;
        return pending.size() >= need ? OpenFile.POLLIN : 0;
    }

    @Override public WaitQueue queue() { return queue; }

    @Override public long deadline() { return timeDeadline; }
}
