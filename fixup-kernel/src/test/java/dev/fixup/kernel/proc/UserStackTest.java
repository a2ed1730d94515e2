package dev.fixup.kernel.proc;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class UserStackTest {
    @Test
    void linuxInitialStackLayout() {
        byte[] random = new byte[16];
        for (int i = 0; i < 16; i++) random[i] = (byte) (0xa0 + i);
        UserStack.Image img = UserStack.build(0xc0000000L, "/bin/prog", new String[] {"prog", "-x"},
                new String[] {"HOME=/", "TERM=dumb"}, new UserStack.ProgramInfo(0x08049000, 0x08048034, 32, 3), random);
        assertEquals(0, img.esp() % 16, "esp is 16-byte aligned");
        assertEquals(0xc0000000L, img.top());
        assertEquals(2, word(img, img.esp()));
        assertEquals("prog", string(img, word(img, img.esp() + 4)));
        assertEquals("-x", string(img, word(img, img.esp() + 8)));
        assertEquals(0, word(img, img.esp() + 12));
        assertEquals("HOME=/", string(img, word(img, img.esp() + 16)));
        assertEquals("TERM=dumb", string(img, word(img, img.esp() + 20)));
        assertEquals(0, word(img, img.esp() + 24));
        Map<Long, Long> aux = new HashMap<>();
        long p = img.esp() + 28;
        while (true) {
            long type = word(img, p), val = word(img, p + 4);
            p += 8;
            if (type == UserStack.AT_NULL) break;
            aux.put(type, val);
        }
        assertEquals(4096L, aux.get((long) UserStack.AT_PAGESZ));
        assertEquals(0x08049000L, aux.get((long) UserStack.AT_ENTRY));
        assertEquals(0x08048034L, aux.get((long) UserStack.AT_PHDR));
        assertEquals(32L, aux.get((long) UserStack.AT_PHENT));
        assertEquals(3L, aux.get((long) UserStack.AT_PHNUM));
        assertEquals("i686", string(img, aux.get((long) UserStack.AT_PLATFORM)));
        assertEquals("/bin/prog", string(img, aux.get((long) UserStack.AT_EXECFN)));
        long r = aux.get((long) UserStack.AT_RANDOM);
        for (int i = 0; i < 16; i++) assertEquals(0xa0 + i, img.bytes()[(int) (r - img.low()) + i] & 0xff);
        assertEquals(0, word(img, 0xc0000000L - 4), "a zero word at the very top");
    }

    private static long word(UserStack.Image img, long addr) {
        int o = (int) (addr - img.low());
        byte[] b = img.bytes();
        return (b[o] & 0xffL) | (b[o + 1] & 0xffL) << 8 | (b[o + 2] & 0xffL) << 16 | (b[o + 3] & 0xffL) << 24;
    }

    private static String string(UserStack.Image img, long addr) {
        int o = (int) (addr - img.low()), e = o;
        while (img.bytes()[e] != 0) e++;
        return new String(img.bytes(), o, e - o, StandardCharsets.UTF_8);
    }
}
