package dev.fixup.kernel;

import dev.fixup.kernel.mm.Mm;
import dev.fixup.kernel.mm.PageDirectory;
import dev.fixup.kernel.mm.Vma;
import dev.fixup.kernel.proc.Task;

import java.util.ArrayList;
import java.util.ConcurrentModificationException;
import java.util.List;

/**
 * A read-only look at a running kernel for tools (the web view, the QEMU-format logs): its
 * symbols, its tasks with their vmas and page-table entries, and its exception table with how
 * often each entry was used. Read from another thread while the guest runs, a snapshot may be a
 * moment out of date; it is exact while the CPU is stopped.
 */
public final class KernelView {
    /** One page of a vma: its PTE and what the bits mean (shared COW: present, read-only, in a private writable vma). */
    public record Page(int va, int pte, boolean present, boolean writable, boolean user, boolean dirty, boolean accessed,
                       boolean sharedCow) { }

    /** One vma: start, end, "rwx" permissions, what backs it, and its present pages (at most {@link #MAX_PAGES}). */
    public record Area(long start, long end, String perms, String kind, List<Page> pages, int presentPages) { }

    public record TaskInfo(int pid, String comm, String state, boolean current, List<Area> areas) { }

    /** One exception-table entry, symbolized, with the number of faults it fixed. */
    public record Entry(String owner, int insn, String insnSymbol, int fixup, String fixupSymbol, int hits) { }

    public static final int MAX_PAGES = 256;

    private final Kernel k;

    public KernelView(Kernel k) { this.k = k; }

    /** The kernel or module symbol at addr ("name" or "name+0xoff"), or null. */
    public String symbol(int addr) {
        if (Layout.u(addr) < Layout.TASK_SIZE) return null; // a user address: the program's symbols are not the kernel's
        String m = k.modules().describe(addr);
        return m != null ? m : k.tracer.symbolOrNull(addr);
    }

    public List<TaskInfo> tasks() {
        for (int attempt = 0; ; attempt++) {
            try {
                List<TaskInfo> r = new ArrayList<>();
                Task cur = k.current;
                for (Task t : k.sched.all()) r.add(task(t, t == cur));
                r.sort((a, b) -> Integer.compare(a.pid(), b.pid()));
                return r;
            } catch (ConcurrentModificationException | NullPointerException | IndexOutOfBoundsException e) {
                if (attempt == 3) return List.of(); // the guest changed its tasks while we looked
            }
        }
    }

    private static TaskInfo task(Task t, boolean current) {
        List<Area> areas = new ArrayList<>();
        Mm mm = t.mm;
        if (mm != null) {
            for (Vma v : new ArrayList<>(mm.vmas())) {
                List<Page> pages = new ArrayList<>();
                int present = 0;
                for (long va = v.start; va < v.end; va += Layout.PAGE_SIZE) {
                    int pte = mm.pgd.pte((int) va);
                    if ((pte & PageDirectory.P) == 0) continue;
                    present++;
                    if (pages.size() >= MAX_PAGES) continue;
                    boolean w = (pte & PageDirectory.RW) != 0;
                    pages.add(new Page((int) va, pte, true, w, (pte & PageDirectory.US) != 0, (pte & PageDirectory.D) != 0,
                            (pte & PageDirectory.A) != 0, !w && v.has(Vma.VM_WRITE) && !v.has(Vma.VM_SHARED)));
                }
                String perms = "" + (v.has(Vma.VM_READ) ? 'r' : '-') + (v.has(Vma.VM_WRITE) ? 'w' : '-')
                        + (v.has(Vma.VM_EXEC) ? 'x' : '-') + (v.has(Vma.VM_SHARED) ? 's' : 'p');
                String kind = v.has(Vma.VM_GROWSDOWN) ? "stack" : v.toString().endsWith("[file]") ? "file" : "anon";
                areas.add(new Area(v.start, v.end, perms, kind, pages, present));
            }
        }
        return new TaskInfo(t.pid, t.comm, t.state.name().toLowerCase(java.util.Locale.ROOT), current, areas);
    }

    /** The kernel's table, then each module's, in table order. */
    public List<Entry> exceptionTable() {
        List<Entry> r = new ArrayList<>();
        List<ExceptionTable.Table> tables = new ArrayList<>(k.extable.moduleTables());
        tables.add(0, k.extable.kernelTable());
        for (ExceptionTable.Table t : tables) {
            for (int i = 0; i < t.size(); i++) {
                int insn = t.insn(i), fixup = t.fixup(i);
                r.add(new Entry(t.owner(), insn, symbol(insn), fixup, symbol(fixup), k.tracer.fixupHits.getOrDefault(insn, 0)));
            }
        }
        return r;
    }
}
