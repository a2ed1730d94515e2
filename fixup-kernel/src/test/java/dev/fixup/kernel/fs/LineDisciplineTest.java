package dev.fixup.kernel.fs;

import dev.fixup.kernel.Bytes;
import dev.fixup.kernel.Errno;
import dev.fixup.kernel.proc.WaitQueue;
import dev.fixup.kernel.signal.Signal;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The terminal's line discipline on typed bytes, as Linux's N_TTY treats them with the default
 * termios of a terminal (ICRNL IXON, ISIG ICANON ECHO ECHOE ECHOK ECHOCTL ECHOKE IEXTEN, VMIN 1)
 * and with the changes programs make: what a read gets, what is echoed, which signals go out.
 */
class LineDisciplineTest {
    private Terminal settings;
    private byte[] termios;
    private final ByteArrayOutputStream echo = new ByteArrayOutputStream();
    private final List<Integer> signals = new ArrayList<>();
    private LineDiscipline ld;

    @BeforeEach
    void setUp() {
        settings = new Terminal(null, true);
        termios = settings.termios;
        ld = new LineDiscipline(termios, new LineDiscipline.Host() {
            public void signalForeground(int sig) { signals.add(sig); }
            public void echo(byte[] b) { echo.writeBytes(b); }
            public void wake(WaitQueue q) {}
        });
    }

    private void type(String s) { ld.receive(s.getBytes(StandardCharsets.ISO_8859_1)); }

    private String read(int len) {
        byte[] b = new byte[len];
        int n = ld.read(b, len);
        if (n < 0) return "errno " + -n;
        return new String(b, 0, n, StandardCharsets.ISO_8859_1);
    }

    private String echoed() { return echo.toString(StandardCharsets.ISO_8859_1); }

    private void lflag(int clear, int set) {
        boolean canon = (Bytes.get32(termios, 12) & LineDiscipline.ICANON) != 0;
        Bytes.put32(termios, 12, (Bytes.get32(termios, 12) & ~clear) | set);
        ld.modeChanged(canon);
    }

    @Test
    void canonicalLineWithEditing() {
        type("ech\u007fho helxo\u007f\u007flo");
        assertEquals("errno " + Errno.EAGAIN, read(100), "no line yet");
        assertEquals(0, ld.poll());
        type("\r");                                          // ICRNL: Enter gives '\n'
        assertEquals(OpenFile.POLLIN, ld.poll());
        assertEquals("echo hello\n", read(100));
        assertEquals("ech\b \bho helxo\b \b\b \blo\n", echoed(), "ECHOE rubs characters out");
    }

    @Test
    void aReadTakesOneLineAtATimeAndShortReadsLeaveTheRest() {
        type("one\ntwo\n");
        assertEquals("on", read(2));
        assertEquals("e\n", read(100));
        assertEquals("two\n", read(100));
    }

    @Test
    void wordEraseAndKill() {
        type("rm -rf  /tmp\u0017x\u0015ls\n");
        assertEquals("ls\n", read(100));
        // ^W rubs out "/tmp" only; ^U with ECHOKE rubs out the whole line
        assertTrue(echoed().startsWith("rm -rf  /tmp\b \b\b \b\b \b\b \bx\b \b"), echoed());
    }

    @Test
    void eofAtTheStartOfALineReadsAsEndOfFile() {
        type("abc\u0004");
        assertEquals("abc", read(100), "^D after text ends the line without a newline");
        type("\u0004");
        assertEquals("", read(100), "^D on an empty line: read returns 0");
    }

    @Test
    void signalCharactersGoToTheForegroundGroupAndFlushInput() {
        type("half a line\u0003");
        assertEquals(List.of(Signal.SIGINT), signals);
        assertTrue(echoed().endsWith("^C"), echoed());
        type("\u001c\u001a");
        assertEquals(List.of(Signal.SIGINT, Signal.SIGQUIT, Signal.SIGTSTP), signals);
        type("x\n");
        assertEquals("x\n", read(100), "the half line before ^C was thrown away");
    }

    @Test
    void withoutIsigControlCharactersAreData() {
        lflag(LineDiscipline.ISIG | LineDiscipline.ICANON | LineDiscipline.ECHO, 0);
        type("\u0003a");
        assertTrue(signals.isEmpty());
        assertEquals("\u0003a", read(100));
        assertEquals("", echoed());
    }

    @Test
    void rawModeReadsWhatIsThereAndVminSaysHowMuchToWaitFor() {
        lflag(LineDiscipline.ICANON | LineDiscipline.ECHO, 0);
        assertEquals("errno " + Errno.EAGAIN, read(10), "VMIN 1: wait for a byte");
        type("\u001b[A");
        assertEquals("\u001b[A", read(10));
        termios[17 + LineDiscipline.VMIN] = 0;                // VMIN 0, VTIME 0: never wait
        assertEquals("", read(10));
        termios[17 + LineDiscipline.VMIN] = 3;
        type("ab");
        assertEquals("errno " + Errno.EAGAIN, read(10), "VMIN 3 with 2 bytes typed");
        type("c");
        assertEquals("abc", read(10));
    }

    @Test
    void vtimeEndsAWaitWithNothing() throws Exception {
        lflag(LineDiscipline.ICANON, 0);
        termios[17 + LineDiscipline.VMIN] = 0;
        termios[17 + LineDiscipline.VTIME] = 1;               // 0.1 s
        assertEquals("errno " + Errno.EAGAIN, read(10));
        long deadline = ld.deadline();
        assertTrue(deadline != 0, "the reader sleeps until VTIME passes");
        Thread.sleep(150);
        assertEquals("", read(10), "VTIME passed: read returns 0");
    }

    @Test
    void aPartLineBecomesReadableWhenCanonicalModeGoesOff() {
        type("abc");
        lflag(LineDiscipline.ICANON, 0);
        assertEquals("abc", read(10));
    }

    @Test
    void echoctlShowsControlCharactersAndLiteralNextQuotesThem() {
        type("a\u0016\u0003b\n");                            // ^V ^C: a literal ^C, no signal
        assertTrue(signals.isEmpty());
        assertEquals("a\u0003b\n", read(10));
        assertEquals("a^\b^Cb\n", echoed());
    }

    @Test
    void carriageReturnsAsIgncrAndInlcrSay() {
        Bytes.put32(termios, 0, LineDiscipline.IGNCR);
        type("a\rb\n");
        assertEquals("ab\n", read(10));
    }

    @Test
    void flushDropsUnreadInput() {
        type("abc\n");
        ld.flush();
        assertEquals("errno " + Errno.EAGAIN, read(10));
    }

    @Test
    void hangUpReadsAsEndOfFile() {
        ld.hangUp();
        assertEquals("", read(10));
        assertEquals(OpenFile.POLLIN | OpenFile.POLLHUP, ld.poll());
    }
}
