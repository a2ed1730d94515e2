package dev.fixup.kernel;

/** The fixed numbers of the i386 Linux 2.4 address space (3 GB user, kernel at 0xc0000000) and of Fixup's reserved pages. */
public final class Layout {
    private Layout() {}

    public static final int PAGE_SIZE = 4096;
    public static final int PAGE_MASK = ~(PAGE_SIZE - 1);
    /** User space below, the kernel's map of physical RAM above. */
    public static final int PAGE_OFFSET = 0xC0000000;
    public static final long TASK_SIZE = 0xC0000000L;
    public static final int USER_DS = 0xC0000000;
    public static final int KERNEL_DS = 0xFFFFFFFF;
    public static final long TASK_UNMAPPED_BASE = TASK_SIZE / 3;
    public static final long STACK_TOP = TASK_SIZE;

    public static final int KERNEL_CS = 0x10, KERNEL_DS_SEL = 0x18, USER_CS = 0x23, USER_DS_SEL = 0x2B, TSS_SEL = 0x80;
    /** GDT entries 6..8 hold the running task's thread-local storage segments (set_thread_area). */
    public static final int GDT_ENTRY_TLS_MIN = 6, GDT_ENTRY_TLS_ENTRIES = 3;
    /** Kernel stacks are 8 KB and 8 KB aligned: esp & -8192 finds the per-task word addr_limit. */
    public static final int THREAD_SIZE = 8192;

    /** Physical page of the Java services (guest -> Java): its kernel virtual address is PAGE_OFFSET + this. */
    public static final int HOSTCALL_PHYS = 0x1000;
    /** Physical page the Java -> guest calls return to. */
    public static final int GATE_PHYS = 0x2000;
    public static final int KERNEL_PHYS = 0x100000;

    public static int va(int phys) { return phys + PAGE_OFFSET; }
    public static int pa(int kernelVirt) { return kernelVirt - PAGE_OFFSET; }
    public static long pageAlign(long a) { return (a + PAGE_SIZE - 1) & ~(long) (PAGE_SIZE - 1); }
    public static long u(int a) { return Integer.toUnsignedLong(a); }
}
