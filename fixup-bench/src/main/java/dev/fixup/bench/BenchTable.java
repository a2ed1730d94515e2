package dev.fixup.bench;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** The benchmark's table in markdown: medians per runner, Fixup's ratios to its peers, RSS, in-JVM time and the check. */
final class BenchTable {
    private BenchTable() {}

    static String header() {
        return "| workload | native | qemu-i386 | Fixup | Fixup/qemu | Fixup/native | Fixup CPU | Fixup RSS | Fixup in-JVM | check |\n"
                + "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|\n";
    }

    static String row(RowResult r) {
        double nat = r.wall(Runner.NATIVE), qemu = r.wall(Runner.QEMU), fx = r.wall(Runner.FIXUP);
        return "| " + r.workload.name()
                + " | " + seconds(nat, r.workload.command(Runner.NATIVE) != null)
                + " | " + seconds(qemu, r.workload.command(Runner.QEMU) != null)
                + " | " + seconds(fx, true)
                + " | " + ratio(fx, qemu)
                + " | " + ratio(fx, nat)
                + " | " + seconds(r.cpu(Runner.FIXUP), true)
                + " | " + (Double.isNaN(r.rssMb(Runner.FIXUP)) ? "" : String.format(Locale.ROOT, "%.0f MB", r.rssMb(Runner.FIXUP)))
                + " | " + inJvm(r)
                + " | " + r.check() + " |\n";
    }

    /** Exec time of the in-JVM runs, with guest MIPS when the count is known. */
    static String inJvm(RowResult r) {
        if (r.inJvmFailure != null) return "failed";
        if (r.inJvm.isEmpty()) return "";
        double s = median(r.inJvm.stream().mapToDouble(GuestRun::seconds).toArray());
        long insns = r.inJvm.get(0).instructions();
        return seconds(s, true) + (r.workload.inJvm().mips() && insns > 0 && s > 0 ? String.format(Locale.ROOT, " (%.0f MIPS)", insns / s / 1e6) : "");
    }

    /** "0.123 s"; "n/a" for a runner without a command; "-" when every run failed. */
    static String seconds(double s, boolean applicable) {
        if (!applicable) return "n/a";
        if (Double.isNaN(s)) return "-";
        return String.format(Locale.ROOT, s < 0.1 ? "%.3f s" : s < 10 ? "%.2f s" : "%.1f s", s);
    }

    /** a / b as "12.3x"; blank when either is missing. A peer faster than the clock (0 s) gives "-". */
    static String ratio(double a, double b) {
        if (Double.isNaN(a) || Double.isNaN(b)) return "";
        if (b <= 0) return "-";
        double x = a / b;
        return String.format(Locale.ROOT, x < 10 ? "%.2fx" : x < 100 ? "%.1fx" : "%.0fx", x);
    }

    /** The median, NaN for no values. */
    static double median(double[] values) {
        if (values.length == 0) return Double.NaN;
        double[] s = values.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    static String table(List<RowResult> rows) {
        StringBuilder sb = new StringBuilder(header());
        for (RowResult r : rows) sb.append(row(r));
        return sb.toString();
    }
}
