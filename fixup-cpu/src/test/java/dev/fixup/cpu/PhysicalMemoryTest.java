package dev.fixup.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Guest RAM in chunks allocated on first touch: same bytes as one flat array would hold. */
class PhysicalMemoryTest {
    private static final int MB = 1 << 20;

    @Test
    void untouchedRamReadsZeroAndCostsNothing() {
        PhysicalMemory m = new PhysicalMemory(896 * MB);
        assertEquals(0, m.allocatedBytes());
        assertEquals(0, m.read32(500 * MB));
        assertEquals(0, m.read8(896 * MB - 1));
        m.fill(0, 16 * MB, 0);                       // what the frame allocator does to a fresh frame
        assertEquals(0, m.allocatedBytes(), "zeroing untouched RAM allocates nothing");
        m.write8(300 * MB + 5, 0x7F);
        assertEquals(PhysicalMemory.CHUNK_SIZE, m.allocatedBytes());
        assertEquals(0x7F, m.read8(300 * MB + 5));
    }

    @Test
    void accessesAcrossChunksAndPastTheEnd() {
        PhysicalMemory m = new PhysicalMemory(4 * MB);
        int edge = PhysicalMemory.CHUNK_SIZE;           // first byte of the second chunk
        m.write8(edge - 2, 0x11);
        m.write8(edge - 1, 0x22);
        m.write8(edge, 0x33);
        m.write8(edge + 1, 0x44);
        assertEquals(0x44332211, m.read32(edge - 2));
        assertEquals(0x3322, m.read16(edge - 1));
        m.write32(edge - 1, 0xA1B2C3D4);                 // crosses a page and a chunk
        assertEquals(0xD4, m.read8(edge - 1));
        assertEquals(0xA1B2C3, m.read32(edge) & 0xFFFFFF);
        assertEquals(0xFFFFFFFF, m.read32(4 * MB));       // past the end: an unpopulated bus
        assertEquals(0xFFFFFF00, m.read32(4 * MB - 1));   // last RAM byte (zero), then the bus
        m.write32(4 * MB - 2, 0x12345678);                // the half past the end is dropped
        assertEquals(0x5678, m.read16(4 * MB - 2));

        byte[] src = new byte[3 * PhysicalMemory.CHUNK_SIZE + 17];
        for (int i = 0; i < src.length; i++) src[i] = (byte) (i * 7);
        m.write(edge - 9, src);
        assertArrayEquals(src, m.read(edge - 9, src.length));
        m.fill(edge + 3, 2 * PhysicalMemory.CHUNK_SIZE, 0xEE);
        assertEquals(0xEEEEEEEE, m.read32(edge + 3));
        assertEquals(0xEE, m.read8(edge + 3 + 2 * PhysicalMemory.CHUNK_SIZE - 1));
        assertEquals((byte) ((2 * PhysicalMemory.CHUNK_SIZE + 12) * 7), (byte) m.read8(edge + 3 + 2 * PhysicalMemory.CHUNK_SIZE));
        byte[] tail = m.read(4 * MB - 2, 4);
        assertArrayEquals(new byte[] {0x78, 0x56, (byte) 0xFF, (byte) 0xFF}, tail);
    }

    @Test
    void copyPageCopiesAFrameAcrossChunksAndPastTheEnd() {
        PhysicalMemory m = new PhysicalMemory(4 * MB);
        int src = PhysicalMemory.CHUNK_SIZE - 0x1000, dst = 3 * PhysicalMemory.CHUNK_SIZE;   // the last page of one chunk, another chunk
        for (int i = 0; i < 0x1000; i++) m.write8(src + i, i * 13);
        m.copyPage(src, dst);
        assertArrayEquals(m.read(src, 0x1000), m.read(dst, 0x1000));
        m.copyPage(2 * MB, dst);                                       // an untouched frame copies as zeros
        assertArrayEquals(new byte[0x1000], m.read(dst, 0x1000));
        assertEquals(2 * PhysicalMemory.CHUNK_SIZE, m.allocatedBytes(), "the untouched source stays unallocated");
        m.copyPage(4 * MB, dst);                                       // past the end: all ones, as a read gives
        assertEquals(0xFFFFFFFF, m.read32(dst + 0xFFC));
        m.copyPage(src, 4 * MB);                                       // a write past the end is dropped
        assertEquals(0xFFFFFFFF, m.read32(4 * MB));
    }

    @Test
    void zeroingWrittenRamClearsExactlyTheRangeAcrossChunks() {
        PhysicalMemory m = new PhysicalMemory(4 * MB);
        int from = PhysicalMemory.CHUNK_SIZE - 3 * 0x1000 - 5, len = 3 * 0x1000 + 2 * PhysicalMemory.CHUNK_SIZE + 9;
        for (int a = from - 64; a < from + len + 64; a++) m.write8(a, 0x5A);
        m.fill(from, len, 0);
        assertEquals(0x5A, m.read8(from - 1), "the byte before the range is kept");
        for (int a = from; a < from + len; a++) assertEquals(0, m.read8(a), "zeroed at " + a);
        assertEquals(0x5A, m.read8(from + len), "the byte after the range is kept");
        byte[] half = new byte[0x1800];
        java.util.Arrays.fill(half, (byte) 1);
        m.read(3 * MB, half, 0, half.length);                         // untouched RAM reads as zeros over a longer buffer
        assertArrayEquals(new byte[0x1800], half);
    }
}
