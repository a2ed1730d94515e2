package dev.fixup.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** run's hand-built picocli model: every option reaches its field, and the help text is the annotated model's. */
class RunCommandModelTest {
    private static RunCommand parse(String... args) {
        CommandLine cli = Main.commandLine("run");
        CommandLine.ParseResult r = cli.parseArgs(args);
        RunCommand run = (RunCommand) r.subcommand().commandSpec().userObject();
        run.takeOptions();
        return run;
    }

    @Test
    void everyOptionReachesItsField() {
        RunCommand r = parse("run", "-d", "int,fault", "-d", "mm", "-D", "t.log", "-strace", "--klog", "k.log", "--root", "jail",
                "--debug-syscalls", "--panic-on-oops", "--uaccess", "verify", "--ram", "2G", "--max-insns", "5", "--translate", "3",
                "--module", "a.o", "--module=b.S", "--dump-kernel", "vmlinux", "-E", "A=1", "-E", "B=2", "-U", "C", "-0", "zz",
                "--selftest", "usercopy", "-g", "1234", "-S", "--web", "8080", "prog", "-x", "--", "-D", "y");
        assertEquals(List.of("int", "fault", "mm"), r.traceClasses);
        assertEquals(Path.of("t.log"), r.traceFile);
        assertTrue(r.strace);
        assertEquals(Path.of("k.log"), r.klogFile);
        assertEquals(Path.of("jail"), r.root);
        assertTrue(r.debugSyscalls);
        assertTrue(r.panicOnOops);
        assertEquals("verify", r.uaccess);
        assertEquals("2G", r.ram);
        assertEquals(5L, r.maxInstructions);
        assertEquals(3, r.translate);
        assertEquals(List.of(Path.of("a.o"), Path.of("b.S")), r.modules);
        assertEquals(Path.of("vmlinux"), r.dumpKernel);
        assertEquals(List.of("A=1", "B=2"), r.setEnv);
        assertEquals(List.of("C"), r.unsetEnv);
        assertEquals("zz", r.argv0);
        assertEquals("usercopy", r.selftest);
        assertEquals(1234, r.gdbPort);
        assertTrue(r.gdbWait);
        assertEquals(8080, r.webPort);
        assertEquals(Path.of("prog"), r.program);
        assertEquals(List.of("-x", "--", "-D", "y"), r.args, "everything after PROGRAM is the guest's");
    }

    @Test
    void defaultsWhenNothingIsGiven() {
        RunCommand r = parse("run", "prog");
        assertEquals(List.of(), r.traceClasses);
        assertFalse(r.strace || r.debugSyscalls || r.panicOnOops || r.gdbWait);
        assertEquals("extable", r.uaccess);
        assertNull(r.ram);
        assertNull(r.translate);
        assertEquals(0L, r.maxInstructions);
        assertEquals(List.of(), r.modules);
        assertEquals(List.of(), r.args);
    }

    @Test
    void helpTextIsTheAnnotatedModelsText() {
        StringWriter out = new StringWriter();
        CommandLine cli = Main.commandLine("run");
        cli.setOut(new PrintWriter(out));
        assertEquals(0, Main.execute(cli, "run", "--help"));
        String help = out.toString().replace(System.lineSeparator(), "\n");
        assertTrue(help.startsWith("""
                Usage: fixup run [-hSV] [--debug-syscalls] [--panic-on-oops] [-strace]
                                 [-0=ARGV0] [-D=FILE] [--dump-kernel=FILE] [-g=PORT]
                                 [--klog=FILE] [--max-insns=N] [--ram=SIZE] [--root=DIR]
                                 [--selftest=NAME] [--translate=N] [--uaccess=MODE]
                                 [--web=PORT] [-d=ITEMS[,ITEMS...]]... [-E=VAR=VALUE]...
                                 [--module=FILE.o]... [-U=VAR]... [PROGRAM] [ARG...]
                Run a Linux i386 static executable (or a .S file, assembled and linked on the
                fly) on the Fixup kernel.
                      [PROGRAM]            ELF32 static executable, or an assembly source (.S/.
                                             s).
                      [ARG...]             Arguments for the program.
                """), help);
        assertTrue(help.contains("  -h, --help               Show this help message and exit.\n"), help);
        assertTrue(help.contains("  -V, --version            Print version information and exit.\n"), help);
        assertTrue(help.contains("      -strace              Same as -d strace: system calls in qemu-user's\n"), help);
    }

    @Test
    void badValuesGetPicocliMessages() {
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine("run");
        cli.setErr(new PrintWriter(err));
        assertEquals(2, Main.execute(cli, "run", "--max-insns", "abc", "prog"));
        assertTrue(err.toString().startsWith("Invalid value for option '--max-insns': 'abc' is not a long"), err.toString());
    }
}
