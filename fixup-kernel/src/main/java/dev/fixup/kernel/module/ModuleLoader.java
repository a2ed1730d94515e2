package dev.fixup.kernel.module;

import dev.fixup.kernel.Errno;
import dev.fixup.kernel.Kernel;
import dev.fixup.kernel.Layout;
import dev.fixup.kernel.UserAccess;
import dev.fixup.kernel.fs.MiscDevices;
import dev.fixup.kernel.mm.VmallocArea;
import dev.fixup.kernel.syscall.Syscalls;

import dev.fixup.elf.Elf;
import dev.fixup.elf.ElfFile;
import dev.fixup.elf.ElfFormatException;
import dev.fixup.elf.ElfReader;
import dev.fixup.elf.Relocation;
import dev.fixup.elf.Section;
import dev.fixup.elf.Symbol;
import dev.fixup.link.Relocator;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Loadable modules (kernel/module.c): an ELF32 relocatable object from `fixup as` or
 * `gcc -m32 -c -fno-pic`, its allocated sections laid out in one image in vmalloc space,
 * relocated by fixup-link's {@link Relocator} against its own symbols and the kernel's exported
 * ones ({@link KernelSymbols}), its __ex_table validated, sorted and put first in the search, and
 * its init function run as guest code. A failed load leaves nothing behind.
 *
 * <p>Metadata: the module's name, init and cleanup functions come from NUL-separated
 * "name=", "init=", "exit=" strings in a .modinfo section (see examples/modules/fixup_module.h),
 * else from the source file's name and the functions init_module and cleanup_module.
 * Parameters "sym=value" set the module's int variable sym before init runs.
 */
public final class ModuleLoader {
    /** A load or unload that failed: the message the kernel logs and the errno the syscall returns. */
    public static final class ModuleException extends Exception {
        public final int errno;

        ModuleException(int errno, String message) {
            super(message);
            this.errno = errno;
        }
    }

    /** Largest image init_module copies from user memory. */
    static final int MAX_IMAGE = 4 << 20;
    static final int INIT_MODULE = 128, DELETE_MODULE = 129;

    private final Kernel k;
    private final VmallocArea vmalloc;
    private final KernelSymbols exported;
    final MiscDevices misc;
    final ModuleApi api;
    /** Newest last. */
    private final List<LoadedModule> loaded = new ArrayList<>();

    public ModuleLoader(Kernel k) {
        this.k = k;
        vmalloc = new VmallocArea(k.masterPgd, k.frames, k.ram, k.cfg.ramBytes);
        misc = new MiscDevices(k, vmalloc, va -> { LoadedModule m = at(va); return m == null ? null : m.name(); });
        api = new ModuleApi(k, vmalloc, misc);
        exported = new KernelSymbols(k.image);
        k.machine.setHostCallPage(ModuleApi.PAGE_PHYS, api::call);
        k.fs.setDevices(misc::open);
    }

    // ---- the syscalls

    public void register(Syscalls s, UserAccess ua) {
        s.add(INIT_MODULE, "init_module", "pdp", x -> {
            if (x.b() < 0 || x.b() > MAX_IMAGE) return -Errno.EFBIG;
            byte[] image = ua.read(x.a(), x.b());
            if (image == null) return -Errno.EFAULT;
            Object p = x.c() == 0 ? "" : ua.getname(x.c());
            if (p instanceof Integer err && err != -Errno.ENOENT) return err;    // ENOENT: an empty string
            String params = p instanceof String str ? str : "";
            return report(() -> load(image, params, null));
        });
        s.add(DELETE_MODULE, "delete_module", "px", x -> {
            Object name = ua.getname(x.a());
            if (name instanceof Integer err) return err;
            return report(() -> unload((String) name));
        });
    }

    private interface Action { void run() throws ModuleException; }

    /** Runs a load or unload for a syscall: 0, or the error logged and returned as -errno. */
    private int report(Action a) {
        try {
            a.run();
            return 0;
        } catch (ModuleException e) {
            if (e.getMessage() != null) k.printk(e.getMessage());
            return -e.errno;
        }
    }

    // ---- loading

    /** Loads a module; fileName (may be null) names it when its .modinfo does not. */
    public LoadedModule load(byte[] bytes, String params, String fileName) throws ModuleException {
        ElfFile obj;
        try {
            obj = ElfReader.read(bytes);
        } catch (ElfFormatException e) {
            throw new ModuleException(Errno.ENOEXEC, "init_module: not an ELF object: " + e.getMessage());
        }
        if (obj.type != Elf.ET_REL) throw new ModuleException(Errno.ENOEXEC, "init_module: not a relocatable object (e_type " + obj.type + ")");
        if (obj.machine != Elf.EM_386) throw new ModuleException(Errno.ENOEXEC, "init_module: wrong machine " + obj.machine + ", expected EM_386 (3)");
        Map<String, String> info = modinfo(obj);
        String name = info.getOrDefault("name", defaultName(obj, fileName));
        if (at(name) != null) throw new ModuleException(Errno.EEXIST, "init_module: module " + name + " is already loaded");
        checkSections(obj, bytes.length);
        checkRelocationTypes(obj);

        Placement l = layout(obj);
        if (l.size < 0 || l.size > MAX_IMAGE * 4) throw new ModuleException(Errno.ENOEXEC, "init_module: sections too large");
        Map<String, Integer> own = ownSymbols(obj, l);
        // Reserve the space first: relocation needs the final addresses.
        byte[] image = new byte[Math.max(l.size, 1)];
        int base = vmalloc.map(image);
        if (base == 0) throw new ModuleException(Errno.ENOMEM, "init_module: no vmalloc space or memory for " + l.size + " bytes");
        boolean done = false;
        try {
            long[] addr = l.withBase(base);
            List<String> errors = Relocator.relocate(name + ".o", obj, addr, s -> {
                Integer v = own.get(s);
                if (v != null) return Integer.toUnsignedLong(base + v);
                Integer e = exported.lookup(s);
                return e == null ? null : Integer.toUnsignedLong(e);
            });
            if (!errors.isEmpty()) throw new ModuleException(Errno.ENOENT, "init_module: " + String.join("\ninit_module: ", errors));
            for (int i = 1; i < obj.sections.size(); i++) {
                Section s = obj.sections.get(i);
                if (l.offset[i] >= 0 && s.type != Elf.SHT_NOBITS) System.arraycopy(s.data, 0, image, l.offset[i], s.data.length);
            }
            Section ex = obj.section("__ex_table");
            if (ex != null) {
                int i = obj.indexOf(ex);
                if (l.offset[i] < 0) throw new ModuleException(Errno.EINVAL, "init_module: mod->ex_table_* invalid.");
                try {
                    k.extable.addModule(name, image, base, base + l.offset[i], base + l.offset[i] + ex.size);
                } catch (IllegalArgumentException e) {
                    throw new ModuleException(Errno.EINVAL, e.getMessage());
                }
            }
            writeImage(base, image);
            Map<String, Integer> sections = new LinkedHashMap<>();
            for (int i = 1; i < obj.sections.size(); i++) if (l.offset[i] >= 0) sections.put(obj.sections.get(i).name, base + l.offset[i]);
            LoadedModule m = new LoadedModule(name, base, image.length, sections, functions(obj, addr),
                    function(obj, addr, info.getOrDefault("exit", "cleanup_module")));
            loaded.add(m);
            setParameters(m, obj, addr, params);
            int init = function(obj, addr, info.getOrDefault("init", "init_module"));
            if (init != 0) {
                int r = callOnKernelStack(init);
                if (r != 0) {
                    throw new ModuleException(r < 0 && r > -4096 ? -r : Errno.EINVAL, "init_module: " + name + ": init returned " + r);
                }
            }
            done = true;
            return m;
        } finally {
            if (!done) forget(name, base);
        }
    }

    /** Removes every trace of a module: table, devices, list entry, memory. */
    private void forget(String name, int base) {
        k.extable.removeModule(name);
        for (MiscDevices.Device d : misc.of(name)) misc.remove(d);
        loaded.removeIf(m -> m.name().equals(name));
        vmalloc.unmap(base);
        k.flushTlb();
    }

    /** delete_module: -EBUSY while one of its devices is open; else cleanup_module runs and the module goes. */
    public void unload(String name) throws ModuleException {
        LoadedModule m = at(name);
        if (m == null) throw new ModuleException(Errno.ENOENT, null);   // any name a program asks for: no log line
        for (MiscDevices.Device d : misc.of(name)) {
            if (d.openFiles > 0) throw new ModuleException(Errno.EBUSY, "delete_module: " + name + " is in use (/dev/" + d.name + " is open)");
        }
        if (m.cleanup() != 0) callOnKernelStack(m.cleanup());
        for (MiscDevices.Device d : misc.of(name)) {
            k.printk("delete_module: " + name + " left /dev/" + d.name + " registered: removed");
            misc.remove(d);
        }
        forget(name, m.base());
    }

    // ---- lookups

    LoadedModule at(String name) {
        for (LoadedModule m : loaded) if (m.name().equals(name)) return m;
        return null;
    }

    /** The module whose image holds va, or null. */
    LoadedModule at(int va) {
        for (LoadedModule m : loaded) if (m.contains(va)) return m;
        return null;
    }

    /** For an oops: "func+0x5/0x20 [module]" when va is in a module, else null. */
    public String describe(int va) {
        LoadedModule m = at(va);
        return m == null ? null : m.describe(va);
    }

    public List<String> names() {
        List<String> r = new ArrayList<>();
        for (LoadedModule m : loaded) r.add(m.name());
        return r;
    }

    /** Bytes of vmalloc space in use (leak checks). */
    public long vmallocUsed() { return vmalloc.used(); }

    // ---- the steps

    /** Where each allocated section goes in the image (offset, or -1 when not loaded); COMMON symbols go last. */
    private static final class Placement {
        int[] offset;
        Map<Integer, Integer> common = new LinkedHashMap<>();
        int size;

        long[] withBase(int base) {
            long[] a = new long[offset.length];
            for (int i = 0; i < a.length; i++) a[i] = offset[i] < 0 ? Relocator.NOT_LOADED : Integer.toUnsignedLong(base + offset[i]);
            return a;
        }
    }

    /** Code first, then read-only data, then writable data and bss, as Linux lays out a module's core. */
    private static Placement layout(ElfFile obj) {
        Placement l = new Placement();
        l.offset = new int[obj.sections.size()];
        java.util.Arrays.fill(l.offset, -1);
        int at = 0;
        for (int pass = 0; pass < 3; pass++) {
            for (int i = 1; i < obj.sections.size(); i++) {
                Section s = obj.sections.get(i);
                if (!s.isAlloc()) continue;
                boolean x = (s.flags & Elf.SHF_EXECINSTR) != 0, w = (s.flags & Elf.SHF_WRITE) != 0;
                int kind = x ? 0 : w ? 2 : 1;
                if (kind != pass) continue;
                at = align(at, s.addralign);
                l.offset[i] = at;
                at += s.size;
                if (at < 0) { l.size = -1; return l; }
            }
        }
        for (int i = 1; i < obj.symbols.size(); i++) {
            Symbol s = obj.symbols.get(i);
            if (s.shndx != Elf.SHN_COMMON) continue;
            at = align(at, s.value);
            l.common.put(i, at);
            at += s.size;
        }
        l.size = at;
        return l;
    }

    private static int align(int at, int a) { return a > 1 ? (at + a - 1) / a * a : at; }

    /** The module's defined global symbols, as offsets in the image (they win over the kernel's). */
    private static Map<String, Integer> ownSymbols(ElfFile obj, Placement l) {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (int i = 1; i < obj.symbols.size(); i++) {
            Symbol s = obj.symbols.get(i);
            if (s.bind() == Elf.STB_LOCAL) continue;
            if (s.shndx == Elf.SHN_COMMON) m.put(s.name, l.common.get(i));
            else if (s.shndx > 0 && s.shndx < l.offset.length && l.offset[s.shndx] >= 0) m.put(s.name, l.offset[s.shndx] + s.value);
        }
        return m;
    }

    /** Truncated sections and sections that overlap in the file are refused before anything is mapped. */
    private static void checkSections(ElfFile obj, int fileSize) throws ModuleException {
        List<Section> inFile = new ArrayList<>();
        for (int i = 1; i < obj.sections.size(); i++) {
            Section s = obj.sections.get(i);
            if (s.type == Elf.SHT_NOBITS || s.size == 0) continue;
            if (Integer.toUnsignedLong(s.offset) + Integer.toUnsignedLong(s.size) > fileSize || (s.isAlloc() && s.data.length != s.size)) {
                throw new ModuleException(Errno.ENOEXEC, "init_module: section " + s.name + " is truncated");
            }
            inFile.add(s);
        }
        inFile.sort((a, b) -> Integer.compareUnsigned(a.offset, b.offset));
        for (int i = 1; i < inFile.size(); i++) {
            Section a = inFile.get(i - 1), b = inFile.get(i);
            if (Integer.toUnsignedLong(a.offset) + a.size > Integer.toUnsignedLong(b.offset)) {
                throw new ModuleException(Errno.ENOEXEC, "init_module: sections " + a.name + " and " + b.name + " overlap");
            }
        }
    }

    /** The loader supports what `gcc -fno-pic` and `fixup as` emit for i386: R_386_32 and R_386_PC32 (PLT32 as PC32). */
    private static void checkRelocationTypes(ElfFile obj) throws ModuleException {
        for (Section rel : obj.sections) {
            if (rel.type == Elf.SHT_RELA) throw new ModuleException(Errno.ENOEXEC, "init_module: " + rel.name + ": RELA relocations are not i386's");
            if (rel.type != Elf.SHT_REL || rel.info <= 0 || rel.info >= obj.sections.size() || !obj.sections.get(rel.info).isAlloc()) continue;
            for (Relocation r : rel.relocations) {
                if (r.type == Elf.R_386_32 || r.type == Elf.R_386_PC32 || r.type == Elf.R_386_PLT32 || r.type == Elf.R_386_NONE) continue;
                throw new ModuleException(Errno.ENOEXEC, String.format("init_module: unsupported relocation type %s at %s+0x%x",
                        Relocator.typeName(r.type), obj.sections.get(rel.info).name, r.offset));
            }
        }
    }

    /** "key=value" strings of .modinfo. */
    private static Map<String, String> modinfo(ElfFile obj) {
        Map<String, String> m = new LinkedHashMap<>();
        Section s = obj.section(".modinfo");
        if (s == null) return m;
        for (String kv : new String(s.data, StandardCharsets.ISO_8859_1).split("\0")) {
            int eq = kv.indexOf('=');
            if (eq > 0) m.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        return m;
    }

    /** The source file's name (its STT_FILE symbol), else the object's file name, without extension. */
    private static String defaultName(ElfFile obj, String fileName) {
        String n = fileName;
        for (Symbol s : obj.symbols) if (s.type() == Elf.STT_FILE && !s.name.isEmpty()) { n = s.name; break; }
        if (n == null) return "module";
        n = n.substring(n.lastIndexOf('/') + 1);
        int dot = n.indexOf('.');
        return (dot > 0 ? n.substring(0, dot) : n).replace('-', '_');
    }

    /** The address of a function symbol of the module (local or global), or 0. */
    private static int function(ElfFile obj, long[] addr, String name) {
        for (Symbol s : obj.symbols) {
            if (s.name.equals(name) && s.shndx > 0 && s.shndx < addr.length && addr[s.shndx] != Relocator.NOT_LOADED
                    && s.type() != Elf.STT_SECTION) return (int) (addr[s.shndx] + s.value);
        }
        return 0;
    }

    /** Every function symbol: name -> {address, size}, for oops lines. */
    private static Map<String, int[]> functions(ElfFile obj, long[] addr) {
        Map<String, int[]> m = new LinkedHashMap<>();
        for (Symbol s : obj.symbols) {
            if (s.type() != Elf.STT_FUNC || s.shndx <= 0 || s.shndx >= addr.length || addr[s.shndx] == Relocator.NOT_LOADED) continue;
            m.put(s.name, new int[] {(int) (addr[s.shndx] + s.value), s.size});
        }
        return m;
    }

    /** "sym=value ..." sets the module's variables (ints) before its init runs, as module parameters do. */
    private void setParameters(LoadedModule m, ElfFile obj, long[] addr, String params) throws ModuleException {
        for (String p : params.trim().split("\\s+")) {
            if (p.isEmpty()) continue;
            int eq = p.indexOf('=');
            String key = eq < 0 ? p : p.substring(0, eq);
            int va = 0;
            for (Symbol s : obj.symbols) {
                if (s.name.equals(key) && s.type() == Elf.STT_OBJECT && s.shndx > 0 && s.shndx < addr.length
                        && addr[s.shndx] != Relocator.NOT_LOADED) va = (int) (addr[s.shndx] + s.value);
            }
            if (va == 0) throw new ModuleException(Errno.EINVAL, "init_module: " + m.name() + ": unknown parameter `" + key + "'");
            int value;
            try {
                value = eq < 0 ? 1 : Integer.decode(p.substring(eq + 1));
            } catch (NumberFormatException e) {
                throw new ModuleException(Errno.EINVAL, "init_module: " + m.name() + ": parameter " + key + " is not a number");
            }
            k.ram.write32(vmalloc.physical(va), value);
        }
    }

    private void writeImage(int base, byte[] image) {
        for (int off = 0; off < image.length; off += Layout.PAGE_SIZE) {
            int n = Math.min(Layout.PAGE_SIZE, image.length - off);
            k.ram.write(vmalloc.physical(base + off), image, off, n);
        }
    }

    /**
     * Runs a module function as guest code. In a syscall it runs on the calling task's kernel
     * stack; before the first program (fixup run --module) on a stack of its own, as swapper.
     */
    private int callOnKernelStack(int function) {
        if (k.current != null) return k.callGuest(function);
        int stack = k.frames.allocContiguous(2);
        if (stack == -1) throw new IllegalStateException("guest RAM exhausted: no stack for a module's init");
        int savedEsp = k.cpu.reg(dev.fixup.cpu.Cpu.ESP);
        try {
            k.ram.write32(stack, Layout.USER_DS);       // addr_limit, as the user-access routines read it
            k.cpu.setReg(dev.fixup.cpu.Cpu.ESP, Layout.va(stack) + Layout.THREAD_SIZE);
            return k.callGuest(function);
        } finally {
            k.cpu.setReg(dev.fixup.cpu.Cpu.ESP, savedEsp);
            k.frames.put(stack);
            k.frames.put(stack + Layout.PAGE_SIZE);
        }
    }
}
