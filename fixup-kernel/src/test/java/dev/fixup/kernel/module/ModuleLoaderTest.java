package dev.fixup.kernel.module;

import dev.fixup.kernel.Errno;
import dev.fixup.kernel.Tools;

import dev.fixup.asm.Assembler;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** The loader's refusals, its bookkeeping over many loads, and the init_module/delete_module syscalls. */
class ModuleLoaderTest {
    /** A module that registers nothing: init and cleanup print. */
    static final String QUIET = """
            .text
            .globl init_module, cleanup_module
            init_module:
                pushl $hello
                call printk
                addl $4, %esp
                xorl %eax, %eax
                ret
            cleanup_module:
                ret
            .section .rodata
            hello: .asciz "<6>quiet: hello %d\\n"
            .section .modinfo
            .asciz "name=quiet"
            """;

    static byte[] asm(String source) throws Exception { return Assembler.assembleToBytes("m.S", source); }

    private static ModuleLoader.ModuleException refused(ModulesTest.Machine m, byte[] module) {
        int frames = m.kernel.freeFrames();
        long vm = m.kernel.modules().vmallocUsed();
        int tables = m.kernel.exceptionTable().moduleTables().size();
        ModuleLoader.ModuleException e = assertThrows(ModuleLoader.ModuleException.class, () -> m.kernel.modules().load(module, "", "bad.o"));
        assertEquals(frames, m.kernel.freeFrames(), "frames left behind by a failed load");
        assertEquals(vm, m.kernel.modules().vmallocUsed(), "vmalloc space left behind by a failed load");
        assertEquals(tables, m.kernel.exceptionTable().moduleTables().size());
        assertTrue(m.kernel.modules().names().isEmpty());
        return e;
    }

    @Test
    void badModulesAreRefusedWithClearErrorsAndLeaveNothing() throws Exception {
        ModulesTest.Machine m = new ModulesTest.Machine();
        m.kernel.modules().unload(m.kernel.modules().load(asm(QUIET), "", null).name());   // page tables of vmalloc space exist from here on

        byte[] wrongMachine = asm(QUIET);
        wrongMachine[18] = 62;                                          // e_machine = EM_X86_64
        String machine = refused(m, wrongMachine).getMessage();
        assertTrue(machine.contains("62"), machine);

        String missing = refused(m, asm(QUIET.replace("call printk", "call no_such_service"))).getMessage();
        assertTrue(missing.contains("undefined reference to `no_such_service'"), missing);

        String reloc = refused(m, asm(QUIET + "\n.data\n.word init_module\n")).getMessage();
        assertTrue(reloc.contains("unsupported relocation type R_386_16 at .data+0x0"), reloc);

        byte[] whole = asm(QUIET);
        byte[] truncated = java.util.Arrays.copyOf(whole, whole.length / 2);
        assertEquals(Errno.ENOEXEC, refused(m, truncated).errno);

        String table = refused(m, asm(QUIET + "\n.section __ex_table,\"a\"\n.long init_module\n")).getMessage();
        assertEquals("init_module: mod->ex_table_* invalid.", table);

        ModuleLoader.ModuleException init = refused(m, asm(QUIET.replace("xorl %eax, %eax", "movl $-22, %eax")));
        assertEquals(Errno.EINVAL, init.errno);
        assertTrue(init.getMessage().contains("init returned -22"), init.getMessage());

        assertEquals(Errno.ENOEXEC, refused(m, "not an ELF file".getBytes(StandardCharsets.US_ASCII)).errno);
        assertEquals(0, m.run(Tools.program(".globl _start\n_start: movl $1, %eax\n xorl %ebx, %ebx\n int $0x80\n")));
    }

    @Test
    void aModuleIsLoadedOnceAndItsParametersAreSet() throws Exception {
        ModulesTest.Machine m = new ModulesTest.Machine();
        String withParam = QUIET.replace("pushl $hello", "pushl level\n pushl $hello").replace("addl $4, %esp", "addl $8, %esp")
                + "\n.data\n.globl level\n.type level, @object\nlevel: .long 7\n";
        m.kernel.modules().load(asm(withParam), "level=42", null);
        assertTrue(m.klog().contains("quiet: hello 42\n"), m.klog());
        assertEquals(Errno.EEXIST, assertThrows(ModuleLoader.ModuleException.class,
                () -> m.kernel.modules().load(asm(QUIET), "", null)).errno);
        assertEquals(Errno.ENOENT, assertThrows(ModuleLoader.ModuleException.class, () -> m.kernel.modules().unload("nothing")).errno);
    }

    @Test
    void aModuleThatMisusesMemcpyKillsTheCallerAndIsNotLoaded() throws Exception {
        ModulesTest.Machine m = new ModulesTest.Machine();
        byte[] bad = asm(QUIET.replace("pushl $hello\n    call printk\n    addl $4, %esp",
                "pushl $4\n    pushl $hello\n    pushl $0x1000\n    call memcpy\n    addl $12, %esp"));
        m.kernel.modules().unload(m.kernel.modules().load(asm(QUIET), "", null).name());   // vmalloc's page table, once
        int frames = m.kernel.freeFrames();
        m.kernel.testProbe = k -> {
            try {
                k.modules.load(bad, "", null);
            } catch (ModuleLoader.ModuleException e) {
                throw new AssertionError(e);
            }
        };
        int st = m.run(Tools.program(".globl _start\n_start: movl $1001, %eax\n int $0x80\n movl $1, %eax\n xorl %ebx, %ebx\n int $0x80\n"));
        assertEquals(128 + 11, st, m.klog());
        assertTrue(m.klog().contains("BUG: a module passed memcpy/memset the non-kernel address 00001000"), m.klog());
        assertTrue(m.kernel.modules().names().isEmpty());
        assertEquals(frames, m.kernel.freeFrames());
        assertEquals(0, m.kernel.modules().vmallocUsed());
    }

    @Test
    void aThousandLoadsAndUnloadsLeaveFramesAndVmallocSpaceWhereTheyWere() throws Exception {
        ModulesTest.Machine m = new ModulesTest.Machine();
        byte[] module = ModulesTest.asmModule("get_user_asm");
        m.kernel.modules().unload(m.kernel.modules().load(module, "", null).name());
        int frames = m.kernel.freeFrames();
        long vm = m.kernel.modules().vmallocUsed();
        for (int i = 0; i < 1000; i++) {
            LoadedModule lm = m.kernel.modules().load(module, "", null);
            assertNotEquals(frames, m.kernel.freeFrames());
            m.kernel.modules().unload(lm.name());
        }
        System.out.printf("modules: 1000 loads and unloads of get_user_asm: free frames %d before, %d after; vmalloc in use %d bytes before, %d after%n",
                frames, m.kernel.freeFrames(), vm, m.kernel.modules().vmallocUsed());
        assertEquals(frames, m.kernel.freeFrames());
        assertEquals(vm, m.kernel.modules().vmallocUsed());
        assertEquals(0, vm);
        assertTrue(m.kernel.exceptionTable().moduleTables().isEmpty());
    }

    @Test
    void initModuleAndDeleteModuleSyscalls() throws Exception {
        Path obj = Files.createTempFile("get_user_asm", ".o");
        Files.write(obj, ModulesTest.asmModule("get_user_asm"));
        ModulesTest.Machine m = new ModulesTest.Machine();
        String program = """
                .text
                .globl _start
                _start:
                    movl $5, %eax              # open the object file
                    movl $objpath, %ebx
                    xorl %ecx, %ecx
                    int $0x80
                    movl %eax, %ebx
                    movl $3, %eax              # read it whole
                    movl $image, %ecx
                    movl $65536, %edx
                    int $0x80
                    movl %eax, len
                    movl %eax, %ecx            # init_module(image, len, "")
                    movl $128, %eax
                    movl $image, %ebx
                    movl $empty, %edx
                    int $0x80
                    call show
                    movl $128, %eax            # again: -EEXIST
                    movl len, %ecx
                    movl $image, %ebx
                    movl $empty, %edx
                    int $0x80
                    call show
                    movl $128, %eax            # from NULL: -EFAULT
                    xorl %ebx, %ebx
                    movl $100, %ecx
                    int $0x80
                    call show
                    movl $5, %eax              # open its device
                    movl $dev, %ebx
                    xorl %ecx, %ecx
                    int $0x80
                    movl %eax, fd
                    movl $129, %eax            # delete_module while it is open: -EBUSY
                    movl $name, %ebx
                    xorl %ecx, %ecx
                    int $0x80
                    call show
                    movl $6, %eax              # close: its release runs
                    movl fd, %ebx
                    int $0x80
                    movl $129, %eax            # delete_module("get_user_asm", 0)
                    movl $name, %ebx
                    xorl %ecx, %ecx
                    int $0x80
                    call show
                    movl $129, %eax            # again: -ENOENT
                    movl $name, %ebx
                    xorl %ecx, %ecx
                    int $0x80
                    call show
                    movl $1, %eax
                    xorl %ebx, %ebx
                    int $0x80
                # show: writes 'a' - eax (0 -> a, -14 -> o, ...)
                show:
                    negl %eax
                    addl $'a', %eax
                    movb %al, out
                    movl $4, %eax
                    movl $1, %ebx
                    movl $out, %ecx
                    movl $1, %edx
                    int $0x80
                    ret
                .data
                objpath: .asciz "PATH"
                name: .asciz "get_user_asm"
                empty: .asciz ""
                out: .byte 0
                len: .long 0
                fd: .long 0
                dev: .asciz "/dev/get_user_asm"
                .bss
                image: .space 65536
                """.replace("PATH", obj.toAbsolutePath().toString());
        int st = m.run(Tools.program(program));
        assertEquals(0, st, m.klog());
        assertEquals(String.valueOf(new char[] {'a', (char) ('a' + Errno.EEXIST), (char) ('a' + Errno.EFAULT),
                (char) ('a' + Errno.EBUSY), 'a', (char) ('a' + Errno.ENOENT)}), m.stdout(), m.klog());
        assertTrue(m.klog().contains("get_user_asm: open\ndelete_module: get_user_asm is in use (/dev/get_user_asm is open)\n"
                + "get_user_asm: release\n"), m.klog());
        assertTrue(m.klog().contains("init_module: module get_user_asm is already loaded"), m.klog());
        assertTrue(m.kernel.modules().names().isEmpty());
    }
}
