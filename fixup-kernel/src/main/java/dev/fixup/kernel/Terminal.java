package dev.fixup.kernel;

/**
 * The controlling terminal the first program starts on, as ioctl sees it: its termios settings,
 * window size and foreground process group. It is a terminal only when Fixup's own standard
 * streams are one ({@link KernelConfig#interactive}); otherwise the tty ioctls answer ENOTTY, as
 * they do for a program whose output goes to a pipe.
 */
final class Terminal {
    static final int TCGETS = 0x5401, TCSETS = 0x5402, TCSETSW = 0x5403, TCSETSF = 0x5404, TIOCGPGRP = 0x540F,
            TIOCSPGRP = 0x5410, TIOCGWINSZ = 0x5413, FIONREAD = 0x541B;
    /** struct termios as the kernel's TCGETS copies it: four flag words, c_line, c_cc[19]. */
    static final int TERMIOS_SIZE = 36;

    final boolean interactive;
    /** The settings of a terminal in cooked mode: ICRNL IXON, OPOST ONLCR, B38400 CS8 CREAD, ISIG ICANON ECHO... */
    final byte[] termios = new byte[TERMIOS_SIZE];
    int foregroundPgrp;

    Terminal(boolean interactive) {
        this.interactive = interactive;
        Bytes.put32(termios, 0, 0x500);          // c_iflag: ICRNL | IXON
        Bytes.put32(termios, 4, 0x5);            // c_oflag: OPOST | ONLCR
        Bytes.put32(termios, 8, 0xBF);           // c_cflag: B38400 | CS8 | CREAD
        Bytes.put32(termios, 12, 0x8A3B);        // c_lflag: ISIG ICANON ECHO ECHOE ECHOK ECHOCTL ECHOKE IEXTEN
        byte[] cc = {3, 28, 127, 21, 4, 0, 1, 0, 17, 19, 26, 0, 18, 15, 23, 22, 0};
        System.arraycopy(cc, 0, termios, 17, cc.length);
    }
}
