package dev.fixup.cli;

import dev.fixup.cli.difftest.CaseProgram;
import dev.fixup.cli.difftest.Difftest;
import dev.fixup.cli.difftest.QemuRunner;
import dev.fixup.cli.difftest.X87Case;
import dev.fixup.cli.difftest.X87Difftest;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fixup difftest}: random instruction sequences on Fixup and qemu-i386, compared state by state. */
@Command(name = "difftest", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Differential test of the CPU against qemu-i386 with random user-mode instruction sequences.")
final class DifftestCommand implements Callable<Integer> {
    @Option(names = "--seed", paramLabel = "S", description = "Seed of the run (default 1).") String seed = "1";
    @Option(names = "--count", paramLabel = "N", description = "Number of random sequences (default 1000).") int count = 1000;
    @Option(names = "--from", paramLabel = "I", description = "Start at case number I of the seed's series (default 0).") int from;
    @Option(names = "--length", paramLabel = "L", description = "Units per sequence (default 12).") int length = 12;
    @Option(names = "--batch", paramLabel = "B", description = "Sequences per test program (default 50).") int batch = 50;
    @Option(names = "--keep", paramLabel = "DIR", description = "Keep the generated sources and executables in DIR.") Path keep;
    @Option(names = "--translate", paramLabel = "N", description = "Translate blocks after N starts (default 1: the sequences run as translated code; 0: the interpreter).") int translate = 1;
    @Option(names = "--stats", description = "Also print how many units of each instruction ran.") boolean stats;
    @Option(names = "--case", paramLabel = "SEED", description = "Run only the case with this seed (from a reproducer).") String caseSeed;

    @Option(names = "--x87", description = "Random x87 sequences against the host CPU run natively (batch default 200).") boolean x87;
    @Option(names = "--log-specials", description = "With --x87: instead of random sequences, fyl2x and fyl2xp1 over every pair of special operands in four control words.") boolean logSpecials;

    @Override public Integer call() throws Exception {
        if (x87) return x87();
        if (!QemuRunner.available()) throw new ToolException("qemu-i386 is not on the PATH: it is the reference this command compares with");
        if (count < 0 || from < 0 || length < 1 || batch < 1) throw new ToolException("--count must be >= 0, --length and --batch >= 1");
        if (translate < 0) throw new ToolException("--translate must be >= 0");
        if (batch > CaseProgram.MAX_CASES) throw new ToolException("--batch: at most " + CaseProgram.MAX_CASES + " (the memory blocks must fit below 64 KB)");
        Difftest.Options o = new Difftest.Options(parse(seed, "--seed"), from, count, length, batch, keep,
                caseSeed == null ? null : parse(caseSeed, "--case"), translate);
        Difftest.Report r = new Difftest(o, System.out).run();
        if (stats) System.out.print(r.coverage());
        System.out.print(r.summary());
        return r.differences.isEmpty() ? 0 : 1;
    }

    private Integer x87() throws Exception {
        if (count < 0 || from < 0 || batch < 1 || translate < 0) throw new ToolException("--count, --from, --translate must be >= 0, --batch >= 1");
        int b = batch == 50 ? 200 : batch;
        X87Difftest d = new X87Difftest(new X87Difftest.Options(parse(seed, "--seed"), from, count, b, keep,
                caseSeed == null ? null : parse(caseSeed, "--case"), translate), System.out);
        X87Difftest.Report r = logSpecials ? d.run(X87Case.logarithmSpecials()) : d.run();
        if (stats) System.out.print(r.coverage());
        System.out.print(r.summary());
        return r.differences.isEmpty() ? 0 : 1;
    }

    private static long parse(String s, String option) {
        try {
            return s.startsWith("0x") || s.startsWith("0X") ? Long.parseUnsignedLong(s.substring(2), 16) : Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new ToolException(option + ": not a number: " + s);
        }
    }
}
