package dev.fixup.bench;

import dev.fixup.bench.Workload.Check;
import dev.fixup.bench.Workload.InJvm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The benchmark's rows, in the order the table shows them, each with a full size and a --quick
 * size (the same program on less work: ratios stay comparable, absolute times do not).
 *
 * <p>To add a row: put its C source in fixup-bench/src/main/c (it is built with gcc -m32 -static
 * -O2 as {@code inputs.programs.get(NAME)}) and add one {@link #guest} line below; the
 * floating-point workload goes in {@link #floatingPoint}.
 */
final class Workloads {
    private final BenchInputs in;
    private final boolean quick;
    private final Path launcher;
    private final List<String> fixupRunOptions;
    private final Consumer<String> skipped;
    private final List<Workload> rows = new ArrayList<>();

    private Workloads(BenchInputs in, boolean quick, Path launcher, List<String> fixupRunOptions, Consumer<String> skipped) {
        this.in = in;
        this.quick = quick;
        this.launcher = launcher;
        this.fixupRunOptions = fixupRunOptions;
        this.skipped = skipped;
    }

    /** Every row; a row whose program is missing (busybox) is left out with a message to {@code skipped}. */
    static List<Workload> all(BenchInputs in, boolean quick, Path launcher, List<String> fixupRunOptions, Consumer<String> skipped)
            throws IOException {
        Workloads w = new Workloads(in, quick, launcher, fixupRunOptions, skipped);
        w.startup();
        w.toolchain();
        w.pageFaults();
        w.systemCalls();
        w.busybox();
        w.compute();
        w.floatingPoint();
        return w.rows;
    }

    private int size(int full, int quickSize) { return quick ? quickSize : full; }

    private void startup() {
        guest("empty static program", in.programs.get("empty"), List.of(), null, List.of(), true);
        Map<Runner, List<String>> cmds = new EnumMap<>(Runner.class);
        cmds.put(Runner.FIXUP, List.of(launcher.toString(), "--version"));
        rows.add(new Workload("`fixup --version`", cmds, null, Check.STATUS_ZERO, null));
    }

    private void toolchain() throws IOException {
        String src = in.asmSource.toString();
        tool("`as` crc32.s (" + lines(in.asmSource) + " lines)",
                List.of("as", "--32", "-o", in.dir.resolve("gnu-as.o").toString(), src),
                List.of(launcher.toString(), "as", "--32", "-o", in.dir.resolve("fixup-as.o").toString(), src));
        List<String> objects = in.linkObjects.stream().map(Path::toString).toList();
        List<String> gnuLd = new ArrayList<>(List.of("ld", "-m", "elf_i386", "-static", "-e", "_start", "-o", in.dir.resolve("gnu-ld.out").toString()));
        gnuLd.addAll(objects);
        List<String> fixupLd = new ArrayList<>(List.of(launcher.toString(), "ld", "-m", "elf_i386", "-static", "-e", "_start", "-o",
                in.dir.resolve("fixup-ld.out").toString()));
        fixupLd.addAll(objects);
        tool("`ld` " + (objects.size() - 1) + " small objects + libgcc.a", gnuLd, fixupLd);
        String obj = in.linkObjects.get(0).toString();
        tool("`objdump -d` crc32.o", List.of("objdump", "-d", obj), List.of(launcher.toString(), "objdump", "-d", obj));
        // the same tools on large inputs, where their own speed shows rather than the JVM's start
        Path glibc = in.programs.get("empty");
        tool("`objdump -d` glibc static program (" + Files.size(glibc) / 1024 + " KB)", List.of("objdump", "-d", glibc.toString()),
                List.of(launcher.toString(), "objdump", "-d", glibc.toString()));
        Path large = in.largeAssembly(size(600, 100));
        String largeSrc = large.toString();
        tool("`as` gcc -O2 -S of a generated C file (" + lines(large) / 1000 + "k lines)",
                List.of("as", "--32", "-o", in.dir.resolve("gnu-as-large.o").toString(), largeSrc),
                List.of(launcher.toString(), "as", "--32", "-o", in.dir.resolve("fixup-as-large.o").toString(), largeSrc));
    }

    private void pageFaults() {
        Path faults = in.programs.get("faults");
        List<String> ram = List.of();   // the default RAM: guest memory is allocated as it is touched
        int zeroMb = size(64, 16);
        guest(String.format("%,d demand-zero faults (4 x mmap %d MB, touch, munmap)", 4 * zeroMb * 256, zeroMb), faults,
                List.of("zero", "4", "" + zeroMb), null, ram, true);
        int cowRounds = size(4, 2), cowMb = size(16, 8);
        guest(String.format("%,d copy-on-write faults (%d forks x %d MB)", cowRounds * cowMb * 256, cowRounds, cowMb), faults,
                List.of("cow", "" + cowRounds, "" + cowMb), null, ram, true);
        int stackRounds = size(8, 2);
        guest(String.format("%,d stack-growth faults (%d forks x 7 MB)", stackRounds * 7 * 256, stackRounds), faults,
                List.of("stack", "" + stackRounds, "7"), null, ram, true);
    }

    private void systemCalls() {
        Path sys = in.programs.get("syscalls");
        int getpid = size(200_000, 20_000), pipe = size(50_000, 5_000), zero = size(5_000, 500);
        guest(String.format("getpid loop (%,d)", getpid), sys, List.of("getpid", "" + getpid), null, List.of(), true);
        guest(String.format("1-byte pipe write+read loop (%,d)", pipe), sys, List.of("pipe", "" + pipe), null, List.of(), true);
        guest(String.format("64 KB read of /dev/zero loop (%,d)", zero), sys, List.of("zero", "" + zero), null, List.of(), true);
        // The verify/extable comparison: the same loop with every user access checked against the vmas first.
        guest(String.format("1-byte pipe loop (%,d), `--uaccess verify`", pipe), sys, List.of("pipe", "" + pipe), null,
                List.of("--uaccess", "verify"), false);
    }

    private void busybox() throws IOException {
        if (!Files.isExecutable(BenchInputs.BUSYBOX)) {
            skipped.accept("busybox rows skipped: no " + BenchInputs.BUSYBOX + " (Debian busybox-static:i386)");
            return;
        }
        int md5Mb = size(20, 2);
        // In-JVM too: it separates the engine's own speed from JVM start-up and warm-up.
        guest("busybox `md5sum` of " + md5Mb + " MB from stdin", BenchInputs.BUSYBOX, List.of("md5sum"), in.randomFile(md5Mb), List.of(), true, true);
        int textBytes = size(3_400_000, 200_000);
        Path text = in.numbersFile(textBytes);
        String mb = String.format("%.1f MB", textBytes / 1e6);
        guest("busybox `sed s/1/X/g` on " + mb, BenchInputs.BUSYBOX, List.of("sed", "s/1/X/g", text.toString()), null, List.of(), true, true);
        guest("busybox `wc` on " + mb, BenchInputs.BUSYBOX, List.of("wc", text.toString()), null, List.of(), true, true);
    }

    private void compute() {
        int[][] work = {{130, 20}, {250_000, 40_000}, {28, 4}, {400_000, 60_000}};
        String[] names = {"crc32", "sort", "vm", "arith64"};
        String[] what = {"CRC-32", "sort", "VM loop", "64-bit math"};
        for (int i = 0; i < names.length; i++) {
            String arg = "" + size(work[i][0], work[i][1]);
            guest("gcc -O2 " + what[i] + " (examples/c/" + names[i] + " " + arg + ")", in.examples.get(names[i]), List.of(arg), null, List.of(), true, true);
        }
    }

    /** The floating-point (x87) workload's row goes here once its C source is in fixup-bench/src/main/c. */
    private void floatingPoint() {
    }

    /** A guest program under all three runners; {@code fixupOptions} go to {@code fixup run} only. */
    private void guest(String name, Path program, List<String> args, Path stdin, List<String> fixupOptions, boolean inJvm) {
        guest(name, program, args, stdin, fixupOptions, inJvm, false);
    }

    /** {@code mips}: the in-JVM figure also shows guest instructions per second (compute rows). */
    private void guest(String name, Path program, List<String> args, Path stdin, List<String> fixupOptions, boolean inJvm, boolean mips) {
        Map<Runner, List<String>> cmds = new EnumMap<>(Runner.class);
        List<String> nat = new ArrayList<>(List.of(program.toString()));
        nat.addAll(args);
        cmds.put(Runner.NATIVE, nat);
        List<String> qemu = new ArrayList<>(List.of("qemu-i386", program.toString()));
        qemu.addAll(args);
        cmds.put(Runner.QEMU, qemu);
        List<String> fx = new ArrayList<>(List.of(launcher.toString(), "run"));
        fx.addAll(fixupRunOptions);
        fx.addAll(fixupOptions);
        fx.add(program.toString());
        fx.addAll(args);
        cmds.put(Runner.FIXUP, fx);
        int ram = fixupOptions.contains("--ram") ? megabytes(fixupOptions.get(fixupOptions.indexOf("--ram") + 1)) : 0;
        rows.add(new Workload(name, cmds, stdin, Check.SAME_OUTPUT, inJvm ? new InJvm(program, args, ram, mips) : null));
    }

    /** A toolchain command: the GNU tool natively against Fixup's through the launcher. */
    private void tool(String name, List<String> gnu, List<String> fixup) {
        Map<Runner, List<String>> cmds = new EnumMap<>(Runner.class);
        cmds.put(Runner.NATIVE, gnu);
        cmds.put(Runner.FIXUP, fixup);
        rows.add(new Workload(name, cmds, null, Check.STATUS_ZERO, null));
    }

    static int megabytes(String size) {
        String s = size.toUpperCase();
        if (s.endsWith("G")) return Integer.parseInt(s.substring(0, s.length() - 1)) << 10;
        if (s.endsWith("M")) return Integer.parseInt(s.substring(0, s.length() - 1));
        return Integer.parseInt(s);
    }

    private static long lines(Path p) {
        try (var s = Files.lines(p)) {
            return s.count();
        } catch (IOException e) {
            return -1;
        }
    }
}
