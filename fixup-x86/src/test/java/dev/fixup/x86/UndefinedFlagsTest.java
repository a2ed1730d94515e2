package dev.fixup.x86;

import static dev.fixup.x86.UndefinedFlags.AF;
import static dev.fixup.x86.UndefinedFlags.ALL;
import static dev.fixup.x86.UndefinedFlags.CF;
import static dev.fixup.x86.UndefinedFlags.OF;
import static dev.fixup.x86.UndefinedFlags.PF;
import static dev.fixup.x86.UndefinedFlags.SF;
import static dev.fixup.x86.UndefinedFlags.ZF;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class UndefinedFlagsTest {
    @Test void multiplyLeavesTheResultFlagsUndefined() {
        assertEquals(SF | ZF | AF | PF, UndefinedFlags.of(Op.MUL, 4, 0, -1).undefined());
        assertEquals(CF | OF, UndefinedFlags.of(Op.IMUL3, 4, 0, -1).writes());
    }

    @Test void shiftsDependOnTheCount() {
        assertEquals(AF, UndefinedFlags.of(Op.SHL, 4, 1, -1).undefined());
        assertEquals(AF | OF, UndefinedFlags.of(Op.SHL, 4, 2, -1).undefined());
        assertEquals(0, UndefinedFlags.of(Op.SHL, 4, 32, -1).writes());          // count masks to 0: no change
        assertEquals(AF | OF | CF, UndefinedFlags.of(Op.SHR, 1, 8, -1).undefined()); // count >= width: CF too
        assertEquals(AF | OF, UndefinedFlags.of(Op.SAR, 1, 8, -1).undefined());      // sar fills with the sign
        assertEquals(OF, UndefinedFlags.of(Op.ROL, 4, 3, -1).undefined());
    }

    @Test void aDefiningInstructionClearsWhatWasUndefined() {
        int u = UndefinedFlags.of(Op.DIV, 4, 0, -1).apply(0);
        assertEquals(ALL, u);
        assertEquals(AF, UndefinedFlags.of(Op.AND, 4, 0, -1).apply(u));
        assertEquals(0, UndefinedFlags.of(Op.ADD, 4, 0, -1).apply(u));
        assertEquals(ALL, UndefinedFlags.of(Op.MOV, 4, 0, -1).apply(u));          // moves keep it undefined
    }

    @Test void conditionsReadTheirFlags() {
        assertEquals(CF | ZF, UndefinedFlags.condReads(6));    // be
        assertEquals(ZF | SF | OF, UndefinedFlags.condReads(14)); // le
    }
}
