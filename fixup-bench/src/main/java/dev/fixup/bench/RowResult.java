package dev.fixup.bench;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** Everything measured for one row: each runner's runs, and Fixup's in-JVM runs (exec time only). */
final class RowResult {
    final Workload workload;
    final Map<Runner, List<Measurement>> runs = new EnumMap<>(Runner.class);
    final List<GuestRun> inJvm = new ArrayList<>();
    String inJvmFailure;

    RowResult(Workload workload) {
        this.workload = workload;
        for (Runner r : Runner.values()) runs.put(r, new ArrayList<>());
    }

    /** Median wall seconds of a runner's successful runs; NaN when it has none. */
    double wall(Runner r) {
        return BenchTable.median(runs.get(r).stream().filter(this::ok).mapToDouble(Measurement::wall).toArray());
    }

    double cpu(Runner r) {
        return BenchTable.median(runs.get(r).stream().filter(m -> ok(m) && m.cpu() >= 0).mapToDouble(Measurement::cpu).toArray());
    }

    double rssMb(Runner r) {
        return BenchTable.median(runs.get(r).stream().filter(m -> ok(m) && m.maxRssKb() >= 0).mapToDouble(m -> m.maxRssKb() / 1024.0).toArray());
    }

    private boolean ok(Measurement m) { return m.ok(workload.check()); }

    /** The first failed run of a runner, or null. */
    Measurement failure(Runner r) {
        return runs.get(r).stream().filter(m -> !ok(m)).findFirst().orElse(null);
    }

    /** "same", "ok", or what differs / failed. */
    String check() {
        Measurement fail = failure(Runner.FIXUP);
        if (fail != null) return "Fixup: " + fail.failure();
        for (Runner r : Runner.values()) if (failure(r) != null) return r.title + ": " + failure(r).failure();
        if (workload.check() == Workload.Check.STATUS_ZERO) return "ok";
        List<Measurement> nat = runs.get(Runner.NATIVE);
        if (nat.isEmpty()) return "ok";
        for (Runner r : List.of(Runner.QEMU, Runner.FIXUP)) {
            for (Measurement m : runs.get(r)) if (!m.sameOutputAs(nat.get(0))) return "**" + r.title + " output differs from native**";
        }
        for (GuestRun g : inJvm) {
            if (g.status() != nat.get(0).status() || !java.util.Arrays.equals(ProcessMeasure.sha256(g.stdout()), nat.get(0).stdoutDigest()))
                return "**in-JVM output differs from native**";
        }
        return "same";
    }
}
