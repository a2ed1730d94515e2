package dev.fixup.cpu;

import dev.fixup.x86.Insn;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Translated blocks kept by their code, for every machine in this JVM. */
final class BlockCache {
    private BlockCache() {}

    /**
     * Blocks already made, by their code: a block holds no machine state, so every machine in
     * this JVM that runs the same bytes (a program run again, a test suite) reuses the class,
     * and HotSpot's compiled code with it. Least recently used blocks go beyond the bound.
     */
    private static final Map<Key, Block> SHARED = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, Block> eldest) {
            return size() > 16384;
        }
    };

    /** A block's identity: the decoding mode, then each instruction's offset and bytes. */
    static final class Key {
        private final byte[] code;
        private final int hash;

        Key(byte[] code) {
            this.code = code;
            this.hash = Arrays.hashCode(code);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key && Arrays.equals(code, ((Key) o).code);
        }

        @Override
        public int hashCode() { return hash; }
    }

    /** The block for {@code insns}, whose code {@code key} describes: shared if one exists, else translated. */
    static Block block(Key key, List<Insn> insns, int[] offsets) {
        synchronized (SHARED) {
            Block b = SHARED.get(key);
            if (b != null) return b;
        }
        Block b = BlockTranslator.translate(insns, offsets);
        synchronized (SHARED) {
            SHARED.putIfAbsent(key, b);
        }
        return b;
    }
}
