package dev.fixup.elf.dwarf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/** The indexed innermost-function lookup against the rule applied to every range in turn. */
class FunctionIndexTest {
    @Test
    void innermostThenLaterEntry() {
        Function outer = new Function("outer", List.of(new long[] {0x100, 0x200}), 0);
        Function inlined = new Function("inlined", List.of(new long[] {0x120, 0x140}, new long[] {0x180, 0x190}), 1);
        Function same = new Function("same", List.of(new long[] {0x180, 0x190}), 2);
        FunctionIndex index = new FunctionIndex(List.of(outer, inlined, same));
        assertNull(index.at(0xff));
        assertEquals(outer, index.at(0x100));
        assertEquals(inlined, index.at(0x120));
        assertEquals(inlined, index.at(0x13f));
        assertEquals(outer, index.at(0x140));
        assertEquals(same, index.at(0x185));     // as long as inlined's range there: the later entry
        assertEquals(outer, index.at(0x1ff));
        assertNull(index.at(0x200));
    }

    @Property(tries = 300)
    void agreesWithAScanOfEveryRange(@ForAll long seed) {
        Random r = new Random(seed);
        List<Function> functions = new ArrayList<>();
        for (int i = r.nextInt(30); i > 0; i--) {
            List<long[]> ranges = new ArrayList<>();
            for (int k = 1 + r.nextInt(3); k > 0; k--) {
                long low = r.nextInt(200);
                ranges.add(new long[] {low, low + r.nextInt(60) - 5});       // empty and reversed ones too
            }
            functions.add(new Function("f" + i, ranges, r.nextInt(40)));
        }
        FunctionIndex index = new FunctionIndex(functions);
        for (long a = -2; a < 270; a++) assertEquals(scan(functions, a), index.at(a), "at " + a);
    }

    private static Function scan(List<Function> functions, long address) {
        Function best = null;
        long bestLength = Long.MAX_VALUE;
        for (Function f : functions) {
            for (long[] r : f.ranges()) {
                if (address < r[0] || address >= r[1]) continue;
                long length = r[1] - r[0];
                if (length < bestLength || (length == bestLength && f.order() > best.order())) {
                    best = f;
                    bestLength = length;
                }
            }
        }
        return best;
    }
}
