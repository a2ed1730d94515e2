package dev.fixup.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code fixup run -d int,extable -D FILE}: qemu-system's -d int lines, beside Fixup's own extable lines. */
class QemuIntTraceTest {
    @Test
    void theEfaultExampleLogsItsKernelPageFaultsAsQemuDoes(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("trace.txt");
        assertEquals(0, Main.execute("run", "-d", "int,extable", "-D", log.toString(), Examples.example("efault.S").toString()));
        String text = Files.readString(log);
        // the first kernel-mode page fault, then the extable line for the same EIP
        Matcher m = Pattern.compile("check_exception old: 0xffffffff new 0xe\n"
                + " +\\d+: v=0e e=0000 i=0 cpl=0 IP=0010:(c01[0-9a-f]{5}) pc=\\1 SP=0018:[0-9a-f]{8} CR2=00000000\n"
                + "EAX=[0-9a-f]{8} EBX=(?s).*?EFER=0{16}\nextable: eip=\\1 <__copy_user_zeroing\\+0x8> -> fixup=").matcher(text);
        assertTrue(m.find(), text.substring(0, Math.min(4000, text.length())));
        assertTrue(text.contains(": v=80 e=0000 i=1 cpl=3 IP=0023:"), "int $0x80 is logged as a software interrupt");
        assertTrue(!text.contains("\nirq: "), "the kernel's own interrupt lines are an item of their own (irq)");
    }
}
