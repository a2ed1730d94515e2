package dev.fixup.kernel;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * A minimal /proc: /proc/self (a link to /proc/PID) and, for each guest task, exe, cwd and root
 * (links, followed by the path walk inside the guest's root like any other link, so they cannot
 * lead out of it), fd/ (one link per open descriptor), maps, mounts, cmdline (the command name
 * only: the kernel keeps no copy of argv), status and comm.
 */
final class ProcFs {
    /** node() answers this for a /proc path it does not know, so the host's file is looked up. */
    static final Object NOT_MINE = new Object();
    private static final List<String> PID_ENTRIES = List.of("cmdline", "comm", "cwd", "exe", "fd", "maps", "mounts", "root", "status");

    private final Kernel k;
    /** The program each task runs, as execve found it (the path of the first one from the command line). */
    private final Map<Task, String> exe = new WeakHashMap<>();
    private final String firstProgram;

    /** What /proc/PID/mounts says: one line for the root when there is one, else the host's table (the guest sees the host's files). */
    private final String mounts;

    ProcFs(Kernel k, String firstProgram) {
        this.k = k;
        this.firstProgram = firstProgram;
        this.mounts = k.cfg.root != null ? "/dev/root / ext4 rw 0 0\n" : hostMounts();
    }

    private static String hostMounts() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/self/mounts"));
        } catch (java.io.IOException | SecurityException e) {
            return "rootfs / rootfs rw 0 0\n";
        }
    }

    /** execve read this program for the current task. */
    void execed(String guestPath) {
        if (k.current != null) exe.put(k.current, guestPath);
    }

    private String exeOf(Task t) {
        for (Task a = t; a != null; a = a.parent) {
            String e = exe.get(a);
            if (e != null) return e;
        }
        return firstProgram;
    }

    List<String> pids() {
        List<String> out = new ArrayList<>();
        out.add("self");
        for (Task t : k.sched.all()) if (t.alive()) out.add(Integer.toString(t.pid));
        return out;
    }

    private Task task(String pid) {
        if (pid.isEmpty() || pid.length() > 9 || !pid.chars().allMatch(Character::isDigit)) return null;
        int n = Integer.parseInt(pid);
        for (Task t : k.sched.all()) if (t.pid == n && t.alive()) return t;
        return null;
    }

    /** The node at a /proc/... path: an FsNode, null (absent), or NOT_MINE. */
    Object node(String g) {
        List<String> c = PathWalk.components(g);          // "proc", pid, ...
        if (c.size() < 2) return NOT_MINE;
        if (c.get(1).equals("self")) {
            if (c.size() > 2 || k.current == null) return NOT_MINE;
            return FsNode.link(100, Integer.toString(k.current.pid));
        }
        if (c.size() == 2 && c.get(1).equals("mounts")) return FsNode.link(101, "self/mounts");     // as Linux links it
        Task t = task(c.get(1));
        if (t == null) return NOT_MINE;
        long base = 1000L * t.pid;
        if (c.size() == 2) return FsNode.dir(base, () -> PID_ENTRIES);
        String what = c.get(2);
        if (c.size() == 3) {
            switch (what) {
                case "exe": { String e = exeOf(t); return e == null ? null : FsNode.link(base + 1, e); }
                case "cwd": return FsNode.link(base + 2, t.cwd);
                case "root": return FsNode.link(base + 3, "/");
                case "fd": return FsNode.dir(base + 4, () -> fds(t));
                case "maps": return text(base + 5, maps(t));
                case "cmdline": return text(base + 6, cmdline(t));
                case "status": return text(base + 7, status(t));
                case "comm": return text(base + 8, t.comm + "\n");
                case "mounts": return text(base + 9, mounts);
                default: return null;
            }
        }
        if (c.size() == 4 && what.equals("fd")) {
            OpenFile f = fdNumber(t, c.get(3));
            return f == null ? null : FsNode.link(base + 100 + Integer.parseInt(c.get(3)), fdTarget(f));
        }
        return null;
    }

    /**
     * The argument strings as they are now in the task's memory (a program may rewrite them),
     * NUL-separated, read through its page tables as access_process_vm does; empty for a task
     * without an address space, shorter where a page is gone.
     */
    private byte[] cmdline(Task t) {
        Mm mm = t.mm;
        if (mm == null || mm.argEnd <= mm.argStart) return new byte[0];
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (long a = mm.argStart; a < mm.argEnd; ) {
            int pte = mm.pgd.pte((int) a);
            if ((pte & PageDirectory.P) == 0) break;
            int off = (int) (a & (Layout.PAGE_SIZE - 1));
            int n = (int) Math.min(mm.argEnd - a, Layout.PAGE_SIZE - off);
            byte[] b = new byte[n];
            k.ram.read((pte & Layout.PAGE_MASK) + off, b, 0, n);
            out.writeBytes(b);
            a += n;
        }
        return out.toByteArray();
    }

    private static OpenFile fdNumber(Task t, String s) {
        if (s.isEmpty() || s.length() > 4 || !s.chars().allMatch(Character::isDigit)) return null;
        return t.files == null ? null : t.files.get(Integer.parseInt(s));
    }

    /** What readlink shows for a descriptor: its path, or Linux's pseudo names for pipes and the terminal. */
    private static String fdTarget(OpenFile f) {
        if (f.guestPath != null) return f.guestPath;
        if (f instanceof OpenFile.Tty) return "/dev/tty";      // Linux shows the terminal's /dev/pts node, which the guest may not have
        return "pipe:[" + (System.identityHashCode(f) & 0xfffffff) + "]";
    }

    private static List<String> fds(Task t) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < FdTable.MAX_FDS; i++) if (t.files != null && t.files.get(i) != null) out.add(Integer.toString(i));
        return out;
    }

    private static FsNode text(long ino, String s) { return text(ino, s.getBytes(StandardCharsets.UTF_8)); }

    private static FsNode text(long ino, byte[] b) {
        Stat st = Stat.virtual(ino, Stat.S_IFREG | 0444, 0, 0);
        return FsNode.device(st, (r, w) -> w ? -Errno.EACCES : new OpenFile.Text(b, st));
    }

    /** /proc/PID/maps in Linux's format: range, rwxp, offset, device, inode, name. */
    private String maps(Task t) {
        StringBuilder b = new StringBuilder();
        if (t.mm == null) return "";
        for (Vma v : t.mm.vmas()) {
            String perms = (v.has(Vma.VM_READ) ? "r" : "-") + (v.has(Vma.VM_WRITE) ? "w" : "-")
                    + (v.has(Vma.VM_EXEC) ? "x" : "-") + (v.has(Vma.VM_SHARED) ? "s" : "p");
            String line = String.format("%08x-%08x %s %08x 00:00 0", v.start, v.end, perms, v.file != null ? v.fileOffset : 0);
            if (v.has(Vma.VM_GROWSDOWN)) line = String.format("%-73s[stack]", line + " ");
            else if (v.file != null && exeOf(t) != null) line = String.format("%-73s%s", line + " ", exeOf(t));
            b.append(line).append('\n');
        }
        return b.toString();
    }

    private String status(Task t) {
        String state = switch (t.state) {
            case RUNNABLE -> t == k.current ? "R (running)" : "R (running)";
            case BLOCKED -> "S (sleeping)";
            case STOPPED -> "T (stopped)";
            case ZOMBIE -> "Z (zombie)";
        };
        return "Name:\t" + t.comm + "\nUmask:\t" + String.format("%04o", t.umask) + "\nState:\t" + state
                + "\nTgid:\t" + t.pid + "\nPid:\t" + t.pid + "\nPPid:\t" + (t.parent == null ? 0 : t.parent.pid)
                + "\nUid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\n";
    }
}
