package dev.fixup.kernel.fs;

import dev.fixup.kernel.Bytes;
import dev.fixup.kernel.Errno;
import dev.fixup.kernel.HostEvents;
import dev.fixup.kernel.Kernel;
import dev.fixup.kernel.KernelConfig;
import dev.fixup.kernel.proc.Task;
import dev.fixup.kernel.proc.WaitQueue;
import dev.fixup.kernel.signal.SigInfo;
import dev.fixup.kernel.signal.Signal;

/**
 * The controlling terminal the first program starts on, as ioctl sees it: its termios settings,
 * window size and foreground process group. It is a terminal only when Fixup's own standard
 * streams are one ({@link KernelConfig#interactive}); otherwise the tty ioctls answer ENOTTY, as
 * they do for a program whose output goes to a pipe.
 *
 * <p>When Fixup may drive the host terminal ({@link KernelConfig#hostTerminal}), it is put in raw
 * mode for as long as a program runs and the guest's termios is carried out by a
 * {@link LineDiscipline}: what the guest asks (cooked or raw, echo, VMIN/VTIME) is what the user
 * gets, and Ctrl-C, Ctrl-\ and Ctrl-Z signal the guest's foreground process group, never Fixup.
 */
public final class Terminal {
    static final int TCGETS = 0x5401, TCSETS = 0x5402, TCSETSW = 0x5403, TCSETSF = 0x5404, TCSBRK = 0x5409,
            TCXONC = 0x540A, TCFLSH = 0x540B, TIOCSCTTY = 0x540E, TIOCGPGRP = 0x540F, TIOCSPGRP = 0x5410,
            TIOCGWINSZ = 0x5413, TIOCSWINSZ = 0x5414, FIONREAD = 0x541B, TIOCNOTTY = 0x5422, TIOCGSID = 0x5429;
    /** struct termios as the kernel's TCGETS copies it: four flag words, c_line, c_cc[19]. */
    static final int TERMIOS_SIZE = 36;
    private static final int TCIFLUSH = 0, TCIOFLUSH = 2;

    final boolean interactive;
    /** The settings of a terminal in cooked mode: ICRNL IXON, OPOST ONLCR, B38400 CS8 CREAD, ISIG ICANON ECHO... */
    final byte[] termios = new byte[TERMIOS_SIZE];
    public int foregroundPgrp;
    /** struct winsize: rows, columns (and pixels, unused). */
    private int rows = 24, cols = 80;
    private final Kernel k;
    private HostTerminal host;
    private LineDiscipline discipline;

    public Terminal(Kernel k, boolean interactive) {
        this.k = k;
        this.interactive = interactive;
        Bytes.put32(termios, 0, 0x500);          // c_iflag: ICRNL | IXON
        Bytes.put32(termios, 4, 0x5);            // c_oflag: OPOST | ONLCR
        Bytes.put32(termios, 8, 0xBF);           // c_cflag: B38400 | CS8 | CREAD
        Bytes.put32(termios, 12, 0x8A3B);        // c_lflag: ISIG ICANON ECHO ECHOE ECHOK ECHOCTL ECHOKE IEXTEN
        byte[] cc = {3, 28, 127, 21, 4, 0, 1, 0, 17, 19, 26, 0, 18, 15, 23, 22, 0};
        System.arraycopy(cc, 0, termios, 17, cc.length);
    }

    /** A program starts: take over the host terminal if Fixup may (raw mode, the line discipline). */
    public void attach() {
        if (k.hostInput != null) k.hostInput.start();
        if (!interactive || !k.cfg.hostTerminal || k.hostInput == null || host != null) return;
        host = HostTerminal.attach(k.hostEvents, Bytes.get32(termios, 4));
        if (host == null) return;
        int[] size = host.size();
        rows = size[0];
        cols = size[1];
        discipline = new LineDiscipline(termios, new LineDiscipline.Host() {
            public void signalForeground(int sig) { Terminal.this.signalForeground(sig); }
            public void echo(byte[] b) {
                k.cfg.stdout.write(b, 0, b.length);
                k.cfg.stdout.flush();
            }
            public void wake(WaitQueue q) { q.wakeAll(k.sched); }
        });
        k.fs.setTerminalInput(discipline);
        onHostEvents(HostEvents.INPUT);                      // what was typed before
    }

    /** The program ended: the host terminal as it was. */
    public void detach() {
        if (host == null) return;
        host.restore();
        host = null;
        discipline = null;
        k.fs.setTerminalInput(k.hostInput);
    }

    /** TCSETS, TCSETSW, TCSETSF: the guest's new settings, carried out at once (TCSETSF also drops unread input). */
    void setTermios(byte[] b, int cmd) {
        boolean wasCanonical = (Bytes.get32(termios, 12) & LineDiscipline.ICANON) != 0;
        System.arraycopy(b, 0, termios, 0, TERMIOS_SIZE);
        if (discipline == null) return;
        if (cmd == TCSETSF) discipline.flush();
        discipline.modeChanged(wasCanonical);
        host.setOutputFlags(Bytes.get32(termios, 4));
    }

    /** TCFLSH: drops unread input (TCIFLUSH, TCIOFLUSH); output is never held back. */
    int flush(int queue) {
        if (queue < 0 || queue > TCIOFLUSH) return -Errno.EINVAL;
        if ((queue == TCIFLUSH || queue == TCIOFLUSH) && discipline != null) discipline.flush();
        return 0;
    }

    byte[] winsize() {
        byte[] ws = new byte[8];
        Bytes.put16(ws, 0, rows);
        Bytes.put16(ws, 2, cols);
        return ws;
    }

    /** TIOCSWINSZ: a new size, and SIGWINCH for the foreground group when it changed. */
    void setWinsize(byte[] ws) {
        int r = (ws[0] & 0xFF) | (ws[1] & 0xFF) << 8, c = (ws[2] & 0xFF) | (ws[3] & 0xFF) << 8;
        if (r == rows && c == cols) return;
        rows = r;
        cols = c;
        signalForeground(Signal.SIGWINCH);
    }

    /** What the host reported (on the kernel's thread): typed bytes, a new window size, Fixup's own SIGINT. */
    public void onHostEvents(int events) {
        HostInput in = k.hostInput;
        if ((events & HostEvents.INPUT) != 0 && in != null) {
            if (discipline != null) {
                discipline.receive(in.drain());
                if (in.atEnd()) discipline.hangUp();
                discipline.queue.wakeAll(k.sched);
            } else {
                in.queue.wakeAll(k.sched);
            }
        }
        if ((events & HostEvents.WINCH) != 0 && host != null && host.readSize()) {
            int[] size = host.size();
            rows = size[0];
            cols = size[1];
            signalForeground(Signal.SIGWINCH);
        }
        if ((events & HostEvents.INTERRUPT) != 0) signalForeground(Signal.SIGINT);
    }

    /** kill_pgrp for the foreground process group (the first program's group until tcsetpgrp). */
    private void signalForeground(int sig) {
        for (Task t : k.sched.all()) if (t.pgid == foregroundPgrp && t.alive()) k.signals.send(t, sig, SigInfo.kernel(sig));
    }
}
