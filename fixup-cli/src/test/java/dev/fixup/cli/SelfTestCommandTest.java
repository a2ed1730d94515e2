package dev.fixup.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@code fixup run --selftest usercopy}: the PASS lines and the total reach stdout; status 0. */
class SelfTestCommandTest {
    private record Result(int status, String out, String err) {}

    private static Result run(String... args) {
        PrintStream saved = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StringWriter err = new StringWriter();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            var cli = Main.commandLine();
            cli.setErr(new PrintWriter(err, true));
            int status = cli.execute(args);
            return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString());
        } finally {
            System.setOut(saved);
        }
    }

    @Test void usercopyPassesUnderTheDefaultMode() {
        Result r = run("run", "--selftest", "usercopy", "--klog", "/dev/null");
        assertEquals(0, r.status(), r.out() + r.err());
        assertTrue(r.out().contains("\nPASS illegal get_user size 4 from a kernel address\n"), r.out());
        assertTrue(r.out().matches("(?s).*\nusercopy \\(uaccess=extable\\): (\\d+) cases, \\1 passed, 0 failed\n"), r.out());
        assertTrue(!r.out().contains("FAIL "), r.out());
    }

    @Test void anUnknownSelfTestOrAProgramBesideItIsAnError() {
        Result r = run("run", "--selftest", "nosuch");
        assertEquals(1, r.status());
        assertTrue(r.err().contains("unknown self-test 'nosuch' (known: usercopy)"), r.err());
        r = run("run", "--selftest", "usercopy", "prog");
        assertTrue(r.err().contains("--selftest runs no PROGRAM"), r.err());
        r = run("run");
        assertTrue(r.err().contains("missing PROGRAM"), r.err());
    }
}
